package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

/** Istio's Telemetry validation, for {@link SchemaValidationError}. */
final class TelemetryValidation {
  private TelemetryValidation() {}

  static void check(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.policyTargets(spec, at, out);
    Trees.forEach(spec.path("metrics"), at.key("metrics"), (metrics, path) -> {
      providers(metrics, path, out);
      Trees.forEach(metrics.path("overrides"), path.key("overrides"), (override, oPath) -> {
        IstioValues.forEachEntry(override.path("tagOverrides"), (tag, tagOverride) -> {
          FieldPath tPath = oPath.key("tagOverrides").key(tag);
          boolean remove = tagOverride.path("operation").asText("UPSERT").equals("REMOVE");
          boolean hasValue = !tagOverride.path("value").asText("").isEmpty();
          if (!remove && !hasValue) {
            out.report(tPath, "tagOverrides.value must be set when operation is UPSERT");
          } else if (remove && hasValue) {
            out.report(tPath.key("value"), "tagOverrides.value may only be set when operation is UPSERT");
          }
        });
        JsonNode custom = override.path("match").path("customMetric");
        if (custom.isTextual() && custom.asText().isEmpty()) {
          out.report(oPath.then("match.customMetric"), "customMetric may not be empty");
        }
      });
    });
    Trees.forEach(spec.path("tracing"), at.key("tracing"), (tracing, path) -> {
      providers(tracing, path, out);
      JsonNode sampling = tracing.path("randomSamplingPercentage");
      if (sampling.isNumber() && (sampling.asDouble() < 0 || sampling.asDouble() > 100)) {
        out.report(path.key("randomSamplingPercentage"), "randomSamplingPercentage must be in range [0.0, 100.0]");
      }
      IstioValues.forEachEntry(tracing.path("customTags"), (name, tag) -> {
        FieldPath tPath = path.key("customTags").key(name);
        if (name.isEmpty()) {
          out.report(tPath, "tag name may not be empty");
        } else if (tag.path("literal").isObject() && tag.path("literal").path("value").asText("").isEmpty()) {
          out.report(tPath.key("literal"), "literal tag value may not be empty");
        } else if (tag.path("header").isObject() && tag.path("header").path("name").asText("").isEmpty()) {
          out.report(tPath.key("header"), "header tag name may not be empty");
        } else if (tag.path("environment").isObject() && tag.path("environment").path("name").asText("").isEmpty()) {
          out.report(tPath.key("environment"), "environment tag name may not be empty");
        }
      });
    });
    Trees.forEach(spec.path("accessLogging"), at.key("accessLogging"), (logging, path) -> providers(logging, path, out));
  }

  private static void providers(JsonNode parent, FieldPath path, SchemaFindings out) {
    Trees.forEach(parent.path("providers"), path.key("providers"), (provider, pPath) -> {
      if (provider.path("name").asText("").isEmpty()) {
        out.report(pPath, "providers.name may not be empty");
      }
    });
  }
}
