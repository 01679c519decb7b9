package io.meshlint.core.rules.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "IST0171",
    name = "NegativeConditionStatus",
    severity = Severity.WARNING,
    summary = "A resource carries an Istio or Gateway API status condition that is negative.",
    description = """
        istiod writes status conditions on some resources, for example whether an ambient \
        waypoint is bound to a Service or ServiceEntry, whether an AuthorizationPolicy was \
        accepted by its target, or whether a Kubernetes Gateway or route was accepted and \
        programmed. A negative condition says the resource does not take effect as intended; its \
        reason and message say why.

        meshlint reports, as `istioctl analyze` does, these conditions with `status: "False"` on \
        the inputs (this matters for manifests exported from a cluster):
        - Service, ServiceEntry, WorkloadEntry: `istio.io/WaypointBound`;
        - AuthorizationPolicy: `ZtunnelAccepted` and `WaypointAccepted`, and also \
        `WaypointAccepted` with reason `PartiallyInvalid` whatever its status (some of the \
        policy's targets are invalid);
        - Kubernetes Gateway (`status.conditions`), HTTPRoute and GRPCRoute (each \
        `status.parents[].conditions`): `Accepted`, `Programmed` and `ResolvedRefs`.

        Conditions of other types, such as those other controllers write (Argo CD's `Synced`), \
        are not Istio's and are not reported.

        Fix: follow the condition's message, then let istiod update the status.""",
    subjects = {Kinds.SERVICE, Kinds.SERVICE_ENTRY, Kinds.WORKLOAD_ENTRY, Kinds.AUTHORIZATION_POLICY,
        NegativeConditionStatus.K8S_GATEWAY, NegativeConditionStatus.HTTP_ROUTE, NegativeConditionStatus.GRPC_ROUTE})
public final class NegativeConditionStatus implements Rule {
  static final String K8S_GATEWAY = "Gateway.gateway.networking.k8s.io";
  static final String HTTP_ROUTE = "HTTPRoute.gateway.networking.k8s.io";
  static final String GRPC_ROUTE = "GRPCRoute.gateway.networking.k8s.io";
  private static final Set<String> WAYPOINT_BOUND = Set.of("istio.io/WaypointBound");
  private static final Set<String> GATEWAY_API = Set.of("Accepted", "Programmed", "ResolvedRefs");
  /** The condition types istioctl reports as negative when False, by kind. */
  private static final Map<String, Set<String>> NEGATIVE_WHEN_FALSE = Map.of(
      Kinds.SERVICE, WAYPOINT_BOUND,
      Kinds.SERVICE_ENTRY, WAYPOINT_BOUND,
      Kinds.WORKLOAD_ENTRY, WAYPOINT_BOUND,
      Kinds.AUTHORIZATION_POLICY, Set.of("ZtunnelAccepted", "WaypointAccepted"),
      K8S_GATEWAY, GATEWAY_API,
      HTTP_ROUTE, GATEWAY_API,
      GRPC_ROUTE, GATEWAY_API);

  @Override
  public void check(Resource subject, RuleContext ctx) {
    Set<String> types = NEGATIVE_WHEN_FALSE.get(subject.kindKey());
    if (types == null) {
      return;
    }
    FieldPath status = FieldPath.of("status");
    if (subject.kindKey().equals(HTTP_ROUTE) || subject.kindKey().equals(GRPC_ROUTE)) {
      Trees.forEach(subject.tree().path("status").path("parents"), status.key("parents"),
          (parent, path) -> check(parent.path("conditions"), path.key("conditions"), subject, types, ctx));
    } else {
      check(subject.tree().path("status").path("conditions"), status.key("conditions"), subject, types, ctx);
    }
  }

  private static void check(JsonNode conditions, FieldPath conditionsPath, Resource subject, Set<String> types,
      RuleContext ctx) {
    Trees.forEach(conditions, conditionsPath, (condition, path) -> {
      String type = condition.path("type").asText("");
      boolean negative = types.contains(type) && "False".equals(condition.path("status").asText());
      boolean partiallyInvalid = subject.kind().equals(Kinds.AUTHORIZATION_POLICY) && type.equals("WaypointAccepted")
          && condition.path("reason").asText().equals("PartiallyInvalid");
      if (negative || partiallyInvalid) {
        ctx.report(path, "A condition with a negative status is present: type=" + type
            + ", reason=" + condition.path("reason").asText("") + ", message="
            + condition.path("message").asText("") + ".");
      }
    });
  }
}
