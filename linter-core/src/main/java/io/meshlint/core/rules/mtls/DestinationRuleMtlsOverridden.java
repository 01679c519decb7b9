package io.meshlint.core.rules.mtls;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1044",
    name = "DestinationRuleMtlsOverridden",
    severity = Severity.WARNING,
    summary = "A host's DestinationRule drops the mTLS that a mesh- or namespace-wide DestinationRule sets.",
    description = """
        Istio applies one DestinationRule per host, the most specific one; it does not merge a \
        host's DestinationRule with the `*.local` or `*.<namespace>.svc.cluster.local` rule that \
        sets `tls.mode: ISTIO_MUTUAL`. A DestinationRule for `reviews` without `trafficPolicy.tls` \
        therefore turns mTLS off for `reviews`. With automatic mTLS switched off \
        (`enableAutoMtls: false` in the mesh config) its clients send plaintext, and a `STRICT` \
        PeerAuthentication rejects them (503, "upstream connect error ... connection reset"). The \
        rule only runs when the mesh config switches automatic mTLS off: otherwise Istio chooses \
        mTLS itself and nothing breaks.

        meshlint looks for the wide DestinationRule in the rule's own namespace and the root \
        namespace.

        Fix: add `trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}` to the host's DestinationRule.""",
    subjects = {Kinds.DESTINATION_RULE},
    aliases = {"KIA0204"})
public final class DestinationRuleMtlsOverridden implements Rule {

  @Override
  public void check(Resource dr, RuleContext ctx) {
    JsonNode spec = dr.tree().path("spec");
    String host = spec.path("host").asText();
    if (Mtls.autoMtls(ctx) || host.isEmpty() || Hosts.isWildcard(host) || spec.path("trafficPolicy").has("tls")
        || !Mtls.wideRuleEnablesMtls(dr.namespace(), ctx)) {
      return;
    }
    FieldPath path = spec.has("trafficPolicy") ? FieldPath.of("spec", "trafficPolicy") : FieldPath.of("spec", "host");
    ctx.report(path, "DestinationRule for " + host + " sets no tls mode and so overrides the mTLS (ISTIO_MUTUAL)"
        + " of a mesh- or namespace-wide DestinationRule: clients send plaintext");
  }
}
