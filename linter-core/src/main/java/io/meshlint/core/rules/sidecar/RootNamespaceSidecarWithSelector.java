package io.meshlint.core.rules.sidecar;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1049",
    name = "RootNamespaceSidecarWithSelector",
    severity = Severity.WARNING,
    summary = "A Sidecar in the root namespace has a workloadSelector, so it is not the mesh-wide default.",
    description = """
        A Sidecar in Istio's root namespace (`istio-system` unless the mesh config's \
        `rootNamespace` says otherwise) is the mesh-wide default only when it has no \
        `workloadSelector`. With a selector it applies only to the selected workloads of the root \
        namespace itself; the rest of the mesh keeps Istio's default (every service in every \
        proxy), so the memory and push savings, or the `REGISTRY_ONLY` egress policy, the author \
        meant for the mesh never take effect.

        Fix: remove the `workloadSelector` to make it the mesh-wide default, or move the Sidecar \
        to the namespace of the workloads it is for.""",
    subjects = {Kinds.SIDECAR},
    aliases = {"KIA1006"})
public final class RootNamespaceSidecarWithSelector implements Rule {

  @Override
  public void check(Resource sidecar, RuleContext ctx) {
    String root = ctx.mesh().meshConfig().rootNamespace();
    if (root.equals(sidecar.namespace()) && sidecar.tree().path("spec").has("workloadSelector")) {
      ctx.report(FieldPath.of("spec", "workloadSelector"), "This Sidecar in the root namespace " + root
          + " has a workloadSelector: it is not the mesh-wide default and applies only to workloads of " + root);
    }
  }
}
