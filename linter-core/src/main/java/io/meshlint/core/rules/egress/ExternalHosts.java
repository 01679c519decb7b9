package io.meshlint.core.rules.egress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the network hosts an application is configured to call: URLs and {@code host:port} in free
 * text, Application Insights connection strings, and the endpoints that well-known SaaS SDKs derive
 * from their environment variables. Says nothing about whether a host is external; the rule decides.
 */
public final class ExternalHosts {
  private ExternalHosts() {}

  /**
   * One host an application calls.
   *
   * @param protocol the ServiceEntry port protocol: HTTPS, HTTP or TCP
   * @param what what the host is, e.g. {@code URL} or {@code Application Insights ingestion}
   */
  public record Endpoint(String host, int port, String protocol, String what) {}

  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final String HOST = LABEL + "(?:\\." + LABEL + ")*";
  private static final Pattern HOST_NAME = Pattern.compile(HOST);
  /** scheme://[userinfo@]host[:port], host ending where a URL host can end. */
  private static final Pattern URL = Pattern.compile(
      "(?i)\\b([a-z][a-z0-9+.-]*)://(?:[^/@\\s\"'<>]*@)?(" + HOST + ")\\.?(?::(\\d{1,5}))?(?=$|[/?#\\s\"'<>,;)\\]}])");
  /** host:port not inside a URL or a longer token. */
  private static final Pattern HOST_PORT = Pattern.compile(
      "(?i)(?<![\\w.@/:$%{-])(" + HOST + "):(\\d{1,5})(?![\\w.:])");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
  private static final Pattern AI_KEY = Pattern.compile("(?i)\\bInstrumentationKey\\s*=");
  private static final Pattern AI_SETTING = Pattern.compile(
      "(?i)\\b(IngestionEndpoint|LiveEndpoint|ProfilerEndpoint|SnapshotEndpoint|EndpointSuffix)\\s*=\\s*([^;\\s\"']+)");

  /** Default ports of URL schemes; a URL of another scheme without a port names no endpoint. */
  private static final Map<String, Integer> SCHEME_PORTS = Map.ofEntries(
      Map.entry("https", 443), Map.entry("http", 80), Map.entry("wss", 443), Map.entry("ws", 80),
      Map.entry("grpcs", 443), Map.entry("amqps", 5671), Map.entry("amqp", 5672), Map.entry("sb", 5671),
      Map.entry("mqtts", 8883), Map.entry("mqtt", 1883), Map.entry("ftp", 21), Map.entry("sftp", 22),
      Map.entry("ldaps", 636), Map.entry("ldap", 389), Map.entry("redis", 6379), Map.entry("rediss", 6380),
      Map.entry("postgres", 5432), Map.entry("postgresql", 5432), Map.entry("mysql", 3306),
      Map.entry("mongodb", 27017), Map.entry("sqlserver", 1433), Map.entry("nats", 4222));

  /** Schemes that name no network host. */
  private static final Set<String> LOCAL_SCHEMES = Set.of("file", "unix", "jar", "classpath", "data", "mailto");

  /** Hosts in free text: Application Insights settings first, then URLs, then host:port; each host once. */
  public static List<Endpoint> scan(String text) {
    Map<String, Endpoint> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    appInsights(text, out);
    if (text.indexOf(':') < 0) {
      return List.copyOf(out.values()); // no URL, no host:port
    }
    // Most values hold no URL: the text is copied only to blank one.
    StringBuilder blanked = null;
    Matcher url = text.contains("://") ? URL.matcher(text) : null;
    while (url != null && url.find()) {
      blanked = blanked == null ? new StringBuilder(text) : blanked;
      String scheme = url.group(1).toLowerCase(Locale.ROOT);
      // blank the whole match so that its host:port is not found again
      for (int i = url.start(); i < url.end(); i++) {
        blanked.setCharAt(i, ' ');
      }
      if (LOCAL_SCHEMES.contains(scheme)) {
        continue;
      }
      Integer port = url.group(3) != null ? Integer.valueOf(url.group(3)) : SCHEME_PORTS.get(scheme);
      if (port != null) {
        add(out, url.group(2), port, protocolOf(scheme), "URL");
      }
    }
    Matcher hp = HOST_PORT.matcher(blanked == null ? text : blanked);
    while (hp.find()) {
      int port = Integer.parseInt(hp.group(2));
      add(out, hp.group(1), port, port == 443 ? "HTTPS" : port == 80 ? "HTTP" : "TCP", "host:port");
    }
    return List.copyOf(out.values());
  }

  /**
   * Hosts implied by one environment variable: its value scanned as text, plus what a known SDK
   * derives from the variable's name. {@code value} is null when it comes from a Secret;
   * {@code names} are all variable names of the container, for SDKs that look at several.
   */
  public static List<Endpoint> fromEnv(String name, String value, Set<String> names) {
    Map<String, Endpoint> out = new LinkedHashMap<>();
    for (Sdk sdk : SDKS) {
      if (sdk.variable.equals(name)) {
        for (Endpoint e : sdk.endpoints(value, names)) {
          out.putIfAbsent(e.host(), e);
        }
      }
    }
    if (value != null && !value.startsWith("$(")) {
      for (Endpoint e : scan(value)) {
        out.putIfAbsent(e.host(), e);
      }
    }
    return List.copyOf(out.values());
  }

  // --- Application Insights / Azure Monitor ---------------------------------------------------

  static final String AI_CLASSIC_INGESTION = "dc.services.visualstudio.com";
  static final String AI_CLASSIC_LIVE = "rt.services.visualstudio.com";

  /** A connection string's endpoints; without endpoints or a suffix, the classic global ones. */
  private static void appInsights(String text, Map<String, Endpoint> out) {
    if (text.indexOf('=') < 0 || !AI_KEY.matcher(text).find()) {
      return;
    }
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher m = AI_SETTING.matcher(text);
    while (m.find()) {
      settings.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    String suffix = settings.get("endpointsuffix");
    endpoint(out, settings.get("ingestionendpoint"), suffix == null ? null : "dc." + suffix,
        AI_CLASSIC_INGESTION, "Application Insights ingestion");
    endpoint(out, settings.get("liveendpoint"), suffix == null ? null : "live." + suffix,
        AI_CLASSIC_LIVE, "Application Insights live metrics");
    endpoint(out, settings.get("profilerendpoint"), null, null, "Application Insights profiler");
    endpoint(out, settings.get("snapshotendpoint"), null, null, "Application Insights snapshot debugger");
  }

  private static void endpoint(Map<String, Endpoint> out, String url, String fromSuffix, String classic, String what) {
    if (url != null) {
      for (Endpoint e : scan(url)) {
        add(out, e.host(), e.port(), e.protocol(), what);
      }
    } else if (fromSuffix != null) {
      add(out, fromSuffix, 443, "HTTPS", what);
    } else if (classic != null) {
      add(out, classic, 443, "HTTPS", what);
    }
  }

  // --- SaaS SDKs configured by environment variables ------------------------------------------

  private interface Derive {
    List<Endpoint> endpoints(String value, Set<String> names);
  }

  /** An environment variable a SaaS SDK reads, and the hosts it then calls. */
  private record Sdk(String variable, Derive derive) {
    List<Endpoint> endpoints(String value, Set<String> names) {
      return derive.endpoints(value, names);
    }
  }

  /**
   * The data table documented in MSH1002's description. Values from Secrets are unknown (null):
   * rules that need the value then derive nothing.
   */
  private static final List<Sdk> SDKS = List.of(
      new Sdk("APPINSIGHTS_INSTRUMENTATIONKEY", (v, names) -> names.contains("APPLICATIONINSIGHTS_CONNECTION_STRING")
          ? List.of() : https("Application Insights ingestion", AI_CLASSIC_INGESTION,
              "Application Insights live metrics", AI_CLASSIC_LIVE)),
      new Sdk("APPLICATIONINSIGHTS_CONNECTION_STRING", (v, names) -> {
        if (v == null) {
          return List.of();
        }
        Map<String, Endpoint> out = new LinkedHashMap<>();
        appInsights(AI_KEY.matcher(v).find() ? v : "InstrumentationKey=" + v, out);
        return List.copyOf(out.values());
      }),
      new Sdk("DD_SITE", (v, names) -> v == null || v.isBlank() || names.contains("DD_AGENT_HOST")
          || names.contains("DD_TRACE_AGENT_URL") ? List.of()
          : https("Datadog API", "api." + v.trim(), "Datadog trace intake", "trace.agent." + v.trim(),
              "Datadog log intake", "http-intake.logs." + v.trim())),
      new Sdk("SENTRY_DSN", (v, names) -> v == null ? List.of()
          : scan(v).stream().map(e -> new Endpoint(e.host(), e.port(), e.protocol(), "Sentry DSN")).toList()),
      new Sdk("NEW_RELIC_LICENSE_KEY", (v, names) -> names.contains("NEW_RELIC_HOST") ? List.of()
          : https("New Relic collector", v != null && v.startsWith("eu01x") ? "collector.eu01.nr-data.net"
              : "collector.newrelic.com")),
      new Sdk("NEW_RELIC_HOST", (v, names) -> v == null || v.isBlank() ? List.of()
          : https("New Relic collector", v.trim())),
      new Sdk("HONEYCOMB_API_KEY", (v, names) -> names.contains("OTEL_EXPORTER_OTLP_ENDPOINT") ? List.of()
          : https("Honeycomb API", "api.honeycomb.io")));

  /** Pairs of (what, host) on port 443. */
  private static List<Endpoint> https(String... whatAndHost) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i + 1 < whatAndHost.length; i += 2) {
      String host = normalize(whatAndHost[i + 1]);
      if (host != null) {
        out.add(new Endpoint(host, 443, "HTTPS", whatAndHost[i]));
      }
    }
    return out;
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static String protocolOf(String scheme) {
    return switch (scheme) {
      case "https", "wss" -> "HTTPS";
      case "http", "ws" -> "HTTP";
      default -> "TCP";
    };
  }

  private static void add(Map<String, Endpoint> out, String host, int port, String protocol, String what) {
    String h = normalize(host);
    if (h != null && port > 0 && port <= 65535) {
      out.putIfAbsent(h, new Endpoint(h, port, protocol, what));
    }
  }

  /** Lower case without a trailing dot; null for things that are no DNS name (all digits, IPs). */
  static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || IPV4.matcher(h).matches() || !HOST_NAME.matcher(h).matches()) {
      return null;
    }
    String last = h.substring(h.lastIndexOf('.') + 1);
    return last.chars().allMatch(Character::isDigit) ? null : h;
  }
}
