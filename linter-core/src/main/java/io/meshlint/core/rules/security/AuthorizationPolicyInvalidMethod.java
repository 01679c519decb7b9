package io.meshlint.core.rules.security;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Set;
import java.util.regex.Pattern;

@RuleMeta(
    code = "MSH1041",
    name = "AuthorizationPolicyInvalidMethod",
    severity = Severity.WARNING,
    summary = "An AuthorizationPolicy method is neither an HTTP method nor a fully-qualified gRPC method.",
    description = """
        `to[].operation.methods` and `notMethods` are compared verbatim, case included, with the \
        request's HTTP method (or, for gRPC, with the path `/package.Service/Method`). A value such \
        as `get`, `FETCH` or `Service/Method` never matches: an ALLOW rule built on it never allows \
        (requests get 403), a DENY rule never denies, which leaves the operation open.

        meshlint accepts the HTTP methods (`GET`, `HEAD`, `POST`, `PUT`, `DELETE`, `CONNECT`, \
        `OPTIONS`, `TRACE`, `PATCH`), `*`, and gRPC names of the form `/package.Service/Method`.

        Fix: write the method in upper case, or the gRPC method's full name.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    aliases = {"KIA0102"})
public final class AuthorizationPolicyInvalidMethod implements Rule {
  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*");
  private static final Pattern GRPC = Pattern.compile("/[A-Za-z_][\\w.]*\\.[A-Za-z_]\\w*/[A-Za-z_]\\w*");

  @Override
  public void check(Resource policy, RuleContext ctx) {
    AuthorizationPolicies.forEachOperation(policy, (operation, path) -> {
      for (String field : new String[] {"methods", "notMethods"}) {
        Trees.forEach(operation.path(field), path.key(field), (method, methodPath) -> {
          String m = method.asText();
          if (!HTTP_METHODS.contains(m) && !GRPC.matcher(m).matches()) {
            ctx.report(methodPath, "Method \"" + m + "\" is neither an HTTP method nor a fully-qualified gRPC method"
                + " (/package.Service/Method): it never matches");
          }
        });
      }
    });
  }
}
