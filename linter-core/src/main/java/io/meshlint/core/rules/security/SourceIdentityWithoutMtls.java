package io.meshlint.core.rules.security;

import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.mtls.Mtls;
import io.meshlint.core.source.FieldPath;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

@RuleMeta(
    code = "MSH1057",
    name = "SourceIdentityWithoutMtls",
    severity = Severity.ERROR,
    summary = "An AuthorizationPolicy matches `principals` or `namespaces`, but its callers do not send mTLS.",
    description = """
        A source's `principals` and `namespaces` come from the caller's mTLS certificate: a request \
        that arrives without mTLS carries no identity and never matches them (an ALLOW rule refuses \
        it, a DENY rule lets it through). Callers originate mTLS when automatic mTLS is on (Istio's \
        default) or a DestinationRule says `tls.mode: ISTIO_MUTUAL`; a DestinationRule with \
        `tls.mode: DISABLE` turns it off even with automatic mTLS.

        meshlint decides it from the DestinationRules, without needing the workloads among the \
        inputs: for each Service of the policy's namespace that selects the policy's workloads \
        (its selector is part of the policy's `matchLabels`, or it selects one of the workloads \
        the inputs hold), the DestinationRule for its host, else the namespace-wide one, else the \
        mesh-wide one; for a policy without a selector, the namespace-wide or mesh-wide one. It \
        reports the first `principals` or `namespaces` of each rule when that DestinationRule \
        disables TLS, or when automatic mTLS is off (`enableAutoMtls: false`) and none says \
        ISTIO_MUTUAL. This is Kiali's KIA0105, with Kiali's severity; MSH1026 is the server's side \
        (a PeerAuthentication that disables mTLS).

        Fix: enable mTLS to the workloads (automatic mTLS, or a DestinationRule with \
        `tls.mode: ISTIO_MUTUAL`), or match callers by `ipBlocks` instead.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.DESTINATION_RULE, Kinds.SERVICE, Kinds.NAMESPACE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET,
        Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB},
    aliases = {"KIA0105"})
public final class SourceIdentityWithoutMtls implements Rule {
  private static final Set<String> IDENTITY_FIELDS = Set.of("principals", "namespaces");

  @Override
  public void check(Resource policy, RuleContext ctx) {
    Map<Integer, FieldPath> identityField = new TreeMap<>();
    AuthorizationPolicies.forEachSourceField(policy, (rule, field, values, path) -> {
      if (IDENTITY_FIELDS.contains(field)) {
        identityField.putIfAbsent(rule, path);
      }
    });
    if (identityField.isEmpty() || policy.tree().path("spec").has("targetRef")
        || policy.tree().path("spec").has("targetRefs")) {
      return;
    }
    String reason = plaintextReason(policy, ctx);
    if (reason != null) {
      identityField.values().forEach(path -> ctx.report(path, "This field requires mTLS, but " + reason
          + ": callers carry no identity and never match it"));
    }
  }

  /** Why calls to the policy's workloads are not mTLS, or null when they are. */
  private static String plaintextReason(Resource policy, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    String namespace = policy.namespace();
    boolean autoMtls = Mtls.autoMtls(ctx);
    Map<String, String> selector = Resource.stringMap(policy.tree().path("spec").path("selector").path("matchLabels"));
    Set<Resource> services = new LinkedHashSet<>();
    if (!selector.isEmpty()) {
      services.addAll(mesh.servicesSelecting(namespace, selector));
      for (Workload w : AuthorizationPolicies.workloads(policy, mesh)) {
        services.addAll(mesh.servicesSelecting(namespace, w.labels()));
      }
    }
    String domain = mesh.settings().clusterDomain();
    for (Resource service : services) {
      String host = Hosts.toFqdn(service.name(), namespace, domain);
      Resource dr = hostRule(host, mesh);
      if (dr == null) {
        dr = Mtls.wideRuleFor(namespace, ctx);
      }
      String reason = reason(dr, "calls to " + host, autoMtls);
      if (reason != null) {
        return reason;
      }
    }
    if (!services.isEmpty()) {
      return null;
    }
    return reason(Mtls.wideRuleFor(namespace, ctx), "calls to namespace " + namespace, autoMtls);
  }

  private static String reason(Resource dr, String what, boolean autoMtls) {
    String mode = dr == null ? "" : Mtls.tlsMode(dr);
    if (mode.equals(Mtls.DISABLE)) {
      return "DestinationRule " + dr.namespace() + "/" + dr.name() + " disables TLS for " + what;
    }
    if (!autoMtls && !mode.equals(Mtls.ISTIO_MUTUAL)) {
      return "automatic mTLS is off (enableAutoMtls: false) and no DestinationRule sets ISTIO_MUTUAL for " + what;
    }
    return null;
  }

  /**
   * The DestinationRule written for exactly this host (no wildcard, no workload selector) that sets
   * TLS, the first by namespace and name; null when none.
   */
  private static Resource hostRule(String fqdn, MeshView mesh) {
    return mesh.destinationRulesFor(fqdn).stream()
        .filter(dr -> !Hosts.isWildcard(dr.tree().path("spec").path("host").asText()) && !Mtls.tlsMode(dr).isEmpty()
            && dr.tree().path("spec").path("workloadSelector").isMissingNode())
        .min(Comparator.comparing(Resource::namespace).thenComparing(Resource::name))
        .orElse(null);
  }
}
