package io.meshlint.core.rules.injection;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0102",
    name = "NamespaceNotInjected",
    severity = Severity.INFO,
    summary = "A namespace says neither that it wants Istio sidecar injection nor that it does not.",
    description = """
        Istio's injection webhook adds the `istio-proxy` sidecar only to pods created in a namespace \
        labelled `istio-injection=enabled` or `istio.io/rev=<revision>` (or to pods that opt in \
        themselves). Pods in an unlabelled namespace start without a proxy: they are outside the mesh, \
        get no mTLS, routing, retries or telemetry, and callers that require mTLS (STRICT \
        PeerAuthentication) cannot reach them. Forgetting the label is one of the most common \
        reasons why "Istio does nothing".

        meshlint reports every Namespace among the inputs that has neither label, except the \
        system namespaces (setting `systemNamespaces`, by default Kubernetes' own and `istio-system`) \
        and namespaces in the ambient data plane (`istio.io/dataplane-mode=ambient`). An \
        `istio-injection` value other than `enabled` or `disabled` is reported too: the webhook \
        ignores it. When the sidecar injector ConfigMap among the inputs says Istio was installed with \
        `sidecarInjectorWebhook.enableNamespacesByDefault: true`, unlabelled namespaces are \
        injected and IST0148 reports them instead.

        Fix: label the namespace, `kubectl label namespace NAME istio-injection=enabled` (or \
        `istio.io/rev=REVISION` for a revisioned control plane), then restart its workloads; or \
        label it `istio-injection=disabled` to record that it is deliberately outside the mesh.""",
    subjects = {Kinds.NAMESPACE},
    reads = {Kinds.CONFIG_MAP})
public final class NamespaceNotInjected implements Rule {

  @Override
  public void check(Resource ns, RuleContext ctx) {
    String name = ns.name();
    if (ctx.mesh().settings().systemNamespaces().contains(name)
        || "ambient".equals(ns.labels().get(Injection.DATAPLANE_MODE_LABEL))
        || Injection.revision(ns.labels()) != null
        || NamespaceInjectionEnabledByDefault.injectedByDefault(ns, ctx)) {
      return;
    }
    String legacy = ns.labels().get(Injection.NAMESPACE_LABEL);
    if (legacy == null || legacy.isEmpty()) {
      ctx.report(Injection.labelPath(ns, Injection.NAMESPACE_LABEL),
          "The namespace is not enabled for Istio injection. Run 'kubectl label namespace " + name
              + " istio-injection=enabled' to enable it, or 'kubectl label namespace " + name
              + " istio-injection=disabled' to explicitly mark it as not needing injection.");
    } else if (!legacy.equals(Injection.ENABLED) && !legacy.equals(Injection.DISABLED)) {
      ctx.report(Injection.labelPath(ns, Injection.NAMESPACE_LABEL),
          "The namespace is not enabled for Istio injection: istio-injection=\"" + legacy
              + "\" is neither enabled nor disabled, and Istio ignores it. Run 'kubectl label namespace " + name
              + " istio-injection=enabled --overwrite' to enable it, or 'kubectl label namespace " + name
              + " istio-injection=disabled --overwrite' to explicitly mark it as not needing injection.");
    }
  }
}
