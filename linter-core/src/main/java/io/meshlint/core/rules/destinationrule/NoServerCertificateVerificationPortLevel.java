package io.meshlint.core.rules.destinationrule;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0129",
    name = "NoServerCertificateVerificationPortLevel",
    severity = Severity.WARNING,
    summary = "A DestinationRule port setting originates TLS without a CA to verify the server's certificate.",
    description = """
        The port level counterpart of IST0128: a `trafficPolicy.portLevelSettings[]` entry with \
        `tls.mode` `SIMPLE` or `MUTUAL` and no `caCertificates` makes the sidecar open TLS to \
        that port without checking the server's certificate against a CA of yours (not at all, \
        or only against the proxy's system roots, depending on the Istio version).

        As for IST0128, a `credentialName` counts as a CA source only in a DestinationRule with a \
        `workloadSelector`, as with `istioctl analyze`.

        Fix: set `caCertificates` (or `credentialName` with a `workloadSelector`) on the port's \
        `tls`, or use `ISTIO_MUTUAL` for destinations inside the mesh.""",
    subjects = {Kinds.DESTINATION_RULE})
public final class NoServerCertificateVerificationPortLevel implements Rule {

  @Override
  public void check(Resource dr, RuleContext ctx) {
    FieldPath settings = FieldPath.of("spec", "trafficPolicy", "portLevelSettings");
    Trees.forEach(dr.tree().path("spec").path("trafficPolicy").path("portLevelSettings"), settings, (p, path) -> {
      String mode = ServerCertificates.unverifiedMode(p.path("tls"), dr.tree());
      if (mode != null) {
        ctx.report(path.then("tls.mode"), ServerCertificates.message(dr.name(), dr.namespace(), mode,
            dr.tree().path("spec").path("host").asText()) + " at port number:" + p.path("port").path("number").asText());
      }
    });
  }
}
