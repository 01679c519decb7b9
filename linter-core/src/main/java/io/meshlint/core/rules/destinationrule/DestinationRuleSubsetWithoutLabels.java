package io.meshlint.core.rules.destinationrule;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

@RuleMeta(
    code = "MSH1043",
    name = "DestinationRuleSubsetWithoutLabels",
    severity = Severity.INFO,
    summary = "A DestinationRule subset has no labels, so it selects every endpoint of the host.",
    description = """
        A subset is the set of the host's endpoints whose labels match the subset's `labels`. \
        Without labels it matches all of them: a canary split such as 90% to `v1` and 10% to `v2` \
        sends both shares to every version, and the release is not isolated at all.

        A DestinationRule for an egress gateway with a single subset without labels is Istio's \
        documented egress pattern (the subset only names the traffic's way out, \
        `subset: cnn` on `istio-egressgateway`), and is not reported. A host is an egress \
        gateway when its Service selects the pods an Istio Gateway among the inputs selects, or \
        when its name says so (`istio-egressgateway`, or a name with `egressgateway` or \
        `egress-gateway` in it, for the gateway Istio installs outside the inputs).

        The severity is Kiali's for KIA0209: info.

        Fix: give the subset the labels of its version (`labels: {version: v2}`), or drop the \
        subset and route to the host.""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE, Kinds.GATEWAY},
    aliases = {"KIA0209"})
public final class DestinationRuleSubsetWithoutLabels implements Rule {

  @Override
  public void check(Resource rule, RuleContext ctx) {
    JsonNode subsets = rule.tree().path("spec").path("subsets");
    if (subsets.size() == 1 && isEgressGateway(rule.tree().path("spec").path("host").asText(), rule.namespace(), ctx)) {
      return;
    }
    Trees.forEach(rule.tree().path("spec").path("subsets"), FieldPath.of("spec", "subsets"), (subset, path) -> {
      if (Resource.stringMap(subset.path("labels")).isEmpty()) {
        ctx.report(path, "Subset \"" + subset.path("name").asText() + "\" has no labels: it selects every endpoint"
            + " of host " + rule.tree().path("spec").path("host").asText());
      }
    });
  }

  private static boolean isEgressGateway(String host, String namespace, RuleContext ctx) {
    String name = host.split("\\.", 2)[0];
    if (name.contains("egressgateway") || name.contains("egress-gateway")) {
      return true;
    }
    Resource service = ctx.mesh().service(host, namespace);
    if (service == null) {
      return false;
    }
    // A Gateway whose selector the Service's contains has its selector's first label among the Service's.
    Map<String, String> selector = Resource.stringMap(service.tree().path("spec").path("selector"));
    for (Map.Entry<String, String> label : selector.entrySet()) {
      for (Resource gateway : ctx.mesh().gatewaysWithFirstSelectorLabel(label.getKey() + "=" + label.getValue())) {
        Map<String, String> gatewaySelector = Resource.stringMap(gateway.tree().path("spec").path("selector"));
        if (selector.entrySet().containsAll(gatewaySelector.entrySet())) {
          return true;
        }
      }
    }
    return false;
  }
}
