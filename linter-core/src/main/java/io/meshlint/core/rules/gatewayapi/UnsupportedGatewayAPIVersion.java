package io.meshlint.core.rules.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.Set;
import java.util.TreeSet;

@RuleMeta(
    code = "IST0156",
    name = "UnsupportedGatewayAPIVersion",
    severity = Severity.ERROR,
    summary = "A Gateway API CRD does not serve the API version Istio reads.",
    description = """
        Istio reads the Gateway API's Gateway, GatewayClass, HTTPRoute and ReferenceGrant at \
        `v1beta1` or later. When the installed CRD of one of these kinds does not serve \
        `v1beta1` (an old experimental bundle serving only `v1alpha2`), istiod cannot watch the \
        kind and ignores its resources: Gateways are not programmed and routes do not attach.

        `istioctl` reports this in its install pre-check against a live cluster; meshlint checks \
        the CustomResourceDefinitions among the inputs the same way and reports on `spec.versions`.

        Fix: install a Gateway API release (v0.6 or later, whose CRDs serve `v1beta1`).""",
    subjects = {GatewayCrds.CRD})
public final class UnsupportedGatewayAPIVersion implements Rule {
  private static final Set<String> BETA_KINDS = Set.of("Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant");
  private static final String MINIMUM = "v1beta1";

  @Override
  public void check(Resource crd, RuleContext ctx) {
    JsonNode spec = crd.tree().path("spec");
    if (!Kinds.GATEWAY_API.equals(spec.path("group").asText())
        || !BETA_KINDS.contains(spec.path("names").path("kind").asText())) {
      return;
    }
    Set<String> served = new TreeSet<>();
    for (JsonNode version : spec.path("versions")) {
      if (version.path("served").asBoolean(false)) {
        served.add(version.path("name").asText());
      }
    }
    if (!served.contains(MINIMUM)) {
      String has = served.isEmpty() ? "none" : String.join(",", served);
      ctx.report(FieldPath.of("spec", "versions"),
          "The Gateway API CRD version " + has + " is lower than the minimum version: " + MINIMUM);
    }
  }
}
