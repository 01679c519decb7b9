package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.PeerAuthentications;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.rules.injection.Injection;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

@RuleMeta(
    code = "MSH1026",
    name = "MtlsOnlySourceWithoutMtls",
    severity = Severity.WARNING,
    summary = "An AuthorizationPolicy matches callers by mTLS identity on workloads whose PeerAuthentication disables mTLS.",
    description = """
        `principals`, `namespaces` (and their `not` forms) and the `when` keys `source.principal` \
        and `source.namespace` are read from the caller's mTLS certificate. On a workload whose \
        PeerAuthentication is `DISABLE`, callers arrive in plain text with no identity, so these \
        conditions never match: an ALLOW rule refuses everyone it names (`403 RBAC: access \
        denied`), a DENY rule blocks no one, and a `notPrincipals`/`notNamespaces` condition \
        matches every caller (the pitfall of Istio security bulletin ISTIO-SECURITY-2021-004).

        meshlint finds the mode each of the policy's workloads (Pods and pod templates of \
        controllers, except those known to run without a sidecar) accepts, as Istio does: the \
        workload's PeerAuthentication (its `portLevelMtls` for the ports the rule names in \
        `to.operation.ports`), then the namespace's, then the mesh-wide one; it reports the \
        first mTLS-only condition of each rule when some workload has mTLS disabled. PERMISSIVE \
        workloads are not reported, although plain-text callers do not match these conditions \
        there either. When the inputs hold none of the workloads the policy selects (policies kept \
        apart from the Deployments), the PeerAuthentications decide alone, as in Kiali's KIA0105: \
        one whose selector is part of the policy's, else the namespace's, else the mesh-wide one; \
        nothing is reported when another PeerAuthentication may select only some of them.

        Fix: enable mTLS for the workload (PeerAuthentication `STRICT`, or at least not \
        `DISABLE`), or match plain-text callers by `ipBlocks` instead.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.PEER_AUTHENTICATION, Kinds.NAMESPACE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET,
        Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class MtlsOnlySourceWithoutMtls implements Rule {
  private static final Set<String> MTLS_SOURCE_FIELDS = Set.of("principals", "notPrincipals", "namespaces",
      "notNamespaces");
  private static final Set<String> MTLS_CONDITIONS = Set.of("source.principal", "source.namespace");

  @Override
  public void check(Resource policy, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    List<Workload> selected = AuthorizationPolicies.workloads(policy, mesh);
    List<Workload> workloads = selected.isEmpty() ? unseenWorkloads(policy, mesh)
        : selected.stream().filter(w -> Injection.inMesh(w, mesh.namespace(w.namespace()))).toList();
    if (workloads.isEmpty()) {
      return;
    }
    Map<Integer, FieldPath> mtlsField = new TreeMap<>();
    Map<Integer, Set<Integer>> rulePorts = new TreeMap<>();
    AuthorizationPolicies.forEachSourceField(policy, (rule, field, values, path) -> {
      if (MTLS_SOURCE_FIELDS.contains(field)) {
        mtlsField.putIfAbsent(rule, path);
      }
    });
    AuthorizationPolicies.forEachCondition(policy, (rule, key, condition, path) -> {
      if (MTLS_CONDITIONS.contains(key)) {
        mtlsField.putIfAbsent(rule, path);
      }
    });
    AuthorizationPolicies.forEachOperationField(policy, (rule, field, values, path) -> {
      if (field.equals("ports")) {
        values.forEach(v -> rulePorts.computeIfAbsent(rule, r -> new HashSet<>()).add(v.asInt(-1)));
      }
    });
    mtlsField.forEach((rule, path) -> {
      String disabled = firstDisabled(workloads, rulePorts.getOrDefault(rule, Set.of(-1)), mesh);
      if (disabled != null) {
        ctx.report(path, "This condition needs the caller's mTLS identity, but " + disabled
            + ": plain-text callers never match it");
      }
    });
  }

  /**
   * When the inputs hold none of the workloads the policy selects: a stand-in carrying exactly the
   * policy's selector, whose mode is then that of every workload it selects (a PeerAuthentication
   * whose selector is part of the policy's, else the namespace's or the mesh's). Empty when that is
   * not decidable: a mesh-wide or targetRef policy, or a PeerAuthentication that may select only some
   * of those workloads (its selector agrees with the policy's without being part of it).
   */
  private static List<Workload> unseenWorkloads(Resource policy, MeshView mesh) {
    JsonNode spec = policy.tree().path("spec");
    Map<String, String> selector = Resource.stringMap(spec.path("selector").path("matchLabels"));
    if (spec.has("targetRef") || spec.has("targetRefs")
        || (selector.isEmpty() && policy.namespace().equals(mesh.meshConfig().rootNamespace()))) {
      return List.of();
    }
    for (Resource pa : mesh.resourcesIn(Kinds.PEER_AUTHENTICATION, policy.namespace())) {
      Map<String, String> paSelector = PeerAuthentications.selector(pa);
      boolean agrees = paSelector.entrySet().stream()
          .allMatch(e -> !selector.containsKey(e.getKey()) || selector.get(e.getKey()).equals(e.getValue()));
      if (!paSelector.isEmpty() && agrees && !selector.entrySet().containsAll(paSelector.entrySet())) {
        return List.of();
      }
    }
    return List.of(new Workload(policy, selector, Map.of(), MissingNode.getInstance(), FieldPath.of("spec")));
  }

  private static String firstDisabled(List<Workload> workloads, Set<Integer> ports, MeshView mesh) {
    for (Workload w : workloads) {
      for (int port : ports) {
        PeerAuthentications.Mode mode = PeerAuthentications.of(w, port, mesh);
        if (mode.mode().equals(PeerAuthentications.DISABLE)) {
          String who = w.owner().kind().equals(Kinds.AUTHORIZATION_POLICY) ? "the workloads it selects have"
              : "workload " + WorkloadSelectors.workloadName(w) + " has";
          return who + " mTLS " + mode.describe() + (port > 0 ? " on port " + port : "");
        }
      }
    }
    return null;
  }
}
