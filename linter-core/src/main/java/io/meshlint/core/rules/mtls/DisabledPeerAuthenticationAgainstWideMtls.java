package io.meshlint.core.rules.mtls;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1056",
    name = "DisabledPeerAuthenticationAgainstWideMtls",
    severity = Severity.ERROR,
    summary = "A mesh- or namespace-wide PeerAuthentication disables mTLS where a wide DestinationRule originates it.",
    description = """
        A selector-less PeerAuthentication with `mtls.mode: DISABLE` makes the servers of its scope \
        (its namespace; the whole mesh in the root namespace) accept plaintext only. When the \
        DestinationRule that sets TLS for calls to them says `tls.mode: ISTIO_MUTUAL`, clients open \
        mTLS connections, the handshake fails and requests get 503.

        For a namespace's PeerAuthentication the DestinationRule is the namespace-wide one \
        (`*.<namespace>.svc.cluster.local`), else a mesh-wide one (`*.local`) in the namespace or \
        the root namespace: a namespace that disables mTLS under a mesh-wide DestinationRule \
        enabling it is reported (Kiali's KIA0505). For the mesh-wide PeerAuthentication it is the \
        mesh-wide DestinationRule of the root namespace (KIA0506). This is the PeerAuthentication's \
        side of the pair; MSH1045 reports the DestinationRule's side.

        Fix: make the two agree: `PERMISSIVE` or `STRICT` in the PeerAuthentication, or a \
        DestinationRule with `tls.mode: DISABLE` for the namespace's hosts.""",
    subjects = {Kinds.PEER_AUTHENTICATION},
    reads = {Kinds.DESTINATION_RULE},
    aliases = {"KIA0505", "KIA0506"})
public final class DisabledPeerAuthenticationAgainstWideMtls implements Rule {

  @Override
  public void check(Resource pa, RuleContext ctx) {
    if (!Mtls.isWidePeerAuthentication(pa) || !Mtls.peerMode(pa).equals(Mtls.DISABLE)) {
      return;
    }
    boolean meshWide = pa.namespace().equals(Mtls.rootNamespace(ctx));
    Resource dr = meshWide ? Mtls.meshWideRule(ctx) : Mtls.wideRuleFor(pa.namespace(), ctx);
    if (dr == null || !Mtls.tlsMode(dr).equals(Mtls.ISTIO_MUTUAL)) {
      return;
    }
    ctx.report(FieldPath.of("spec", "mtls", "mode"), "This " + (meshWide ? "mesh-wide" : "namespace-wide")
        + " PeerAuthentication disables mTLS, but the " + (Mtls.isMeshWide(dr) ? "mesh-wide" : "namespace-wide")
        + " DestinationRule " + dr.namespace() + "/" + dr.name() + " makes clients originate it (ISTIO_MUTUAL): requests to "
        + (meshWide ? "the mesh's workloads" : "namespace " + pa.namespace() + "'s workloads") + " fail with 503");
  }
}
