package io.meshlint.core.rules.mtls;

import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.source.FieldPath;

/** The DestinationRule side of the mesh- and namespace-wide mTLS pairs (MSH1045, MSH1046). */
final class WideMtls {
  private WideMtls() {}

  /**
   * Reports when the wide DestinationRule's scope is ruled by a PeerAuthentication of {@code clashingMode};
   * true when it did.
   */
  static boolean reportMismatch(Resource dr, String clashingMode, String what, RuleContext ctx) {
    String scope;
    String peerMode;
    if (Mtls.isMeshWide(dr)) {
      scope = "mesh-wide";
      peerMode = Mtls.namespacePeerMode(Mtls.rootNamespace(ctx), ctx);
    } else if (Mtls.isNamespaceWide(dr, ctx)) {
      scope = "namespace-wide (" + dr.namespace() + ")";
      peerMode = Mtls.effectivePeerMode(dr.namespace(), ctx);
    } else {
      return false;
    }
    if (peerMode.equals(clashingMode)) {
      ctx.report(FieldPath.of("spec", "trafficPolicy", "tls", "mode"), "This " + scope + " DestinationRule " + what
          + " but the PeerAuthentication that rules its scope has mode " + clashingMode + ": requests fail with 503");
      return true;
    }
    return false;
  }
}
