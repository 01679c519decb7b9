package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Durations;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The value formats and shared checks of Istio's validation, as {@link SchemaValidationError} applies them. */
final class IstioValues {
  private IstioValues() {}

  private static final String DNS1123_LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
  private static final String QUALIFIED_NAME = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern LABEL_KEY_RE =
      Pattern.compile("((?:" + DNS1123_LABEL + "(?:\\." + DNS1123_LABEL + ")*)/)?(" + QUALIFIED_NAME + ")");
  private static final Pattern LABEL_VALUE_RE = Pattern.compile("(?:" + QUALIFIED_NAME + ")?");
  private static final Pattern HEADER_NAME_RE = Pattern.compile("[-_A-Za-z0-9]+");
  private static final Pattern IPV4_RE =
      Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern HEX_GROUP_RE = Pattern.compile("[0-9A-Fa-f]{1,4}");

  /** Istio's protocol names (protocol.Parse), compared case-insensitively. */
  static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY",
      "MONGO", "MYSQL", "REDIS", "TCP", "TLS", "UDP");
  static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY");

  static boolean textPresent(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank();
  }

  /** A non-empty list, or a non-empty map. */
  static boolean nonEmpty(JsonNode node) {
    return (node.isArray() || node.isObject()) && !node.isEmpty();
  }

  static boolean isDns1123Label(String value) {
    return value.length() <= 63 && isLabelFrom(value, 0);
  }

  /**
   * {@code value} from {@code start} on is {@link #DNS1123_LABEL} (any length): letters, digits and
   * inner hyphens. Written out rather than matched: the webhook checks every host of a changed
   * object on each request, and a regex match allocates its matcher.
   */
  private static boolean isLabelFrom(String value, int start) {
    int end = value.length();
    if (start >= end || !isAlphanumeric(value.charAt(start)) || !isAlphanumeric(value.charAt(end - 1))) {
      return false;
    }
    for (int i = start + 1; i < end - 1; i++) {
      char c = value.charAt(i);
      if (c != '-' && !isAlphanumeric(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** {@code *}, or a DNS-1123 label (any length) after an optional {@code *} or {@code *-}. */
  private static boolean isWildcardLabel(String value) {
    if (value.equals("*") || isLabelFrom(value, 0)) {
      return true;
    }
    return value.startsWith("*") && (isLabelFrom(value, 1) || (value.startsWith("*-") && isLabelFrom(value, 2)));
  }

  /** An optional sign, then one or more digits. */
  private static boolean isNumeric(String value) {
    int start = value.startsWith("+") || value.startsWith("-") ? 1 : 0;
    if (start == value.length()) {
      return false;
    }
    for (int i = start; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static boolean isHeaderName(String value) {
    return HEADER_NAME_RE.matcher(value).matches();
  }

  /** A DNS name of labels of letters, digits and hyphens: no wildcard, no empty label. */
  static boolean isFqdn(String host) {
    return fqdnProblem(host) == null;
  }

  /** What is wrong with a full domain name (Istio's ValidateFQDN), or null. */
  static String fqdnProblem(String name) {
    String problem = domainPreconditions(name);
    return problem != null ? problem : labelsProblem(name);
  }

  /** What is wrong with a domain name that may start with a wildcard label (ValidateWildcardDomain), or null. */
  static String wildcardDomainProblem(String domain) {
    String problem = domainPreconditions(domain);
    if (problem != null) {
      return problem;
    }
    int dot = domain.indexOf('.');
    String first = dot < 0 ? domain : domain.substring(0, dot);
    if (first.length() > 63 || !isWildcardLabel(first)) {
      return "domain name \"" + domain + "\" invalid (label \"" + first + "\" invalid)";
    }
    return dot < 0 ? null : labelsProblem(domain.substring(dot + 1));
  }

  private static String domainPreconditions(String name) {
    if (name.length() > 255) {
      return "domain name \"" + name + "\" too long (max 255)";
    }
    return name.isEmpty() ? "empty domain name not allowed" : null;
  }

  private static String labelsProblem(String domain) {
    String[] parts = domain.split("\\.", -1);
    String top = parts[parts.length - 1];
    if (isNumeric(top)) {
      return "domain name \"" + domain + "\" invalid (top level domain \"" + top + "\" cannot be all-numeric)";
    }
    for (int i = 0; i < parts.length; i++) {
      if (i == parts.length - 1 && parts[i].isEmpty()) {
        return null;
      }
      if (!isDns1123Label(parts[i])) {
        return "domain name \"" + domain + "\" invalid (label \"" + parts[i] + "\" invalid)";
      }
    }
    return null;
  }

  /** Go's netip.ParseAddr: dotted IPv4 without leading zeros, or IPv6 (optionally with a zone). */
  static boolean isIpAddress(String value) {
    if (IPV4_RE.matcher(value).matches()) {
      return true;
    }
    int zone = value.indexOf('%');
    return isIpv6(zone < 0 ? value : value.substring(0, zone)) && (zone < 0 || zone < value.length() - 1);
  }

  private static boolean isIpv6(String value) {
    if (!value.contains(":")) {
      return false;
    }
    int compressed = value.indexOf("::");
    if (compressed >= 0 && value.indexOf("::", compressed + 1) >= 0) {
      return false;
    }
    String head = compressed < 0 ? value : value.substring(0, compressed);
    String tail = compressed < 0 ? "" : value.substring(compressed + 2);
    String[] parts = {head, tail};
    int groups = 0;
    for (int p = 0; p < parts.length; p++) {
      if (parts[p].isEmpty()) {
        continue;
      }
      String[] items = parts[p].split(":", -1);
      for (int i = 0; i < items.length; i++) {
        // Only the address's last group may be an embedded IPv4 address.
        boolean last = i == items.length - 1 && (p == 1 || compressed < 0);
        if (last && items[i].contains(".")) {
          if (!IPV4_RE.matcher(items[i]).matches()) {
            return false;
          }
          groups += 2;
        } else if (HEX_GROUP_RE.matcher(items[i]).matches()) {
          groups++;
        } else {
          return false;
        }
      }
    }
    return compressed < 0 ? groups == 8 : groups < 8;
  }

  /** An address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), as netip.ParsePrefix reads it. */
  static boolean isIpOrCidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return isIpAddress(value);
    }
    String address = value.substring(0, slash);
    String bits = value.substring(slash + 1);
    if (address.contains("%") || !isIpAddress(address) || !bits.matches("0|[1-9][0-9]{0,2}")) {
      return false;
    }
    return Integer.parseInt(bits) <= (address.contains(":") ? 128 : 32);
  }

  /** Checks {@code parent.<field>} is within 1..65535; false when it is present and is not. */
  static boolean portNumber(JsonNode parent, String field, FieldPath parentPath, SchemaFindings out) {
    JsonNode number = parent.path(field);
    if (number.isIntegralNumber() && (number.asLong() < 1 || number.asLong() > 65535)) {
      out.report(parentPath.key(field), "port number " + number.asLong() + " must be in the range 1..65535");
      return false;
    }
    return true;
  }

  /** A port name, when present, is a DNS label. */
  static void portName(JsonNode port, FieldPath portPath, SchemaFindings out) {
    JsonNode name = port.path("name");
    if (name.isTextual() && !isDns1123Label(name.asText())) {
      out.report(portPath.key("name"), "invalid port name: " + name.asText());
    }
  }

  /** A protocol, when present, is one Istio knows (empty means sniffing). */
  static void optionalProtocol(JsonNode port, FieldPath portPath, SchemaFindings out) {
    JsonNode protocol = port.path("protocol");
    if (protocol.isTextual() && !protocol.asText().isEmpty()
        && !PROTOCOLS.contains(protocol.asText().toUpperCase(Locale.ROOT))) {
      out.report(portPath.key("protocol"), "unsupported protocol: " + protocol.asText());
    }
  }

  static void duration(JsonNode parent, String field, FieldPath parentPath, SchemaFindings out) {
    JsonNode value = parent.path(field);
    // A bare number is read as text by the binding, but Istio wants a unit.
    if (value.isTextual() || value.isNumber()) {
      String problem = Durations.problem(value.asText());
      if (problem != null) {
        out.report(parentPath.key(field), problem);
      }
    }
  }

  /** An integer setting that must not be negative. */
  static void notNegative(JsonNode parent, String field, FieldPath parentPath, String what, SchemaFindings out) {
    JsonNode value = parent.path(field);
    if (value.isNumber() && value.asDouble() < 0) {
      out.report(parentPath.key(field), what + " must be non-negative");
    }
  }

  /** A {@code Percent} message: {@code value} within 0..100. */
  static void percentage(JsonNode node, FieldPath path, SchemaFindings out) {
    JsonNode value = node.path("value");
    if (value.isNumber() && (value.asDouble() < 0 || value.asDouble() > 100)) {
      out.report(path.key("value"), "percentage " + value.asText() + " is not in range 0..100");
    }
  }

  /** An integer percentage. */
  static void percent(JsonNode node, FieldPath path, SchemaFindings out) {
    if (node.isIntegralNumber() && (node.asLong() < 0 || node.asLong() > 100)) {
      out.report(path, "percentage " + node.asLong() + " is not in range 0..100");
    }
  }

  /** Label keys and values in Kubernetes' form (Istio's labels.Instance.Validate). */
  static void labels(JsonNode labels, FieldPath path, SchemaFindings out) {
    forEachEntry(labels, (key, value) -> {
      var keyMatch = LABEL_KEY_RE.matcher(key);
      String problem = null;
      if (!keyMatch.matches()) {
        problem = "invalid tag key: \"" + key + "\"";
      } else if (keyMatch.group(1) != null && keyMatch.group(1).length() - 1 > 253) {
        problem = "invalid tag key: \"" + key + "\" (DNS prefix is too long)";
      } else if (keyMatch.group(2).length() > 63) {
        problem = "invalid tag key: \"" + key + "\" (name is too long)";
      } else if (value.isTextual() && !LABEL_VALUE_RE.matcher(value.asText()).matches()) {
        problem = "invalid tag value: \"" + value.asText() + "\"";
      }
      if (problem != null) {
        out.report(path.key(key), problem);
      }
    });
  }

  /** A workload selector's labels: no empty key, no wildcard. */
  static void selectorLabels(JsonNode labels, FieldPath path, SchemaFindings out) {
    forEachEntry(labels, (key, value) -> {
      String pair = "\"" + key + "=" + value.asText("") + "\"";
      if (key.isEmpty()) {
        out.report(path.key(key), "empty key is not supported in selector: " + pair);
      } else if (key.contains("*") || value.asText("").contains("*")) {
        out.report(path.key(key), "wildcard is not supported in selector: " + pair);
      }
    });
  }

  /**
   * The selection of a policy: at most one of {@code selector}, {@code targetRef} and
   * {@code targetRefs}; selector labels; each target a Service, ServiceEntry or Gateway API Gateway
   * of the policy's namespace.
   */
  static void policyTargets(JsonNode spec, FieldPath at, SchemaFindings out) {
    policyTargets(spec, at, false, out);
  }

  /** As {@link #policyTargets(JsonNode, FieldPath, SchemaFindings)}, also accepting GatewayClasses when {@code gatewayClass}. */
  static void policyTargets(JsonNode spec, FieldPath at, boolean gatewayClass, SchemaFindings out) {
    int set = (spec.path("selector").isObject() ? 1 : 0) + (spec.path("targetRef").isObject() ? 1 : 0)
        + (nonEmpty(spec.path("targetRefs")) ? 1 : 0);
    if (set > 1) {
      out.report(at, "only one of targetRefs or workloadSelector can be set");
    }
    selectorLabels(spec.path("selector").path("matchLabels"), at.then("selector.matchLabels"), out);
    targetRef(spec.path("targetRef"), at.key("targetRef"), gatewayClass, out);
    Trees.forEach(spec.path("targetRefs"), at.key("targetRefs"), (ref, path) -> targetRef(ref, path, gatewayClass, out));
  }

  private static void targetRef(JsonNode ref, FieldPath path, boolean gatewayClass, SchemaFindings out) {
    if (!ref.isObject()) {
      return;
    }
    if (!textPresent(ref.path("name"))) {
      out.report(path, "targetRef name must be set");
    }
    if (textPresent(ref.path("namespace"))) {
      out.report(path.key("namespace"), "targetRef namespace must not be set; cross namespace referencing is not supported");
    }
    String group = ref.path("group").asText("");
    String kind = ref.path("kind").asText("");
    boolean allowed = (group.isEmpty() && kind.equals("Service"))
        || (group.equals("networking.istio.io") && kind.equals("ServiceEntry"))
        || (group.equals("gateway.networking.k8s.io") && kind.equals("Gateway"))
        || (gatewayClass && group.equals("gateway.networking.k8s.io") && kind.equals("GatewayClass"));
    if (!allowed) {
      out.report(ref.has("kind") ? path.key("kind") : path,
          "targetRef must be to a core/Service, networking.istio.io/ServiceEntry or gateway.networking.k8s.io/Gateway"
              + (gatewayClass ? " or GatewayClass" : "") + " but was " + group + "/" + kind);
    }
  }

  /** Istio's exportTo rules: ".", "*", a namespace (or "~" for a ServiceEntry), without duplicates or mixes. */
  static void exportTo(JsonNode exportTo, String namespace, boolean serviceEntry, FieldPath path, SchemaFindings out) {
    if (!nonEmpty(exportTo) || !exportTo.isArray()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < exportTo.size(); i++) {
      String entry = exportTo.get(i).asText("");
      String key = entry.equals(".") ? namespace : entry;
      FieldPath entryPath = path.index(i);
      if (seen.contains(key)) {
        out.report(entryPath, key.equals(entry) ? "duplicate entries in exportTo for entry " + entry
            : "duplicate entries in exportTo: . and current namespace " + namespace);
      } else if (entry.equals("~") && !serviceEntry) {
        out.report(entryPath, "exportTo ~ (none) is not allowed for Istio configuration objects");
      } else if (!entry.equals("*") && !entry.equals("~") && !entry.equals(".") && !isDns1123Label(key)) {
        out.report(entryPath, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
      } else {
        seen.add(key);
      }
    }
    if (seen.contains("*") && exportTo.size() > 1) {
      out.report(path, "cannot have both public (*) and non-public exportTo values for a resource");
    }
    if (seen.contains("~") && exportTo.size() > 1) {
      out.report(path, "cannot export service entry to no one (~) and someone");
    }
  }

  static void forEachEntry(JsonNode map, java.util.function.BiConsumer<String, JsonNode> action) {
    if (!map.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      action.accept(e.getKey(), e.getValue());
    }
  }
}
