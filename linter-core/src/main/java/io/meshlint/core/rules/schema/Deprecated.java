package io.meshlint.core.rules.schema;

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
    code = "IST0002",
    name = "Deprecated",
    severity = Severity.WARNING,
    summary = "Configuration that depends on a deprecated or removed Istio feature.",
    description = """
        Deprecated fields are still accepted but may stop working in a later release, or already \
        do nothing; removed kinds are not served by Istio at all.

        meshlint reports what `istioctl analyze` reports as deprecated:
        - VirtualService: `http[].fault.delay.percent` (an integer) above 0; use \
        `fault.delay.percentage.value`;
        - Sidecar: `outboundTrafficPolicy.egressProxy`, which Istio ignores;
        - a CustomResourceDefinition of one of the removed `rbac.istio.io` kinds (`ClusterRbacConfig`, \
        `RbacConfig`, `ServiceRole`, `ServiceRoleBinding`). meshlint also reports objects of those \
        kinds themselves; use AuthorizationPolicy instead;
        - Telemetry: a tracing provider that the mesh config defines as a `lightstep` extension \
        provider; Istio deprecates Lightstep in favour of OpenTelemetry.

        Other deprecated fields that Istio's validation warns about, such as `mirrorPercent`, are \
        reported as IST0133 (SchemaWarning), as Istio does.""",
    subjects = {Kinds.VIRTUAL_SERVICE, Kinds.SIDECAR, Kinds.TELEMETRY, Deprecated.CRD, "ClusterRbacConfig.rbac.istio.io",
        "RbacConfig.rbac.istio.io", "ServiceRole.rbac.istio.io", "ServiceRoleBinding.rbac.istio.io"})
public final class Deprecated implements Rule {
  static final String CRD = "CustomResourceDefinition.apiextensions.k8s.io";
  private static final String RBAC = "rbac.istio.io";
  private static final Set<String> REMOVED_RBAC_KINDS = Set.of("ClusterRbacConfig", "RbacConfig", "ServiceRole",
      "ServiceRoleBinding");
  private static final String PREFIX = "Deprecated: ";

  @Override
  public void check(Resource subject, RuleContext ctx) {
    JsonNode spec = subject.tree().path("spec");
    if (subject.group().equals(RBAC)) {
      ctx.report(FieldPath.of("kind"), PREFIX + removed(subject.kind()));
      return;
    }
    switch (subject.kind()) {
      case Kinds.VIRTUAL_SERVICE -> Trees.forEach(spec.path("http"), FieldPath.of("spec", "http"), (route, path) -> {
        JsonNode percent = route.path("fault").path("delay").path("percent");
        if (percent.isNumber() && percent.asDouble() > 0) {
          ctx.report(path.then("fault.delay.percent"), PREFIX
              + "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage");
        }
      });
      case Kinds.SIDECAR -> {
        if (!spec.path("outboundTrafficPolicy").path("egressProxy").isMissingNode()) {
          ctx.report(FieldPath.of("spec", "outboundTrafficPolicy", "egressProxy"),
              PREFIX + "OutboundTrafficPolicy.EgressProxy ignored");
        }
      }
      case Kinds.TELEMETRY -> checkLightstep(spec, ctx);
      default -> {
        String kind = spec.path("names").path("kind").asText("");
        if (spec.path("group").asText("").equals(RBAC) && REMOVED_RBAC_KINDS.contains(kind)) {
          ctx.report(FieldPath.of("spec", "names", "kind"), PREFIX + removed(kind));
        }
      }
    }
  }

  private static void checkLightstep(JsonNode spec, RuleContext ctx) {
    Set<String> lightstep = new HashSet<>();
    ctx.mesh().meshConfig().raw().path("extensionProviders").forEach(p -> {
      if (p.has("lightstep")) {
        lightstep.add(p.path("name").asText());
      }
    });
    if (lightstep.isEmpty()) {
      return;
    }
    Trees.forEach(spec.path("tracing"), FieldPath.of("spec", "tracing"), (tracing, path) ->
        Trees.forEach(tracing.path("providers"), path.key("providers"), (provider, providerPath) -> {
          String name = provider.path("name").asText();
          if (lightstep.contains(name)) {
            ctx.report(providerPath.key("name"), PREFIX + "The Lightstep provider " + name
                + " is deprecated, please migrate to OpenTelemetry provider.");
          }
        }));
  }

  private static String removed(String kind) {
    return "Custom resource type " + RBAC + " " + kind + " is removed";
  }
}
