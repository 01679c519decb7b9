package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

@RuleMeta(
    code = "MSH1024",
    name = "AuthorizationPolicyUnknownPrincipal",
    severity = Severity.WARNING,
    summary = "An AuthorizationPolicy names a principal whose service account no workload runs as.",
    description = """
        A principal is the caller's mTLS identity, `TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`: \
        the service account its pods run as, not the name of its Deployment or Service. A \
        principal that no workload runs as matches nobody: an ALLOW rule lets nobody in (callers \
        get `403 RBAC: access denied`), a DENY rule blocks nobody. Typical causes: the pods use \
        the namespace's `default` service account while the policy names a dedicated one, or the \
        service account was renamed.

        meshlint checks `principals` and `notPrincipals` of every `from[].source` written in full \
        form with the mesh's trust domain (`trustDomain` of the mesh config, `cluster.local` by \
        default; principals of other trust domains belong to other meshes). It reports a \
        principal when the inputs contain workloads of its namespace (Pods and pod templates of \
        controllers) and none runs as its service account (`serviceAccountName`, `default` when \
        unset). Values with a `*`, namespaces without workloads among the inputs and the system \
        namespaces (where Istio's gateways run) are not checked.

        Fix: name the service account the caller's pods use (`kubectl get pod -o \
        jsonpath='{.spec.serviceAccountName}'`), or set `serviceAccountName` on the caller.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class AuthorizationPolicyUnknownPrincipal implements Rule {

  @Override
  public void check(Resource policy, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    Set<String> trustDomains = trustDomains(mesh);
    AuthorizationPolicies.forEachSourceField(policy, (rule, field, values, path) -> {
      if (field.equals("principals") || field.equals("notPrincipals")) {
        Trees.forEach(values, path, (value, valuePath) -> check(value.asText(""), valuePath, trustDomains, mesh, ctx));
      }
    });
  }

  private static void check(String principal, FieldPath path, Set<String> trustDomains, MeshView mesh,
      RuleContext ctx) {
    String[] parts = principal.split("/", -1);
    if (principal.contains("*") || parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa")
        || !trustDomains.contains(parts[0])) {
      return;
    }
    String namespace = parts[2];
    String account = parts[4];
    if (mesh.settings().systemNamespaces().contains(namespace) || mesh.workloads(namespace).isEmpty()
        || !mesh.workloadsWithServiceAccount(namespace, account).isEmpty()) {
      return;
    }
    ctx.report(path, "No workload in namespace " + namespace + " runs as service account \"" + account
        + "\": principal \"" + principal + "\" matches no caller");
  }

  /** The mesh's trust domain and its aliases. */
  private static Set<String> trustDomains(MeshView mesh) {
    Set<String> out = new HashSet<>();
    out.add(mesh.meshConfig().trustDomain());
    for (JsonNode alias : mesh.meshConfig().raw().path("trustDomainAliases")) {
      out.add(alias.asText());
    }
    return out;
  }
}
