package io.meshlint.core.rules.mtls;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1047",
    name = "StrictPeerAuthenticationWithoutMtlsDestinationRule",
    severity = Severity.ERROR,
    summary = "Mesh- or namespace-wide STRICT mTLS without automatic mTLS and without a DestinationRule originating it.",
    description = """
        A selector-less PeerAuthentication with `mtls.mode: STRICT` makes the servers of its scope \
        (the mesh when it is in the root namespace, else its namespace) refuse plaintext. When the \
        mesh config switches automatic mTLS off (`enableAutoMtls: false`), clients originate mTLS \
        only where a DestinationRule says `tls.mode: ISTIO_MUTUAL`; without a mesh-wide \
        (`*.local`) or namespace-wide (`*.<namespace>.svc.cluster.local`) one, they send plaintext \
        and every request fails with 503. With automatic mTLS (Istio's default) nothing is needed \
        and the rule stays silent.

        meshlint looks for the DestinationRule in the PeerAuthentication's namespace and the root \
        namespace.

        Fix: add a DestinationRule for `*.local` (or the namespace's hosts) with \
        `trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}`, or turn automatic mTLS back on.""",
    subjects = {Kinds.PEER_AUTHENTICATION},
    reads = {Kinds.DESTINATION_RULE},
    aliases = {"KIA0401", "KIA0501"})
public final class StrictPeerAuthenticationWithoutMtlsDestinationRule implements Rule {

  @Override
  public void check(Resource pa, RuleContext ctx) {
    if (Mtls.autoMtls(ctx) || !Mtls.isWidePeerAuthentication(pa) || !Mtls.peerMode(pa).equals(Mtls.STRICT)
        || Mtls.wideRuleEnablesMtls(pa.namespace(), ctx)) {
      return;
    }
    String scope = pa.namespace().equals(Mtls.rootNamespace(ctx)) ? "mesh-wide" : "namespace-wide";
    ctx.report(FieldPath.of("spec", "mtls", "mode"), "This " + scope + " PeerAuthentication requires mTLS, automatic"
        + " mTLS is off and no " + scope + " DestinationRule originates it (tls.mode: ISTIO_MUTUAL): clients send"
        + " plaintext and fail");
  }
}
