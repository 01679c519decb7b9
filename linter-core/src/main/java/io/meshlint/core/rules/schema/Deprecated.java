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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

        meshlint also reports, at their `kind` or `apiVersion`, objects of other removed kinds and \
        API versions, which the API server no longer accepts:
        - every kind of `config.istio.io` (Mixer's rules, handlers, instances and adapters, \
        removed in Istio 1.8; use Telemetry and WasmPlugin), and `authentication.istio.io` \
        Policy and MeshPolicy (removed in Istio 1.6; use PeerAuthentication and \
        RequestAuthentication), and CustomResourceDefinitions of these kinds;
        - Kubernetes' `extensions/v1beta1` Deployments, DaemonSets, ReplicaSets, NetworkPolicies, \
        PodSecurityPolicies (removed in 1.16) and Ingresses (1.22). (`apps/v1beta1`, \
        `apps/v1beta2` and `batch/v1beta1` objects are reported by the schema check as versions \
        that are not served.) The pod templates of removed versions still count as workloads for \
        the other rules, since the intent is clear.

        Other deprecated fields that Istio's validation warns about, such as `mirrorPercent`, are \
        reported as IST0133 (SchemaWarning), as Istio does.""",
    subjects = {Kinds.ANY})
public final class Deprecated implements Rule {
  static final String CRD = "CustomResourceDefinition.apiextensions.k8s.io";
  private static final String RBAC = "rbac.istio.io";
  private static final Set<String> REMOVED_RBAC_KINDS = Set.of("ClusterRbacConfig", "RbacConfig", "ServiceRole",
      "ServiceRoleBinding");
  /** Istio's API groups whose every kind is removed (rbac.istio.io, Mixer's config.istio.io, authentication.istio.io). */
  private static final Set<String> REMOVED_GROUPS = Set.of(RBAC, "config.istio.io", "authentication.istio.io");
  /** Kubernetes' removed {@code apiVersion/Kind}s, with the version that replaces each and the release that removed it. */
  private static final Map<String, String> REMOVED_VERSIONS = removedVersions();
  private static final String PREFIX = "Deprecated: ";

  private static Map<String, String> removedVersions() {
    Map<String, String> out = new HashMap<>();
    for (String kind : List.of(Kinds.DEPLOYMENT, Kinds.DAEMON_SET, Kinds.REPLICA_SET)) {
      out.put("extensions/v1beta1/" + kind, "apps/v1 (removed in Kubernetes 1.16)");
    }
    out.put("extensions/v1beta1/NetworkPolicy", "networking.k8s.io/v1 (removed in Kubernetes 1.16)");
    out.put("extensions/v1beta1/PodSecurityPolicy", "policy/v1beta1 (removed in Kubernetes 1.16)");
    out.put("extensions/v1beta1/Ingress", "networking.k8s.io/v1 (removed in Kubernetes 1.22)");
    return Map.copyOf(out);
  }

  @Override
  public void check(Resource subject, RuleContext ctx) {
    JsonNode spec = subject.tree().path("spec");
    if (REMOVED_GROUPS.contains(subject.group())) {
      ctx.report(FieldPath.of("kind"), PREFIX + removed(subject.group(), subject.kind()));
      return;
    }
    String replacement = REMOVED_VERSIONS.get(subject.apiVersion() + "/" + subject.kind());
    if (replacement != null) {
      ctx.report(FieldPath.of("apiVersion"), PREFIX + subject.kind() + " is no longer served at " + subject.apiVersion()
          + "; use " + replacement);
      return;
    }
    switch (subject.kindKey()) {
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
        String group = spec.path("group").asText("");
        boolean removedKind = group.equals(RBAC) ? REMOVED_RBAC_KINDS.contains(kind)
            : REMOVED_GROUPS.contains(group) && !kind.isEmpty();
        if (subject.kindKey().equals(CRD) && removedKind) {
          ctx.report(FieldPath.of("spec", "names", "kind"), PREFIX + removed(group, kind));
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

  private static String removed(String group, String kind) {
    return "Custom resource type " + group + " " + kind + " is removed";
  }
}
