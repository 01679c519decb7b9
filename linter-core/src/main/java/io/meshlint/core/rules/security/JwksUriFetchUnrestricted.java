package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.List;

@RuleMeta(
    code = "IST0175",
    name = "JwksUriFetchUnrestricted",
    severity = Severity.WARNING,
    summary = "RequestAuthentications exist but istiod does not restrict the addresses it fetches JWKS from.",
    description = """
        istiod fetches the JSON Web Key Sets of RequestAuthentication `jwksUri`s itself. Unless \
        its `BLOCKED_CIDRS_IN_JWKS_URIS` environment variable lists the ranges it must not reach \
        (cloud metadata endpoints, the cluster's internal networks), anyone who may create a \
        RequestAuthentication can make istiod send requests to internal addresses.

        meshlint reports, as `istioctl analyze` does, each istiod Deployment (label `app: istiod`) \
        among the inputs whose containers do not set `BLOCKED_CIDRS_IN_JWKS_URIS` to a non-empty \
        value when the inputs hold at least one RequestAuthentication. The wording of the message \
        is meshlint's.

        Fix: set `BLOCKED_CIDRS_IN_JWKS_URIS` on istiod (for example through \
        `pilot.env` in the Helm values), e.g. to `169.254.169.254/32,10.0.0.0/8`.""",
    subjects = {Kinds.DEPLOYMENT},
    reads = {Kinds.REQUEST_AUTHENTICATION})
public final class JwksUriFetchUnrestricted implements Rule {
  private static final String ENV = "BLOCKED_CIDRS_IN_JWKS_URIS";
  private static final int LISTED = 5;

  @Override
  public void check(Resource deployment, RuleContext ctx) {
    if (!"istiod".equals(deployment.labels().get("app"))) {
      return;
    }
    List<Resource> policies = ctx.mesh().resources(Kinds.REQUEST_AUTHENTICATION);
    if (policies.isEmpty() || setsBlockedCidrs(deployment.tree().path("spec").path("template").path("spec"))) {
      return;
    }
    List<String> names = policies.stream().limit(LISTED).map(p -> p.namespace() + "/" + p.name()).toList();
    String listed = String.join(", ", names)
        + (policies.size() > LISTED ? ", and " + (policies.size() - LISTED) + " more" : "");
    ctx.report(FieldPath.of("spec", "template", "spec", "containers"), "istiod fetches the JWKS of "
        + policies.size() + " RequestAuthentication(s) (" + listed + ") but " + ENV + " is not set, so jwksUri may "
        + "point istiod at internal addresses.");
  }

  private static boolean setsBlockedCidrs(JsonNode podSpec) {
    for (JsonNode container : podSpec.path("containers")) {
      for (JsonNode env : container.path("env")) {
        if (ENV.equals(env.path("name").asText()) && !env.path("value").asText("").isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }
}
