package io.meshlint.core.rules.mtls;

import io.meshlint.core.mesh.PeerAuthentications;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import java.util.Locale;

/**
 * Mesh- and namespace-wide mTLS settings as Kiali pairs them (public for the security rules that ask
 * whether callers carry an mTLS identity): PeerAuthentications without a
 * selector (mesh-wide in the root namespace) and DestinationRules for {@code *.local} (mesh-wide) or
 * {@code *.<namespace>.svc.<cluster domain>} (namespace-wide).
 */
public final class Mtls {
  public static final String STRICT = "STRICT";
  public static final String DISABLE = "DISABLE";
  public static final String ISTIO_MUTUAL = "ISTIO_MUTUAL";

  private Mtls() {}

  public static boolean autoMtls(RuleContext ctx) {
    return ctx.mesh().meshConfig().raw().path("enableAutoMtls").asBoolean(true);
  }

  public static String rootNamespace(RuleContext ctx) {
    return ctx.mesh().meshConfig().rootNamespace();
  }

  /** The PeerAuthentication's mode, upper case; "" when unset (inherited). */
  static String peerMode(Resource pa) {
    return PeerAuthentications.ownMode(pa);
  }

  static boolean isWidePeerAuthentication(Resource pa) {
    return PeerAuthentications.selector(pa).isEmpty();
  }

  /** The mode of the namespace's selector-less PeerAuthentication with a mode; "" when none. */
  static String namespacePeerMode(String namespace, RuleContext ctx) {
    for (Resource pa : ctx.mesh().resourcesIn(Kinds.PEER_AUTHENTICATION, namespace)) {
      if (isWidePeerAuthentication(pa) && !peerMode(pa).isEmpty()) {
        return peerMode(pa);
      }
    }
    return "";
  }

  /** The mode that rules a namespace: its own PeerAuthentication's, else the mesh-wide one's. */
  static String effectivePeerMode(String namespace, RuleContext ctx) {
    String mode = namespacePeerMode(namespace, ctx);
    return mode.isEmpty() ? namespacePeerMode(rootNamespace(ctx), ctx) : mode;
  }

  public static String tlsMode(Resource dr) {
    return dr.tree().path("spec").path("trafficPolicy").path("tls").path("mode").asText("").toUpperCase(Locale.ROOT);
  }

  public static boolean isMeshWide(Resource dr) {
    String host = dr.tree().path("spec").path("host").asText();
    return (host.equals("*.local") || host.equals("*")) && !hasWorkloadSelector(dr);
  }

  public static boolean isNamespaceWide(Resource dr, RuleContext ctx) {
    String host = dr.tree().path("spec").path("host").asText();
    return host.equals("*." + dr.namespace() + ".svc." + ctx.mesh().settings().clusterDomain()) && !hasWorkloadSelector(dr);
  }

  private static boolean hasWorkloadSelector(Resource dr) {
    return !Resource.stringMap(dr.tree().path("spec").path("workloadSelector").path("matchLabels")).isEmpty();
  }

  /**
   * The wide DestinationRule that sets TLS for calls to a namespace's services: the namespace's own
   * namespace-wide one, else a mesh-wide one in that namespace or the root namespace; each counted
   * only when it sets a TLS mode. Null when none.
   */
  public static Resource wideRuleFor(String namespace, RuleContext ctx) {
    Resource meshWide = null;
    String root = rootNamespace(ctx);
    for (String ns : namespace.equals(root) ? new String[] {root} : new String[] {namespace, root}) {
      for (Resource dr : ctx.mesh().resourcesIn(Kinds.DESTINATION_RULE, ns)) {
        if (tlsMode(dr).isEmpty()) {
          continue;
        }
        if (isNamespaceWide(dr, ctx) && dr.namespace().equals(namespace)) {
          return dr;
        }
        if (meshWide == null && isMeshWide(dr)) {
          meshWide = dr;
        }
      }
    }
    return meshWide;
  }

  /** The mesh-wide DestinationRule of the root namespace that sets a TLS mode; null when none. */
  static Resource meshWideRule(RuleContext ctx) {
    for (Resource dr : ctx.mesh().resourcesIn(Kinds.DESTINATION_RULE, rootNamespace(ctx))) {
      if (isMeshWide(dr) && !tlsMode(dr).isEmpty()) {
        return dr;
      }
    }
    return null;
  }

  /** True when a mesh-wide or namespace-wide DestinationRule of these namespaces originates Istio mTLS. */
  static boolean wideRuleEnablesMtls(String namespace, RuleContext ctx) {
    for (String ns : new String[] {namespace, rootNamespace(ctx)}) {
      for (Resource dr : ctx.mesh().resourcesIn(Kinds.DESTINATION_RULE, ns)) {
        if ((isMeshWide(dr) || (isNamespaceWide(dr, ctx) && dr.namespace().equals(namespace)))
            && tlsMode(dr).equals(ISTIO_MUTUAL)) {
          return true;
        }
      }
    }
    return false;
  }
}
