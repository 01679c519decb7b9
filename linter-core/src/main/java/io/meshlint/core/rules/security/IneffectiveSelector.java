package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.LinkedHashSet;
import java.util.Set;

@RuleMeta(
    code = "IST0166",
    name = "IneffectiveSelector",
    severity = Severity.WARNING,
    summary = "A policy selects the pods of a Kubernetes Gateway with a workload selector, which does not apply to them.",
    description = """
        Policies attach to a Kubernetes Gateway API Gateway through `targetRef` (or `targetRefs`), \
        not through `selector`: a workload selector that matches the gateway's pods (labelled \
        `gateway.networking.k8s.io/gateway-name`) has no effect on them, so the authorization, \
        authentication, telemetry or Wasm extension silently does not apply at the gateway.

        meshlint reports, as `istioctl analyze` does, each AuthorizationPolicy, \
        RequestAuthentication, Telemetry and WasmPlugin with a `selector` and no `targetRef` or \
        `targetRefs` whose `matchLabels` select, in the policy's namespace, the pods of a \
        Kubernetes Gateway, once per Gateway. Unlike `istioctl analyze`, which looks at Pods only, \
        meshlint also counts pod templates (the gateway Deployment Istio creates carries the label).

        Fix: replace `selector` with `targetRefs: [{group: gateway.networking.k8s.io, kind: \
        Gateway, name: GATEWAY}]`.""",
    subjects = {Kinds.AUTHORIZATION_POLICY, Kinds.REQUEST_AUTHENTICATION, Kinds.TELEMETRY, Kinds.WASM_PLUGIN},
    reads = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class IneffectiveSelector implements Rule {
  private static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

  @Override
  public void check(Resource policy, RuleContext ctx) {
    JsonNode spec = policy.tree().path("spec");
    JsonNode selector = spec.path("selector");
    if (!selector.isObject() || spec.path("targetRef").isObject() || !spec.path("targetRefs").isEmpty()) {
      return;
    }
    Set<String> gateways = new LinkedHashSet<>();
    for (Workload w : ctx.mesh().workloadsMatching(policy.namespace(), Resource.stringMap(selector.path("matchLabels")))) {
      String gateway = w.labels().get(GATEWAY_NAME_LABEL);
      if (gateway != null) {
        gateways.add(gateway);
      }
    }
    for (String gateway : gateways) {
      ctx.report(FieldPath.of("spec", "selector"), "Ineffective selector on Kubernetes Gateway " + gateway
          + ". Use the TargetRef field instead.");
    }
  }
}
