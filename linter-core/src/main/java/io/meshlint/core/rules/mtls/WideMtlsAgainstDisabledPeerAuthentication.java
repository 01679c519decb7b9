package io.meshlint.core.rules.mtls;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Others;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

@RuleMeta(
    code = "MSH1045",
    name = "WideMtlsAgainstDisabledPeerAuthentication",
    severity = Severity.ERROR,
    summary = "A mesh- or namespace-wide DestinationRule originates mTLS where PeerAuthentication disables it.",
    description = """
        A DestinationRule for `*.local` (mesh-wide) or `*.<namespace>.svc.cluster.local` \
        (namespace-wide) with `tls.mode: ISTIO_MUTUAL` makes clients open mTLS connections, while a \
        selector-less PeerAuthentication with `mtls.mode: DISABLE` for the same scope makes the \
        servers accept plaintext only. The TLS handshake fails and requests get 503 \
        ("upstream connect error or disconnect/reset before headers").

        The namespace-wide pair compares the namespace's PeerAuthentication, or the mesh-wide one \
        (in the root namespace) when the namespace has none; the mesh-wide pair compares the \
        mesh-wide PeerAuthentication, then the namespaces whose own PeerAuthentication disables \
        mTLS and that have no namespace-wide DestinationRule of their own (named, ten at most). \
        This is the DestinationRule's side, as Kiali's KIA0205 and KIA0206 ("PeerAuthentication \
        enabling mTLS is missing"); MSH1056 reports the PeerAuthentication's side (KIA0505, \
        KIA0506). Unlike Kiali, meshlint does not report a DestinationRule for which no \
        PeerAuthentication is among the inputs: Istio's default, PERMISSIVE, accepts mTLS.

        Fix: make the two agree: `PERMISSIVE` or `STRICT` in the PeerAuthentication, or \
        `tls.mode: DISABLE` in the DestinationRule.""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.PEER_AUTHENTICATION},
    aliases = {"KIA0205", "KIA0206"})
public final class WideMtlsAgainstDisabledPeerAuthentication implements Rule {
  @Override
  public void check(Resource dr, RuleContext ctx) {
    if (!Mtls.tlsMode(dr).equals(Mtls.ISTIO_MUTUAL)) {
      return;
    }
    if (WideMtls.reportMismatch(dr, Mtls.DISABLE, "originates mTLS (ISTIO_MUTUAL)", ctx) || !Mtls.isMeshWide(dr)) {
      return;
    }
    List<String> disabled = new ArrayList<>();
    for (Resource pa : ctx.mesh().widePeerAuthenticationsWithMode(Mtls.DISABLE)) {
      if (dr.equals(Mtls.wideRuleFor(pa.namespace(), ctx))) {
        disabled.add(pa.namespace());
      }
    }
    if (!disabled.isEmpty()) {
      Collections.sort(disabled);
      Others names = new Others();
      disabled.forEach(names::add);
      ctx.report(FieldPath.of("spec", "trafficPolicy", "tls", "mode"), "This mesh-wide DestinationRule originates mTLS"
          + " (ISTIO_MUTUAL) but the PeerAuthentication of namespace" + (disabled.size() > 1 ? "s " : " ") + names.joined(", ")
          + " disables it: requests to " + (disabled.size() > 1 ? "their" : "its") + " workloads fail with 503");
    }
  }
}
