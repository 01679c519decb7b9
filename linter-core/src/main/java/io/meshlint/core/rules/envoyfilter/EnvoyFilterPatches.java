package io.meshlint.core.rules.envoyfilter;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

/**
 * Istio's EnvoyFilter patch analysis (IST0151 to IST0155), done once per patch: each patch gets at
 * most one of these codes, and each of the five rules reports the patches that got its own.
 */
final class EnvoyFilterPatches {
  static final String RELATIVE = "IST0151";
  static final String REPLACE_MISUSED = "IST0152";
  static final String ADD_MISUSED = "IST0153";
  static final String REMOVE_MISUSED = "IST0154";
  static final String RELATIVE_WITH_PROXY_VERSION = "IST0155";

  private static final Set<String> ROUTE_LEVEL = Set.of("ROUTE_CONFIGURATION", "HTTP_ROUTE");
  /** Where Istio applies REPLACE: network and HTTP filters, and virtual hosts. */
  private static final Set<String> REPLACEABLE = Set.of("NETWORK_FILTER", "HTTP_FILTER", "VIRTUAL_HOST");

  private EnvoyFilterPatches() {}

  /** Reports, at each patch's operation, the patches whose code is {@code code}, with Istio's message for it. */
  static void report(Resource filter, String code, String message, RuleContext ctx) {
    JsonNode spec = filter.tree().path("spec");
    JsonNode patches = spec.path("configPatches");
    boolean prioritised = spec.path("priority").asInt(0) != 0;
    Set<String> versionedBefore = new HashSet<>();
    for (int i = 0; i < patches.size(); i++) {
      JsonNode configPatch = patches.get(i);
      // Istio stops at the first entry without a patch.
      if (!configPatch.path("patch").isObject()) {
        return;
      }
      String name = MeshIndex.envoyFilterPatchName(configPatch);
      if (code.equals(codeOf(filter, configPatch, name, prioritised, versionedBefore, ctx))) {
        ctx.report(FieldPath.of("spec", "configPatches", i, "patch", "operation"), message);
      }
      if (!configPatch.path("match").path("proxy").path("proxyVersion").asText("").isEmpty()) {
        versionedBefore.add(name);
      }
    }
  }

  private static String codeOf(Resource filter, JsonNode configPatch, String name, boolean prioritised,
      Set<String> versionedBefore, RuleContext ctx) {
    String applyTo = configPatch.path("applyTo").asText("");
    String relative = prioritised ? null
        : versionedBefore.contains(name) || versionedElsewhere(filter, name, ctx) ? RELATIVE_WITH_PROXY_VERSION
        : RELATIVE;
    return switch (configPatch.path("patch").path("operation").asText("")) {
      case "ADD" -> ROUTE_LEVEL.contains(applyTo) ? ADD_MISUSED : null;
      case "REMOVE" -> ROUTE_LEVEL.contains(applyTo) ? REMOVE_MISUSED : relative;
      case "REPLACE" -> REPLACEABLE.contains(applyTo) ? relative : REPLACE_MISUSED;
      case "INSERT_BEFORE", "INSERT_AFTER" -> relative;
      default -> null;
    };
  }

  /** True when another EnvoyFilter has a patch of the same name that sets a proxyVersion. */
  private static boolean versionedElsewhere(Resource filter, String name, RuleContext ctx) {
    for (Resource other : ctx.mesh().envoyFiltersWithVersionedPatch(name)) {
      if (!other.key().equals(filter.key())) {
        return true;
      }
    }
    return false;
  }
}
