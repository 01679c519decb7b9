package io.meshlint.core.rules.controlplane;

import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0164",
    name = "ExternalControlPlaneAddressIsNotAHostname",
    severity = Severity.INFO,
    summary = "An Istio webhook reaches an external control plane by IP address rather than by hostname.",
    description = """
        In a cluster whose control plane runs elsewhere, Istio's injection and validation webhooks \
        call istiod through the external control plane's ingress gateway at `clientConfig.url`. \
        An IP address there works, but it cannot be verified against a certificate issued for a \
        name and breaks when the gateway's address changes.

        meshlint reports, as `istioctl analyze` does, each webhook of Istio's \
        MutatingWebhookConfigurations (`istio-sidecar-injector*`) and \
        ValidatingWebhookConfigurations (`istio-validator*`, `istiod-default-validator`) among the \
        inputs whose URL host is an IP address.

        Fix: give the external control plane's ingress gateway a DNS name and use it in the URL.""",
    subjects = {ExternalControlPlaneWebhooks.MUTATING, ExternalControlPlaneWebhooks.VALIDATING})
public final class ExternalControlPlaneAddressIsNotAHostname implements Rule {
  @Override
  public void check(Resource config, RuleContext ctx) {
    if (!ExternalControlPlaneWebhooks.isIstios(config)) {
      return;
    }
    ExternalControlPlaneWebhooks.forEachWebhook(config, (webhook, path) -> {
      String url = webhook.path("clientConfig").path("url").asText(null);
      String host = url == null ? null : ExternalControlPlaneWebhooks.host(url);
      if (host != null && ExternalControlPlaneWebhooks.isIpAddress(host)) {
        ctx.report(path.key("clientConfig").key("url"), "The address (" + url + ") that was provided for the webhook ("
            + webhook.path("name").asText() + ") to reach the ingress gateway on the external control plane cluster "
            + "is an IP address. This is not recommended for a production environment.");
      }
    });
  }
}
