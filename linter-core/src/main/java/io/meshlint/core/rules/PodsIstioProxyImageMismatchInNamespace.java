package io.meshlint.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.InjectorValues;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;

@RuleMeta(
    code = "IST0158",
    name = "PodsIstioProxyImageMismatchInNamespace",
    severity = Severity.WARNING,
    summary = "Pods of an injected namespace run another proxy image than the injector now adds.",
    description = """
        The sidecar is injected when a pod is created, so after an upgrade of the control plane \
        the pods created before it keep the old proxy: they miss fixes, and a proxy too far from \
        istiod's version may not work with it at all.

        meshlint reports, as `istioctl analyze` does, a Namespace among the inputs labelled \
        `istio-injection=enabled` or `istio.io/rev=REVISION` when some of its pods have an \
        `istio-proxy` container whose image differs from the one the sidecar injector ConfigMap \
        of that revision (`istio-sidecar-injector`, or `istio-sidecar-injector-REVISION`, among \
        the inputs) adds: `global.proxy.image` when it is a full image name, else \
        `global.hub/global.proxy.image:global.tag` from its `values`. Pods that choose their image \
        with the annotation `sidecar.istio.io/proxyImage` are skipped. Unlike `istioctl analyze`, \
        which looks at Pods only, meshlint also counts pod templates that carry an `istio-proxy` \
        container with a real image (manifests injected with `istioctl kube-inject`, not the \
        `image: auto` placeholder), and native sidecars (init containers).

        Fix: restart the workloads (`kubectl rollout restart deployment -n NAMESPACE`) so that \
        their pods are injected again, or inject the manifests again with the new `istioctl`.""",
    subjects = {Kinds.NAMESPACE},
    reads = {Kinds.CONFIG_MAP, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class PodsIstioProxyImageMismatchInNamespace implements Rule {

  @Override
  public void check(Resource ns, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    boolean hasRevision = ns.labels().containsKey(Injection.REVISION_LABEL);
    if (!hasRevision && !Injection.ENABLED.equals(ns.labels().get(Injection.NAMESPACE_LABEL))) {
      return;
    }
    // A revision label picks the injector even beside istio-injection, as Istio's analyzer reads it.
    InjectorValues injector = mesh.injectorValues(hasRevision ? ns.labels().get(Injection.REVISION_LABEL) : null);
    if (injector == null) {
      return;
    }
    String image = injector.proxyImage();
    List<String> mismatched = new ArrayList<>();
    for (Workload w : mesh.workloads(ns.name())) {
      String override = w.annotations().get(Injection.PROXY_IMAGE_ANNOTATION);
      if ((override == null || override.isEmpty()) && runsOtherProxy(w, image)) {
        mismatched.add(WorkloadSelectors.workloadName(w));
      }
    }
    if (!mismatched.isEmpty()) {
      ctx.report(FieldPath.of("metadata", "name"), "The Istio proxy images of the pods running in the namespace do "
          + "not match the image defined in the injection configuration (pod names: "
          + WorkloadSelectors.goList(mismatched) + "). This often happens after upgrading the Istio control-plane and "
          + "can be fixed by redeploying the pods.");
    }
  }

  private static boolean runsOtherProxy(Workload w, String image) {
    for (String list : new String[] {"containers", "initContainers"}) {
      for (JsonNode c : w.podSpec().path(list)) {
        String actual = c.path("image").asText();
        // In a template, image: auto is the placeholder the injector fills in (see IST0146).
        boolean placeholder = !w.isPod() && actual.equals("auto");
        if (Injection.PROXY_CONTAINER.equals(c.path("name").asText()) && !placeholder && !image.equals(actual)) {
          return true;
        }
      }
    }
    return false;
  }
}
