package io.meshlint.core.rules.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0163",
    name = "InvalidExternalControlPlaneConfig",
    severity = Severity.WARNING,
    summary = "An Istio webhook names neither a usable URL nor a Service to reach the control plane.",
    description = """
        Istio's injection and validation webhooks call istiod either through a Service in the \
        cluster or, when the control plane runs elsewhere, through the external control plane's \
        ingress gateway at `clientConfig.url`. A webhook with neither, or with a URL that cannot \
        be parsed, cannot be called: pods are created without sidecars (or not at all, with \
        `failurePolicy: Fail`) and Istio configuration is not validated.

        meshlint reports, as `istioctl analyze` does, each webhook of Istio's \
        MutatingWebhookConfigurations (`istio-sidecar-injector*`) and \
        ValidatingWebhookConfigurations (`istio-validator*`, `istiod-default-validator`) among the \
        inputs whose `clientConfig` is blank or whose URL is malformed. `istioctl analyze` also \
        resolves the URL's hostname through DNS; meshlint, working from files, does not.

        Fix: set `clientConfig.url` to the external control plane's ingress gateway address, such \
        as `https://istiod.example.com:15017/inject`, or `clientConfig.service` to istiod.""",
    subjects = {ExternalControlPlaneWebhooks.MUTATING, ExternalControlPlaneWebhooks.VALIDATING})
public final class InvalidExternalControlPlaneConfig implements Rule {
  @Override
  public void check(Resource config, RuleContext ctx) {
    if (!ExternalControlPlaneWebhooks.isIstios(config)) {
      return;
    }
    ExternalControlPlaneWebhooks.forEachWebhook(config, (webhook, path) -> {
      JsonNode client = webhook.path("clientConfig");
      String url = client.path("url").asText(null);
      String problem;
      if (url != null) {
        problem = ExternalControlPlaneWebhooks.host(url) == null ? "was provided in an invalid format" : null;
      } else {
        problem = client.path("service").isObject() ? null : "is blank";
      }
      if (problem != null) {
        ctx.report(path.key("clientConfig"), "The hostname (" + (url == null ? "" : url) + ") that was provided "
            + "for the webhook (" + webhook.path("name").asText() + ") to reach the ingress gateway on the external "
            + "control plane cluster " + problem + ". Traffic may not flow properly.");
      }
    });
  }
}
