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

@RuleMeta(
    code = "MSH1023",
    name = "AuthorizationPolicyUnknownNamespace",
    severity = Severity.WARNING,
    summary = "An AuthorizationPolicy source names a namespace that does not exist among the inputs.",
    description = """
        `source.namespaces` matches the namespace in the caller's mTLS identity. A namespace that \
        does not exist matches no caller: an ALLOW rule lets nobody in (the callers you meant get \
        `403 RBAC: access denied`), a DENY rule blocks nobody, and a `notNamespaces` entry \
        excludes nothing. It is usually a typo, or a namespace renamed since the policy was \
        written.

        meshlint checks `namespaces` and `notNamespaces` of every `from[].source` only when the \
        inputs contain Namespace objects at all (otherwise it cannot tell which exist, as when \
        linting one application's manifests). A namespace exists when a Namespace object names \
        it, or it is one of the system namespaces, Istio's namespace or the mesh's root \
        namespace. Values with a `*` (prefix or suffix matches) are not checked. Lint with \
        `--context` pointing at the manifests of all namespaces, or use `meshlint audit`, to \
        see every namespace.

        Fix: correct the name, or create the namespace.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.NAMESPACE})
public final class AuthorizationPolicyUnknownNamespace implements Rule {

  @Override
  public void check(Resource policy, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    if (!mesh.any(Kinds.NAMESPACE)) {
      return;
    }
    AuthorizationPolicies.forEachSourceField(policy, (rule, field, values, path) -> {
      if (field.equals("namespaces") || field.equals("notNamespaces")) {
        Trees.forEach(values, path, (value, valuePath) -> check(value, valuePath, mesh, ctx));
      }
    });
  }

  private static void check(JsonNode value, FieldPath path, MeshView mesh, RuleContext ctx) {
    String name = value.asText("");
    if (name.isEmpty() || name.contains("*") || exists(name, mesh)) {
      return;
    }
    ctx.report(path, "Namespace \"" + name + "\" does not exist among the inputs: this condition matches no caller");
  }

  private static boolean exists(String name, MeshView mesh) {
    return mesh.namespace(name) != null || mesh.settings().systemNamespaces().contains(name)
        || name.equals(mesh.settings().istioNamespace()) || name.equals(mesh.meshConfig().rootNamespace());
  }
}
