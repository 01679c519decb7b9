package io.meshlint.core.rules.gatewayapi;

import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@RuleMeta(
    code = "IST0176",
    name = "GatewayAPICRDVersionBelowMinimum",
    severity = Severity.WARNING,
    summary = "A Gateway API CRD is installed at a bundle version older than Istio requires.",
    description = """
        istiod watches some Gateway API kinds only when their CRD comes from a recent enough \
        Gateway API release, as its `gateway.networking.k8s.io/bundle-version` annotation says: \
        GRPCRoute from v1.1.0, BackendTLSPolicy from v1.4.0, TLSRoute from v1.5.0. An older CRD \
        is filtered out silently, so its resources are never processed; for example TLS \
        passthrough Gateways then report no attached routes and program no listener.

        meshlint reports, as `istioctl analyze` does, such a CRD among the inputs, on its bundle \
        version annotation (a pre-release suffix is ignored). The level and wording are \
        meshlint's: Istio's message reference did not yet describe this code.

        Fix: upgrade the Gateway API CRDs to the release the Istio version supports.""",
    subjects = {GatewayCrds.CRD})
public final class GatewayAPICRDVersionBelowMinimum implements Rule {
  private static final Map<String, int[]> MINIMUM = Map.of(
      "grpcroutes.gateway.networking.k8s.io", new int[] {1, 1, 0},
      "backendtlspolicies.gateway.networking.k8s.io", new int[] {1, 4, 0},
      "tlsroutes.gateway.networking.k8s.io", new int[] {1, 5, 0});
  private static final Pattern SEMVER = Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:[-+].*)?");

  @Override
  public void check(Resource crd, RuleContext ctx) {
    int[] minimum = MINIMUM.get(crd.name());
    String bundle = crd.annotations().get(GatewayCrds.BUNDLE_VERSION);
    if (minimum == null || bundle == null) {
      return;
    }
    Matcher m = SEMVER.matcher(bundle.trim());
    if (!m.matches()) {
      return;
    }
    int[] installed = {part(m, 1), part(m, 2), part(m, 3)};
    if (Arrays.compare(installed, minimum) < 0) {
      ctx.report(FieldPath.of("metadata", "annotations", GatewayCrds.BUNDLE_VERSION),
          "The Gateway API CRD " + crd.name() + " is at bundle version " + bundle + ", lower than the minimum version "
              + minimum[0] + "." + minimum[1] + "." + minimum[2] + " this Istio version requires; istiod ignores its "
              + "resources.");
    }
  }

  private static int part(Matcher m, int group) {
    return m.group(group) == null ? 0 : Integer.parseInt(m.group(group));
  }
}
