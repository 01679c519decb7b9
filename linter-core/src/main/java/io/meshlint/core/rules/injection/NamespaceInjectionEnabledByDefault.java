package io.meshlint.core.rules.injection;

import io.meshlint.core.mesh.InjectorValues;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0148",
    name = "NamespaceInjectionEnabledByDefault",
    severity = Severity.INFO,
    summary = "A namespace without injection label is injected, because Istio injects every namespace by default.",
    description = """
        Istio installed with `sidecarInjectorWebhook.enableNamespacesByDefault: true` injects the \
        pods of every namespace that has neither the `istio-injection` nor the `istio.io/rev` \
        label, rather than none of them. Such a namespace is in the mesh although nothing on it \
        says so, which surprises whoever reads its manifests.

        meshlint reports, instead of IST0102 and as `istioctl analyze` does, every Namespace among \
        the inputs without either label (an empty `istio-injection` counts as none) when the \
        sidecar injector ConfigMap among the inputs (`istio-sidecar-injector`, any namespace) says \
        `enableNamespacesByDefault: true` in its `values`. System namespaces (setting \
        `systemNamespaces`) and ambient namespaces (`istio.io/dataplane-mode: ambient`, whose \
        pods get no sidecar) are skipped.

        Fix: nothing is broken; to make the intent explicit, label the namespace \
        `istio-injection=enabled`, or `istio-injection=disabled` to keep it out of the mesh.""",
    subjects = {Kinds.NAMESPACE},
    reads = {Kinds.CONFIG_MAP})
public final class NamespaceInjectionEnabledByDefault implements Rule {

  @Override
  public void check(Resource ns, RuleContext ctx) {
    if (!ctx.mesh().settings().systemNamespaces().contains(ns.name()) && injectedByDefault(ns, ctx)) {
      ctx.report(Injection.labelPath(ns, Injection.NAMESPACE_LABEL), "The namespace " + ns.name() + " is enabled for "
          + "Istio injection, as Istio is installed with enableNamespacesByDefault as true.");
    }
  }

  /** True when the namespace has no injection label, is not ambient, and the default revision injects such namespaces. */
  static boolean injectedByDefault(Resource ns, RuleContext ctx) {
    String legacy = ns.labels().get(Injection.NAMESPACE_LABEL);
    if ((legacy != null && !legacy.isEmpty()) || ns.labels().containsKey(Injection.REVISION_LABEL)
        || Injection.inAmbientMode(ns)) {
      return false;
    }
    InjectorValues values = ctx.mesh().injectorValues(null);
    return values != null && values.enableNamespacesByDefault();
  }
}
