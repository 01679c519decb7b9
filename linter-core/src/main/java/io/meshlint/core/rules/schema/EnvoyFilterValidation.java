package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Istio's EnvoyFilter validation: each patch's applyTo, match and operation line up, for {@link SchemaValidationError}. */
final class EnvoyFilterValidation {
  private EnvoyFilterValidation() {}

  private static final Set<String> LISTENER_OBJECTS = Set.of("LISTENER", "FILTER_CHAIN", "NETWORK_FILTER", "HTTP_FILTER");
  private static final Set<String> ROUTE_OBJECTS = Set.of("ROUTE_CONFIGURATION", "VIRTUAL_HOST", "HTTP_ROUTE");
  private static final Set<String> HCM_NAMES =
      Set.of("envoy.filters.network.http_connection_manager", "envoy.http_connection_manager");

  static void check(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.selectorLabels(spec.path("workloadSelector").path("labels"), at.then("workloadSelector.labels"), out);
    Trees.forEach(spec.path("configPatches"), at.key("configPatches"), (patch, path) -> patch(patch, path, out));
  }

  private static void patch(JsonNode cp, FieldPath path, SchemaFindings out) {
    String applyTo = cp.path("applyTo").asText("INVALID");
    JsonNode patch = cp.path("patch");
    String operation = patch.path("operation").asText("INVALID");
    if (applyTo.equals("INVALID")) {
      out.report(cp.has("applyTo") ? path.key("applyTo") : path, "Envoy filter: missing applyTo");
      return;
    }
    if (!patch.isObject()) {
      out.report(path, "Envoy filter: missing patch");
      return;
    }
    if (operation.equals("INVALID")) {
      out.report(patch.has("operation") ? path.then("patch.operation") : path.key("patch"),
          "Envoy filter: missing patch operation");
      return;
    }
    if (!operation.equals("REMOVE") && !patch.has("value")) {
      out.report(path.key("patch"), "Envoy filter: missing patch value for non-remove operation");
      return;
    }
    JsonNode match = cp.path("match");
    JsonNode version = match.path("proxy").path("proxyVersion");
    if (version.isTextual() && !version.asText().isEmpty()) {
      try {
        Pattern.compile(version.asText());
      } catch (PatternSyntaxException e) {
        out.report(path.then("match.proxy.proxyVersion"), "Envoy filter: invalid regex for proxy version, ["
            + e.getDescription() + "]");
        return;
      }
    }
    boolean hasObject = match.has("listener") || match.has("routeConfiguration") || match.has("cluster");
    if (!hasObject) {
      return;
    }
    FieldPath matchPath = path.key("match");
    if (LISTENER_OBJECTS.contains(applyTo)) {
      if (!match.path("listener").isObject()) {
        out.report(matchPath, "Envoy filter: applyTo for listener class objects cannot have non listener match");
        return;
      }
      JsonNode filter = match.path("listener").path("filterChain").path("filter");
      FieldPath filterPath = matchPath.then("listener.filterChain.filter");
      if (!filter.isObject()) {
        return;
      }
      String name = filter.path("name").asText("");
      JsonNode subFilter = filter.path("subFilter");
      if (name.isEmpty()) {
        out.report(filterPath, "Envoy filter: filter match has no name to match on");
      } else if (subFilter.isObject()) {
        if (!applyTo.equals("HTTP_FILTER")) {
          out.report(filterPath.key("subFilter"), "Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only");
        } else if (!HCM_NAMES.contains(name)) {
          out.report(filterPath.key("name"),
              "Envoy filter: subfilter match requires filter match with envoy.filters.network.http_connection_manager");
        } else if (subFilter.path("name").asText("").isEmpty()) {
          out.report(filterPath.key("subFilter"), "Envoy filter: subfilter match has no name to match on");
        }
      }
    } else if (ROUTE_OBJECTS.contains(applyTo) && !match.path("routeConfiguration").isObject()) {
      out.report(matchPath,
          "Envoy filter: applyTo for http route class objects cannot have non route configuration match");
    } else if (applyTo.equals("CLUSTER") && !match.path("cluster").isObject()) {
      out.report(matchPath, "Envoy filter: applyTo for cluster class objects cannot have non cluster match");
    }
  }
}
