package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Resource;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * VirtualService match conditions as Envoy evaluates the routes Istio builds from them. Each check
 * answers null when the condition holds, else why it does not, for the trace's notes.
 */
final class Matches {
  private Matches() {}

  /**
   * An {@code HTTPMatchRequest}: every condition it sets must hold. URI exact and regex matches see
   * the path without its query string, a prefix the whole path (as Envoy's route matchers do).
   */
  static String http(JsonNode match, Request request, Client client, String vsNamespace, int listenerPort) {
    String why = common(match, client, vsNamespace, listenerPort);
    if (why != null) {
      return why;
    }
    boolean ignoreCase = match.path("ignoreUriCase").asBoolean(false);
    JsonNode uri = match.path("uri");
    if (uri.isObject() && !uri.isEmpty()) {
      String value = uri.has("prefix") ? request.path() : request.pathOnly();
      if (!string(uri, value, ignoreCase)) {
        return "uri " + describe(uri) + (ignoreCase ? " (any case)" : "") + " does not match " + quote(request.pathOnly());
      }
    }
    String[][] pseudo = {{"scheme", schemeOf(request, client)}, {"method", request.method()},
        {"authority", request.authority()}};
    for (String[] field : pseudo) {
      JsonNode m = match.path(field[0]);
      if (m.isObject() && !m.isEmpty() && !string(m, field[1], false)) {
        return field[0] + " " + describe(m) + " does not match " + quote(field[1]);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = match.path("headers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String value = header(request, e.getKey());
      if (value == null) {
        return "header " + e.getKey() + " " + (isPresence(e.getValue()) ? "is required" : describe(e.getValue())
            + " is absent");
      }
      if (!isPresence(e.getValue()) && !string(e.getValue(), value, false)) {
        return "header " + e.getKey() + " " + describe(e.getValue()) + " does not match " + quote(value);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = match.path("withoutHeaders").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String value = header(request, e.getKey());
      if (isPresence(e.getValue()) ? value != null : string(e.getValue(), value == null ? "" : value, false)) {
        return "withoutHeaders " + e.getKey() + (isPresence(e.getValue()) ? "" : " " + describe(e.getValue()))
            + " excludes " + (value == null ? "the request" : quote(value));
      }
    }
    Map<String, String> query = request.query();
    for (Iterator<Map.Entry<String, JsonNode>> it = match.path("queryParams").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String value = query.get(e.getKey());
      if (value == null) {
        return "query parameter " + e.getKey() + " is absent";
      }
      if (!isPresence(e.getValue()) && !string(e.getValue(), value, false)) {
        return "query parameter " + e.getKey() + " " + describe(e.getValue()) + " does not match " + quote(value);
      }
    }
    return null;
  }

  /** A {@code TLSMatchAttributes}: the SNI must be one of {@code sniHosts} (wildcards allowed). */
  static String tls(JsonNode match, String sni, Client client, String vsNamespace, int listenerPort) {
    String why = l4(match, client, vsNamespace, listenerPort);
    if (why != null) {
      return why;
    }
    JsonNode sniHosts = match.path("sniHosts");
    if (sniHosts.isArray() && !sniHosts.isEmpty()) {
      for (JsonNode h : sniHosts) {
        if (Hosts.covers(h.asText().toLowerCase(Locale.ROOT), sni)) {
          return null;
        }
      }
      return "sniHosts " + sniHosts + " do not include " + quote(sni);
    }
    return null;
  }

  /** An {@code L4MatchAttributes} of a TCP route, or the parts a TLS match shares with it. */
  static String l4(JsonNode match, Client client, String vsNamespace, int listenerPort) {
    String why = common(match, client, vsNamespace, listenerPort);
    if (why == null && match.path("destinationSubnets").isArray() && !match.path("destinationSubnets").isEmpty()) {
      return "destinationSubnets " + match.path("destinationSubnets") + ": the destination address is not known offline";
    }
    return why;
  }

  /**
   * The conditions Istio checks while building routes for one proxy: the port, then either the
   * gateways the match names (which override source labels and namespace) or the source.
   */
  private static String common(JsonNode match, Client client, String vsNamespace, int listenerPort) {
    int port = match.path("port").asInt(0);
    if (port != 0 && port != listenerPort) {
      return "port " + port + " is not the request's port " + listenerPort;
    }
    JsonNode gateways = match.path("gateways");
    if (gateways.isArray() && !gateways.isEmpty()) {
      for (JsonNode g : gateways) {
        if (GatewayRef.parse(g.asText(), vsNamespace).key().equals(client.gatewayName())) {
          return null;
        }
      }
      return "gateways " + gateways + " do not include " + client.gatewayName();
    }
    Map<String, String> sourceLabels = Resource.stringMap(match.path("sourceLabels"));
    for (Map.Entry<String, String> e : sourceLabels.entrySet()) {
      if (!e.getValue().equals(client.labels().get(e.getKey()))) {
        return "sourceLabels " + e.getKey() + "=" + e.getValue() + " do not match the source"
            + (client.labels().isEmpty() && client.workload() == null ? " (its labels are not known)" : "");
      }
    }
    String sourceNamespace = match.path("sourceNamespace").asText("");
    if (!sourceNamespace.isEmpty() && !sourceNamespace.equals(client.namespace())) {
      return "sourceNamespace " + sourceNamespace + " is not the source's namespace " + client.namespace();
    }
    return null;
  }

  private static String schemeOf(Request request, Client client) {
    // A sidecar sees the plain HTTP the application sends; a gateway the scheme the client used.
    return client.isGateway() && request.isTls() ? "https" : "http";
  }

  private static String header(Request request, String name) {
    return request.headers().get(name.toLowerCase(Locale.ROOT));
  }

  /** A StringMatch that only asks for presence: empty, or the regex {@code *} (not RE2; Istio reads it so). */
  static boolean isPresence(JsonNode m) {
    return m == null || !m.isObject() || m.isEmpty() || "*".equals(m.path("regex").asText(null));
  }

  /** An Istio {@code StringMatch}: exact, prefix, or an RE2 regex that must match the whole value. */
  static boolean string(JsonNode m, String value, boolean ignoreCase) {
    if (m.has("exact")) {
      return ignoreCase ? m.path("exact").asText().equalsIgnoreCase(value) : m.path("exact").asText().equals(value);
    }
    if (m.has("prefix")) {
      String prefix = m.path("prefix").asText();
      return value.regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
    }
    if (m.has("regex")) {
      try {
        return Pattern.compile(m.path("regex").asText()).matcher(value).matches();
      } catch (PatternSyntaxException e) {
        return false;
      }
    }
    return false;
  }

  static String describe(JsonNode m) {
    for (String kind : new String[] {"exact", "prefix", "regex"}) {
      if (m.has(kind)) {
        return kind + " " + quote(m.path(kind).asText());
      }
    }
    return m.toString();
  }

  static String quote(String s) {
    return "\"" + s + "\"";
  }
}
