package io.meshlint.core.rules.injection;

import io.meshlint.core.mesh.InjectionWebhooks;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

@RuleMeta(
    code = "IST0146",
    name = "ImageAutoWithoutInjectionWarning",
    severity = Severity.WARNING,
    summary = "A Deployment asks for `image: auto` but no Istio injection webhook selects its pods.",
    description = """
        Gateways deployed with injection (Istio's recommended way) declare an `istio-proxy` \
        container with `image: auto`, a placeholder that the injection webhook replaces with the \
        real proxy image. If no webhook selects the pods, nothing replaces it: the pods fail to \
        start with an image pull error (`ErrImagePull` for the image `auto`).

        meshlint reports, as `istioctl analyze` does, Deployments (other controllers are not \
        checked) whose pod template has an `istio-proxy` container with `image: auto` when no \
        Istio webhook (a \
        webhook of a MutatingWebhookConfiguration among the inputs whose name ends in `istio.io`) \
        selects the template's labels in the namespace's labels (the Namespace among the inputs; \
        none when it is absent). When no Istio webhook configuration is among the inputs, meshlint \
        assumes the webhooks of Istio's default installation, as it assumes Istio's default ingress \
        gateway: they select pods in a namespace labelled `istio-injection=enabled` or \
        `istio.io/rev=REVISION` (unless the pod is labelled `sidecar.istio.io/inject: "false"`), and \
        pods labelled `sidecar.istio.io/inject: "true"` or `istio.io/rev` in a namespace without \
        these labels. `istioctl analyze` instead reports every such Deployment when the webhook \
        configurations are not among its inputs.

        Fix: label the namespace for injection (`istio-injection=enabled` or \
        `istio.io/rev=REVISION`), or label the pod template `sidecar.istio.io/inject: "true"`, so \
        that a webhook selects it.""",
    subjects = {Kinds.DEPLOYMENT},
    reads = {Kinds.NAMESPACE, InjectionWebhooks.KIND})
public final class ImageAutoWithoutInjectionWarning implements Rule {

  @Override
  public void check(Resource deployment, RuleContext ctx) {
    Workload pods = Workload.of(deployment);
    FieldPath image = pods == null ? null : Injection.autoImage(pods.podSpec(), pods.podSpecPath());
    if (image == null) {
      return;
    }
    Resource ns = ctx.mesh().namespace(deployment.namespace());
    Map<String, String> nsLabels = ns == null ? Map.of() : ns.labels();
    Map<String, String> podLabels = pods.labels();
    InjectionWebhooks webhooks = ctx.mesh().injectionWebhooks();
    boolean injected = webhooks.istioWebhooks().isEmpty() ? defaultInjectorSelects(nsLabels, podLabels)
        : !webhooks.injecting(deployment.namespace(), nsLabels, podLabels).isEmpty();
    if (!injected) {
      ctx.report(image, "Deployment " + deployment.name()
          + " contains `image: auto` but does not match any Istio injection webhook selectors.");
    }
  }

  /**
   * Whether the webhooks of Istio's default installation select the pod: by the namespace's
   * {@code istio-injection=enabled} or {@code istio.io/rev} label unless the pod opts out, else by
   * the pod's own {@code sidecar.istio.io/inject: "true"} or {@code istio.io/rev} label.
   */
  private static boolean defaultInjectorSelects(Map<String, String> nsLabels, Map<String, String> podLabels) {
    String legacy = nsLabels.get("istio-injection");
    if (legacy != null || nsLabels.containsKey(InjectionWebhooks.REVISION_LABEL)) {
      return !"false".equals(podLabels.get("sidecar.istio.io/inject"))
          && (legacy == null ? !nsLabels.get(InjectionWebhooks.REVISION_LABEL).isEmpty() : legacy.equals("enabled"));
    }
    return "true".equals(podLabels.get("sidecar.istio.io/inject")) || podLabels.containsKey(InjectionWebhooks.REVISION_LABEL);
  }
}
