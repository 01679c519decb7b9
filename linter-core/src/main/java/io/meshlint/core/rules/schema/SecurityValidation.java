package io.meshlint.core.rules.schema;

import static io.meshlint.core.rules.schema.IstioValues.nonEmpty;
import static io.meshlint.core.rules.schema.IstioValues.textPresent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Istio's AuthorizationPolicy, PeerAuthentication and RequestAuthentication validation, for
 * {@link SchemaValidationError}.
 */
final class SecurityValidation {
  private SecurityValidation() {}

  private static final List<String> SOURCE_FIELDS = List.of("principals", "requestPrincipals", "namespaces",
      "ipBlocks", "remoteIpBlocks", "notPrincipals", "notRequestPrincipals", "notNamespaces", "notIpBlocks",
      "notRemoteIpBlocks");
  private static final List<String> IP_FIELDS = List.of("ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks");
  private static final List<String> CUSTOM_UNSUPPORTED_SOURCES = List.of("namespaces", "notNamespaces", "principals",
      "notPrincipals", "requestPrincipals", "notRequestPrincipals");
  private static final List<String> OPERATION_FIELDS =
      List.of("ports", "methods", "paths", "hosts", "notPorts", "notMethods", "notPaths", "notHosts");
  /** Path templates Istio does not support: named variables, {@code {}}, and bare {@code *} or {@code **} segments. */
  private static final Pattern UNSUPPORTED_PATH_TEMPLATE = Pattern.compile("/\\{\\w+=\\*[*]?\\}|\\{\\w*\\}|/\\*[*]?|\\*[*]?/");
  private static final Set<String> PLAIN_CONDITION_KEYS = Set.of("source.namespace", "source.principal",
      "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "connection.sni");
  private static final ObjectMapper JSON = new ObjectMapper();

  static void authorizationPolicy(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.policyTargets(spec, at, out);
    String action = spec.path("action").asText("ALLOW");
    JsonNode rules = spec.path("rules");
    boolean hasRules = nonEmpty(rules);
    if (action.equals("CUSTOM")) {
      if (!hasRules) {
        out.report(at, "CUSTOM action without `rules` is meaningless as it will never be triggered, "
            + "add an empty rule `{}` if you want it be triggered for every request");
      } else if (!textPresent(spec.path("provider").path("name"))) {
        out.report(spec.has("provider") ? at.key("provider") : at, "`provider.name` must not be empty");
      }
    } else if (spec.has("provider")) {
      out.report(at.key("provider"), "`provider` must not be with non CUSTOM action, found " + action);
    }
    if (action.equals("DENY") && !hasRules) {
      out.report(at, "DENY action without `rules` is meaningless as it will never be triggered, "
          + "add an empty rule `{}` if you want it be triggered for every request");
    }
    Trees.forEach(rules, at.key("rules"), (rule, path) -> rule(rule, path, action.equals("CUSTOM"), out));
  }

  private static void rule(JsonNode rule, FieldPath path, boolean custom, SchemaFindings out) {
    if (rule.isNull()) {
      out.report(path, "`rule` must not be nil");
      return;
    }
    Trees.forEach(rule.path("from"), path.key("from"), (from, fPath) -> {
      JsonNode source = from.path("source");
      if (!source.isObject()) {
        out.report(fPath, "`from.source` must not be nil");
        return;
      }
      FieldPath sPath = fPath.key("source");
      if (SOURCE_FIELDS.stream().noneMatch(f -> nonEmpty(source.path(f)))) {
        out.report(sPath, "`from.source` must not be empty");
      }
      for (String field : IP_FIELDS) {
        Trees.forEach(source.path(field), sPath.key(field), (ip, ipPath) -> {
          if (!ip.asText("").isEmpty() && !IstioValues.isIpOrCidr(ip.asText())) {
            out.report(ipPath, (ip.asText().contains("/") ? "bad CIDR range (" : "bad IP address (") + ip.asText() + ")");
          }
        });
      }
      for (String field : SOURCE_FIELDS) {
        emptyValues(source.path(field), sPath.key(field), out);
      }
      if (custom) {
        for (String field : CUSTOM_UNSUPPORTED_SOURCES) {
          if (nonEmpty(source.path(field))) {
            out.report(sPath.key(field), "From." + Character.toUpperCase(field.charAt(0)) + field.substring(1)
                + " is currently not supported with CUSTOM action");
          }
        }
      }
    });
    Trees.forEach(rule.path("to"), path.key("to"), (to, tPath) -> {
      JsonNode operation = to.path("operation");
      if (!operation.isObject()) {
        out.report(tPath, "`to.operation` must not be nil");
        return;
      }
      FieldPath oPath = tPath.key("operation");
      if (OPERATION_FIELDS.stream().noneMatch(f -> nonEmpty(operation.path(f)))) {
        out.report(oPath, "`to.operation` must not be empty");
      }
      for (String field : List.of("ports", "notPorts")) {
        Trees.forEach(operation.path(field), oPath.key(field), (port, pPath) -> {
          if (!port.asText("").isEmpty() && !isPort(port.asText())) {
            out.report(pPath, "bad port (" + port.asText() + ")");
          }
        });
      }
      for (String field : OPERATION_FIELDS) {
        emptyValues(operation.path(field), oPath.key(field), out);
      }
      for (String field : List.of("paths", "notPaths")) {
        Trees.forEach(operation.path(field), oPath.key(field), (p, pPath) -> {
          String value = p.asText("");
          if ((value.contains("{*}") || value.contains("{**}")) && UNSUPPORTED_PATH_TEMPLATE.matcher(value).find()) {
            out.report(pPath, "invalid or unsupported path template, found in "
                + Character.toUpperCase(field.charAt(0)) + field.substring(1));
          }
        });
      }
    });
    Trees.forEach(rule.path("when"), path.key("when"), (condition, cPath) -> {
      String key = condition.path("key").asText("");
      if (key.isEmpty()) {
        out.report(cPath, "`key` must not be empty");
        return;
      }
      if (custom && (key.equals("source.namespace") || key.equals("source.principal") || key.startsWith("request.auth."))) {
        out.report(cPath.key("key"), key + " is currently not supported with CUSTOM action");
        return;
      }
      if (!nonEmpty(condition.path("values")) && !nonEmpty(condition.path("notValues"))) {
        out.report(cPath, "at least one of `values` or `notValues` must be set for key " + key);
        return;
      }
      for (String field : List.of("values", "notValues")) {
        JsonNode values = condition.path(field);
        if (!nonEmpty(values)) {
          continue;
        }
        String problem = attributeProblem(key, values);
        if (problem != null) {
          String what = field.equals("values") ? "`value`" : "`notValue`";
          out.report(cPath.key(field), "invalid " + what + " for `key` " + key + ": " + problem);
        }
      }
    });
  }

  private static void emptyValues(JsonNode values, FieldPath path, SchemaFindings out) {
    Trees.forEach(values, path, (value, vPath) -> {
      if (value.isTextual() && value.asText().isEmpty()) {
        String field = path.segment(path.size() - 1).toString();
        out.report(vPath, "empty value not allowed, found in " + Character.toUpperCase(field.charAt(0)) + field.substring(1));
      }
    });
  }

  private static boolean isPort(String value) {
    return value.matches("[0-9]{1,5}") && Integer.parseInt(value) <= 65535;
  }

  /** What is wrong with a condition's key and values (Istio's ValidateAttribute), or null. */
  private static String attributeProblem(String key, JsonNode values) {
    for (JsonNode v : values) {
      if (v.asText("").isEmpty()) {
        return "empty value not allowed, found in " + key;
      }
    }
    if (key.startsWith("request.headers") || key.startsWith("request.auth.claims")
        || key.startsWith("experimental.envoy.filters.")) {
      int open = key.indexOf('[');
      return key.endsWith("]") && open > 0 && open < key.length() - 2 ? null
          : "bad key (" + key + "): should have format a[b]";
    }
    if (key.equals("source.ip") || key.equals("remote.ip") || key.equals("destination.ip")) {
      for (JsonNode v : values) {
        if (!IstioValues.isIpOrCidr(v.asText())) {
          return (v.asText().contains("/") ? "bad CIDR range (" : "bad IP address (") + v.asText() + ")";
        }
      }
      return null;
    }
    if (key.equals("destination.port")) {
      for (JsonNode v : values) {
        if (!isPort(v.asText())) {
          return "bad port (" + v.asText() + ")";
        }
      }
      return null;
    }
    if (PLAIN_CONDITION_KEYS.contains(key)) {
      return null;
    }
    if (key.equals("destination.namespace")) {
      return "attribute " + key + " is replaced by the metadata.namespace";
    }
    if (key.startsWith("destination.labels")) {
      return "attribute " + key + " is replaced by the workload selector";
    }
    if (key.equals("destination.name") || key.equals("destination.user")) {
      return "deprecated attribute " + key + ": only supported in v1alpha1";
    }
    return "unknown attribute: " + key;
  }

  static void peerAuthentication(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.selectorLabels(spec.path("selector").path("matchLabels"), at.then("selector.matchLabels"), out);
    JsonNode ports = spec.path("portLevelMtls");
    if (!ports.isObject()) {
      return;
    }
    if (ports.isEmpty()) {
      out.report(at.key("portLevelMtls"), "port level mTLS, if defined, must have at least one element");
      return;
    }
    if (spec.path("selector").path("matchLabels").isEmpty()) {
      out.report(at.key("portLevelMtls"), "mesh/namespace peer authentication cannot have port level mTLS");
    }
    IstioValues.forEachEntry(ports, (port, mtls) -> {
      if (!port.matches("[0-9]{1,10}") || Long.parseLong(port) < 1 || Long.parseLong(port) > 65535) {
        out.report(at.key("portLevelMtls").key(port), "port must be in range 1..65535");
      }
    });
  }

  static void requestAuthentication(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.policyTargets(spec, at, out);
    Trees.forEach(spec.path("jwtRules"), at.key("jwtRules"), (rule, path) -> jwtRule(rule, path, out));
  }

  private static void jwtRule(JsonNode rule, FieldPath path, SchemaFindings out) {
    if (!textPresent(rule.path("issuer"))) {
      out.report(rule.has("issuer") ? path.key("issuer") : path, "issuer must be set");
    }
    nonEmptyStrings(rule.path("audiences"), path.key("audiences"), "audience must be non-empty string", out);
    String uri = rule.path("jwksUri").asText("");
    if (!uri.isEmpty()) {
      int colon = uri.indexOf(':');
      String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        out.report(path.key("jwksUri"), "URI scheme \"" + scheme + "\" is not supported");
      }
    }
    String jwks = rule.path("jwks").asText("");
    if (!jwks.isEmpty() && !isJwks(jwks)) {
      out.report(path.key("jwks"), "jwks parse error: not a JSON Web Key or key set");
    }
    Trees.forEach(rule.path("fromHeaders"), path.key("fromHeaders"), (header, hPath) -> {
      if (!textPresent(header.path("name"))) {
        out.report(hPath, "location header name must be non-empty string");
      }
    });
    nonEmptyStrings(rule.path("fromParams"), path.key("fromParams"), "location query must be non-empty string", out);
    nonEmptyStrings(rule.path("fromCookies"), path.key("fromCookies"), "cookie name must be non-empty string", out);
    Trees.forEach(rule.path("outputClaimToHeaders"), path.key("outputClaimToHeaders"), (pair, pPath) -> {
      String header = pair.path("header").asText("");
      if (header.isEmpty() || pair.path("claim").asText("").isEmpty()) {
        out.report(pPath, "outputClaimToHeaders header and claim value must be non-empty string");
      } else if (!IstioValues.isHeaderName(header)) {
        out.report(pPath.key("header"), "header name " + header + " is not a valid header name");
      }
    });
    IstioValues.duration(rule, "timeout", path, out);
  }

  private static boolean isJwks(String jwks) {
    try {
      JsonNode node = JSON.readTree(jwks);
      return node != null && node.isObject() && (node.path("keys").isArray() || node.has("kty"));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static void nonEmptyStrings(JsonNode values, FieldPath path, String message, SchemaFindings out) {
    Trees.forEach(values, path, (value, vPath) -> {
      if (value.isTextual() && value.asText().isEmpty()) {
        out.report(vPath, message);
      }
    });
  }
}
