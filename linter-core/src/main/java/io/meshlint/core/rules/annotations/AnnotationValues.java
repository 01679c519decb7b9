package io.meshlint.core.rules.annotations;

import io.meshlint.core.source.YamlReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The annotation values Istio's injector validates (and {@code istioctl analyze} with it), with the
 * same rules; each check returns what is wrong, or null.
 */
final class AnnotationValues {
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern IPV4 =
      Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  /** Go's strconv.ParseBool. */
  private static final Set<String> BOOLEANS = Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE",
      "false", "False");

  private static final Map<String, Function<String, String>> CHECKS = Map.ofEntries(
      Map.entry("sidecar.istio.io/interceptionMode", AnnotationValues::interceptionMode),
      Map.entry("status.sidecar.istio.io/port", AnnotationValues::port),
      Map.entry("readiness.status.sidecar.istio.io/initialDelaySeconds", AnnotationValues::uint32),
      Map.entry("readiness.status.sidecar.istio.io/periodSeconds", AnnotationValues::uint32),
      Map.entry("readiness.status.sidecar.istio.io/failureThreshold", AnnotationValues::uint32),
      Map.entry("traffic.sidecar.istio.io/includeOutboundIPRanges", v -> v.equals("*") ? null : cidrs(v)),
      Map.entry("traffic.sidecar.istio.io/excludeOutboundIPRanges", AnnotationValues::cidrs),
      Map.entry("traffic.sidecar.istio.io/includeInboundPorts", v -> v.equals("*") ? null : ports(v)),
      Map.entry("traffic.sidecar.istio.io/excludeInboundPorts", AnnotationValues::ports),
      Map.entry("traffic.sidecar.istio.io/excludeOutboundPorts", AnnotationValues::ports),
      Map.entry("prometheus.istio.io/merge-metrics", AnnotationValues::bool),
      Map.entry("proxy.istio.io/config", AnnotationValues::proxyConfig));

  private AnnotationValues() {}

  /** What is wrong with the value of annotation {@code name}; null when it is valid or Istio does not check it. */
  static String problem(String name, String value) {
    Function<String, String> check = CHECKS.get(name);
    return check == null ? null : check.apply(value);
  }

  private static String interceptionMode(String value) {
    return Set.of("REDIRECT", "TPROXY", "NONE").contains(value) ? null
        : "\"" + value + "\" is not an interception mode: use REDIRECT, TPROXY or NONE";
  }

  private static String port(String value) {
    String p = value.trim();
    return DIGITS.matcher(p).matches() && p.length() <= 5 && Integer.parseInt(p) <= 65535 ? null
        : "\"" + value + "\" is not a port number (0-65535)";
  }

  /** A comma separated list of ports; empty is allowed. */
  private static String ports(String value) {
    String list = value.trim();
    if (list.isEmpty()) {
      return null;
    }
    for (String p : list.split(",", -1)) {
      if (port(p) != null) {
        return quoted(p, value) + " is not a port number (0-65535)";
      }
    }
    return null;
  }

  /** An item of a list, with the list when there is more to it. */
  private static String quoted(String item, String list) {
    return "\"" + item + "\"" + (item.equals(list) ? "" : " in \"" + list + "\"");
  }

  private static String uint32(String value) {
    return DIGITS.matcher(value).matches() && (value.length() < 10
        || value.length() == 10 && Long.parseLong(value) <= 0xFFFF_FFFFL) ? null
        : "\"" + value + "\" is not a whole number of at least 0";
  }

  /** A comma separated list of CIDR ranges, without spaces; empty is allowed. */
  private static String cidrs(String value) {
    if (value.isEmpty()) {
      return null;
    }
    for (String cidr : value.split(",", -1)) {
      if (!isCidr(cidr)) {
        return quoted(cidr, value) + " is not a CIDR range such as 10.0.0.0/8";
      }
    }
    return null;
  }

  private static boolean isCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0 || slash != cidr.lastIndexOf('/')) {
      return false;
    }
    String address = cidr.substring(0, slash);
    String bits = cidr.substring(slash + 1);
    if (!DIGITS.matcher(bits).matches() || bits.length() > 3 || bits.length() > 1 && bits.startsWith("0")) {
      return false;
    }
    int prefix = Integer.parseInt(bits);
    if (IPV4.matcher(address).matches()) {
      for (String octet : address.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return prefix <= 32;
    }
    return address.contains(":") && IPV6_CHARS.matcher(address).matches() && isIpv6Literal(address) && prefix <= 128;
  }

  /** Parses an IPv6 literal; text containing a colon is never looked up in DNS. */
  private static boolean isIpv6Literal(String address) {
    try {
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String bool(String value) {
    return BOOLEANS.contains(value) ? null : "\"" + value + "\" is not a boolean: use true or false";
  }

  private static String proxyConfig(String value) {
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(value);
    if (!parsed.problems().isEmpty()) {
      return parsed.problems().get(0).message();
    }
    if (parsed.documents().size() > 1 || parsed.documents().size() == 1 && !parsed.documents().get(0).isObject()
        && !parsed.documents().get(0).isNull()) {
      return "not a ProxyConfig: expected a YAML mapping of ProxyConfig fields";
    }
    return null;
  }
}
