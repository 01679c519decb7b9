package io.meshlint.core.rules.destinationrule;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0128",
    name = "NoServerCertificateVerificationDestinationLevel",
    severity = Severity.WARNING,
    summary = "A DestinationRule originates TLS without a CA to verify the server's certificate.",
    description = """
        With `trafficPolicy.tls.mode` `SIMPLE` or `MUTUAL` the sidecar opens a TLS connection to \
        the destination. Without `caCertificates` it has nothing to check the server's \
        certificate against: depending on the Istio version and `VERIFY_CERTIFICATE_AT_CLIENT`, \
        the connection is either not verified at all (any server, or a man in the middle, is \
        accepted) or verified only against the proxy's system roots.

        meshlint reports the top-level `trafficPolicy.tls` of a DestinationRule in either mode \
        that sets no `caCertificates`, as `istioctl analyze` does. A `credentialName` (Istio \
        reads the CA from that Secret) counts only in a DestinationRule with a \
        `workloadSelector`: without one, sidecars ignore it and it applies at gateways only. \
        `insecureSkipVerify: true` is still reported: the server is not verified. Port level \
        settings are IST0129's.

        Fix: set `caCertificates` (a file mounted in the proxy), or `credentialName` with a \
        `workloadSelector`, or use `ISTIO_MUTUAL` for destinations inside the mesh.""",
    subjects = {Kinds.DESTINATION_RULE})
public final class NoServerCertificateVerificationDestinationLevel implements Rule {

  @Override
  public void check(Resource dr, RuleContext ctx) {
    String mode = ServerCertificates.unverifiedMode(dr.tree().path("spec").path("trafficPolicy").path("tls"), dr.tree());
    if (mode != null) {
      ctx.report(FieldPath.of("spec", "trafficPolicy", "tls", "mode"), ServerCertificates.message(dr.name(),
          dr.namespace(), mode, dr.tree().path("spec").path("host").asText()));
    }
  }
}
