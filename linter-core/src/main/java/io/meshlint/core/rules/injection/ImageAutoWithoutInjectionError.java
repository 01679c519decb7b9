package io.meshlint.core.rules.injection;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0147",
    name = "ImageAutoWithoutInjectionError",
    severity = Severity.ERROR,
    summary = "A Pod still has the `image: auto` placeholder: it was not injected and cannot start.",
    description = """
        An `istio-proxy` container with `image: auto` is a placeholder that Istio's injection \
        webhook replaces with the real proxy image when the pod is created. A Pod object that \
        still carries it was created without injection: its proxy container cannot pull the image \
        `auto`, and the pod never becomes ready.

        meshlint reports every Pod (typically exported with `kubectl get pod -o yaml`) with an \
        `istio-proxy` container whose image is `auto`, as `istioctl analyze` does: whatever the \
        webhooks among the inputs say now, this pod was not injected. Deployments' pod templates \
        are checked by IST0146 instead, since their pods are yet to be created.

        Fix: make an Istio injection webhook select the pod (label its namespace \
        `istio-injection=enabled` or `istio.io/rev=REVISION`, or the pod \
        `sidecar.istio.io/inject: "true"`), then delete the pod so that its controller recreates it.""",
    subjects = {Kinds.POD})
public final class ImageAutoWithoutInjectionError implements Rule {

  @Override
  public void check(Resource pod, RuleContext ctx) {
    FieldPath image = Injection.autoImage(pod.tree().path("spec"), FieldPath.of("spec"));
    if (image != null) {
      ctx.report(image, "Pod " + pod.name() + " contains `image: auto` but does not match any Istio injection "
          + "webhook selectors.");
    }
  }
}
