package io.meshlint.core.rules.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

@RuleMeta(
    code = "IST0157",
    name = "InvalidTelemetryProvider",
    severity = Severity.WARNING,
    summary = "A Telemetry's access logging has no provider to log to, or names a provider the mesh does not define.",
    description = """
        An `accessLogging` entry without `providers` logs to the mesh config's \
        `defaultProviders.accessLogging`. Istio's default mesh config sets none, so unless yours \
        does, the entry is ignored and no access log is written.

        meshlint reports, as `istioctl analyze` does, each `accessLogging` entry that is not \
        `disabled: true` and names no provider, when the mesh config (`--mesh-config` or the \
        `istio` ConfigMap among the inputs; Istio's defaults otherwise) has no default access \
        logging provider.

        In addition, and unlike `istioctl analyze`, when a mesh config is given meshlint reports a \
        provider named in `accessLogging`, `tracing` or `metrics` that neither the mesh config's \
        `extensionProviders` nor Istio's built-in providers (`envoy`, `prometheus`, `stackdriver`) \
        define: istiod skips unknown providers, so nothing is logged, traced or exported. Without \
        a mesh config the providers of the cluster are unknown and this is not checked.

        Fix: name a provider (`providers: [{name: envoy}]`), set \
        `defaultProviders.accessLogging` in the mesh config, or define the provider under \
        `extensionProviders`.""",
    subjects = {Kinds.TELEMETRY})
public final class InvalidTelemetryProvider implements Rule {
  private static final Set<String> BUILT_IN_PROVIDERS = Set.of("envoy", "prometheus", "stackdriver");
  private static final String[] SECTIONS = {"accessLogging", "tracing", "metrics"};

  @Override
  public void check(Resource telemetry, RuleContext ctx) {
    JsonNode mesh = ctx.mesh().meshConfig().raw();
    JsonNode spec = telemetry.tree().path("spec");
    FieldPath specPath = FieldPath.of("spec");
    boolean hasDefaultLogging = mesh.path("defaultProviders").path("accessLogging").isArray()
        && !mesh.path("defaultProviders").path("accessLogging").isEmpty();
    if (!hasDefaultLogging) {
      Trees.forEach(spec.path("accessLogging"), specPath.key("accessLogging"), (entry, path) -> {
        if (!entry.path("disabled").asBoolean(false) && entry.path("providers").isEmpty()) {
          ctx.report(path, "The Telemetry " + telemetry.name() + " in namespace \"" + telemetry.namespace()
              + "\" with empty providers will be ignored.");
        }
      });
    }
    if (mesh.isMissingNode()) {
      return;
    }
    Set<String> defined = new HashSet<>(BUILT_IN_PROVIDERS);
    mesh.path("extensionProviders").forEach(p -> defined.add(p.path("name").asText()));
    for (String section : SECTIONS) {
      Trees.forEach(spec.path(section), specPath.key(section), (entry, entryPath) ->
          Trees.forEach(entry.path("providers"), entryPath.key("providers"), (provider, path) -> {
            String name = provider.path("name").asText();
            if (!defined.contains(name)) {
              ctx.report(path.key("name"), "The Telemetry " + telemetry.name() + " in namespace \""
                  + telemetry.namespace() + "\" names provider \"" + name + "\", which the mesh config's "
                  + "extensionProviders does not define; it will be ignored.");
            }
          }));
    }
  }
}
