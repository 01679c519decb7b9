package io.meshlint.core.rules.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.InjectionWebhooks;
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
        none when it is absent). As with `istioctl analyze`, only the webhook configurations among \
        the inputs count: include them (`kubectl get mutatingwebhookconfiguration -o yaml`) or \
        every such Deployment is reported.

        Fix: label the namespace for injection (`istio-injection=enabled` or \
        `istio.io/rev=REVISION`), or label the pod template `sidecar.istio.io/inject: "true"`, so \
        that a webhook selects it.""",
    subjects = {Kinds.DEPLOYMENT},
    reads = {Kinds.NAMESPACE, InjectionWebhooks.KIND})
public final class ImageAutoWithoutInjectionWarning implements Rule {

  @Override
  public void check(Resource deployment, RuleContext ctx) {
    FieldPath templatePath = Kinds.podTemplatePath(deployment.kind());
    JsonNode template = templatePath.in(deployment.tree());
    FieldPath image = Injection.autoImage(template.path("spec"), templatePath.key("spec"));
    if (image == null) {
      return;
    }
    Resource ns = ctx.mesh().namespace(deployment.namespace());
    Map<String, String> nsLabels = ns == null ? Map.of() : ns.labels();
    Map<String, String> podLabels = Resource.stringMap(template.path("metadata").path("labels"));
    if (ctx.mesh().injectionWebhooks().injecting(deployment.namespace(), nsLabels, podLabels).isEmpty()) {
      ctx.report(image, "Deployment " + deployment.name()
          + " contains `image: auto` but does not match any Istio injection webhook selectors.");
    }
  }
}
