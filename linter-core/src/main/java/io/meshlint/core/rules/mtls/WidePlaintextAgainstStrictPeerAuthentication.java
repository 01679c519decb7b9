package io.meshlint.core.rules.mtls;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "MSH1046",
    name = "WidePlaintextAgainstStrictPeerAuthentication",
    severity = Severity.ERROR,
    summary = "A mesh- or namespace-wide DestinationRule disables mTLS where PeerAuthentication requires it.",
    description = """
        A DestinationRule for `*.local` (mesh-wide) or `*.<namespace>.svc.cluster.local` \
        (namespace-wide) with `tls.mode: DISABLE` makes clients send plaintext, while a \
        selector-less PeerAuthentication with `mtls.mode: STRICT` for the same scope makes the \
        servers refuse anything but mTLS. Every request between sidecars of that scope fails with \
        503 ("connection reset").

        The namespace-wide pair compares the namespace's PeerAuthentication, or the mesh-wide one \
        (in the root namespace) when the namespace has none; the mesh-wide pair compares the \
        mesh-wide PeerAuthentication.

        Fix: set the PeerAuthentication to `PERMISSIVE` while clients still send plaintext, or \
        let the DestinationRule use `ISTIO_MUTUAL` (or drop its `tls` so that automatic mTLS \
        decides).""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.PEER_AUTHENTICATION},
    aliases = {"KIA0207", "KIA0208"})
public final class WidePlaintextAgainstStrictPeerAuthentication implements Rule {

  @Override
  public void check(Resource dr, RuleContext ctx) {
    if (Mtls.tlsMode(dr).equals(Mtls.DISABLE)) {
      WideMtls.reportMismatch(dr, Mtls.STRICT, "disables mTLS", ctx);
    }
  }
}
