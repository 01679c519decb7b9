package io.meshlint.core.rules.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

@RuleMeta(
    code = "IST0103",
    name = "PodMissingProxy",
    severity = Severity.WARNING,
    summary = "A Pod that Istio should have injected has no `istio-proxy` container.",
    description = """
        Injection happens once, when a pod is created. Label a namespace `istio-injection=enabled` \
        after its pods were created and those pods keep running without a sidecar: they are outside \
        the mesh (no mTLS, routing, retries or telemetry), and clients that require mTLS cannot \
        reach them, while newer pods of the same namespace are inside it.

        meshlint reports Pods (Pod objects among the inputs, typically exported with \
        `kubectl get pod -o yaml`; Deployments and other controllers are injected when they create \
        their pods) that have no container, and no init container (native sidecars), named \
        `istio-proxy` although the injector's rules select them:
        - the Namespace among the inputs is labelled `istio-injection=enabled`, or has no \
        `istio-injection` label and is labelled `istio.io/rev=<revision>`;
        - or the namespace has neither label (or is not among the inputs) and the pod opts in \
        itself with the label `sidecar.istio.io/inject: "true"` or `istio.io/rev`.

        Pods that opt out with the label or annotation `sidecar.istio.io/inject: "false"`, pods \
        using the host network, and pods in the system namespaces (setting `systemNamespaces`) are \
        never injected and not reported. A namespace's `istio-injection` label beats a pod's opt-in: \
        with `disabled` (or any value but `enabled`) nothing is injected.

        Fix: recreate the pods so the webhook injects them. Delete the pod and let its Deployment \
        (or other controller) recreate it, or run `kubectl rollout restart deployment/NAME`.""",
    subjects = {Kinds.POD},
    reads = {Kinds.NAMESPACE})
public final class PodMissingProxy implements Rule {
  private static final String PROXY = "istio-proxy";

  @Override
  public void check(Resource pod, RuleContext ctx) {
    String namespace = pod.namespace();
    if (namespace == null || ctx.mesh().settings().systemNamespaces().contains(namespace)) {
      return;
    }
    JsonNode spec = pod.tree().path("spec");
    if (optsOut(pod) || spec.path("hostNetwork").asBoolean(false)
        || hasContainer(spec.path("containers")) || hasContainer(spec.path("initContainers"))) {
      return;
    }
    String why = injectedBecause(pod, ctx.mesh().namespace(namespace));
    if (why == null) {
      return;
    }
    FieldPath at = spec.has("containers") ? FieldPath.of("spec", "containers") : FieldPath.of("spec");
    String late = why.startsWith("namespace")
        ? ", so pods created before the namespace was labelled run without a sidecar" : "";
    ctx.report(at, "The pod " + namespace + "/" + pod.name() + " is missing the Istio proxy. This can often be "
        + "resolved by restarting or redeploying the workload: " + why + ", but injection only happens when a "
        + "pod is created" + late + ". Delete the pod so that its controller recreates it, or run "
        + "'kubectl rollout restart' on its deployment.");
  }

  private static boolean optsOut(Resource pod) {
    return "false".equals(pod.labels().get(Injection.POD_LABEL))
        || "false".equals(pod.annotations().get(Injection.POD_LABEL));
  }

  private static boolean hasContainer(JsonNode containers) {
    if (containers.isArray()) {
      for (JsonNode c : containers) {
        if (PROXY.equals(c.path("name").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Why the injector selects this pod, following its webhooks' selectors; null when it does not. */
  private static String injectedBecause(Resource pod, Resource ns) {
    Map<String, String> nsLabels = ns == null ? Map.of() : ns.labels();
    String legacy = nsLabels.get(Injection.NAMESPACE_LABEL);
    if (legacy != null) {
      // The legacy label overrides everything else, and only "enabled" selects.
      return legacy.equals(Injection.ENABLED) ? "namespace " + pod.namespace() + " is labelled istio-injection=enabled"
          : null;
    }
    String nsRevision = Injection.revision(nsLabels);
    if (nsRevision != null) {
      return "namespace " + pod.namespace() + " is labelled istio.io/rev=" + nsRevision;
    }
    if ("true".equals(pod.labels().get(Injection.POD_LABEL))) {
      return "the pod is labelled sidecar.istio.io/inject=true";
    }
    String podRevision = Injection.revision(pod.labels());
    return podRevision == null ? null : "the pod is labelled istio.io/rev=" + podRevision;
  }
}
