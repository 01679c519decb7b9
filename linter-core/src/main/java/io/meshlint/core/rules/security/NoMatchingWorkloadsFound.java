package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.injection.Injection;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

@RuleMeta(
    code = "IST0127",
    name = "NoMatchingWorkloadsFound",
    severity = Severity.WARNING,
    summary = "An AuthorizationPolicy selects no workload in the mesh, so it enforces nothing.",
    description = """
        An AuthorizationPolicy applies to the mesh workloads its `selector.matchLabels` selects in \
        its namespace (in every namespace for the root namespace, `istio-system` unless the mesh \
        config says otherwise), or to all of its namespace without a selector. When no workload \
        matches, usually because of a typo in a label, the policy silently protects nothing: the \
        DENY rules you rely on are not enforced.

        meshlint reports, as `istioctl analyze` does, AuthorizationPolicies whose selector matches \
        no workload of their namespace (of any namespace for the root namespace), and \
        selectorless policies outside the root namespace whose namespace has no workload at all. \
        Unlike `istioctl analyze`, which counts only Pods that are injected or in a namespace \
        labelled for injection, meshlint counts pod templates of Deployments and other \
        controllers too, and every workload except those known to be outside the mesh (opting \
        out with `sidecar.istio.io/inject: "false"`, or in a Namespace among the inputs that is \
        neither labelled for injection nor ambient, without opting in). Policies that use \
        `targetRef`/`targetRefs` instead of a selector are not checked.

        Fix: correct the selector's labels, or delete the policy.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.NAMESPACE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class NoMatchingWorkloadsFound implements Rule {

  @Override
  public void check(Resource policy, RuleContext ctx) {
    JsonNode spec = policy.tree().path("spec");
    if (spec.has("targetRef") || spec.has("targetRefs")) {
      return;
    }
    MeshView mesh = ctx.mesh();
    boolean root = policy.namespace().equals(mesh.meshConfig().rootNamespace());
    JsonNode selector = spec.path("selector");
    if (!selector.isObject()) {
      if (!root && mesh.workloads(policy.namespace()).stream().noneMatch(w -> inMesh(w, mesh))) {
        ctx.report(FieldPath.of("metadata", "name"), message(""));
      }
      return;
    }
    JsonNode labels = selector.path("matchLabels");
    Map<String, String> matchLabels = Resource.stringMap(labels);
    if (mesh.workloadsMatching(root ? null : policy.namespace(), matchLabels).stream().noneMatch(w -> inMesh(w, mesh))) {
      ctx.report(FieldPath.of("spec", "selector"), message(MeshIndex.selectorKey(labels)));
    }
  }

  private static String message(String labels) {
    return "No matching workloads for this resource with the following labels: " + labels;
  }

  private static boolean inMesh(Workload w, MeshView mesh) {
    return Injection.inMesh(w, mesh.namespace(w.namespace()));
  }
}
