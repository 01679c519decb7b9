package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1010",
    name = "FaultInjectionOnAllTraffic",
    severity = Severity.INFO,
    summary = "Fault injection on a route without match, outside a namespace marked for testing.",
    description = """
        A fault on an http route without `match` applies to every request the route serves: real \
        users get the injected errors or delays, not only the test that needed them. Faults left \
        behind after a chaos experiment are a classic cause of unexplained 5xx or latency in \
        production. A fault with an explicit share, though, is how Istio's fault injection task \
        (and every chaos experiment) is written, so meshlint reports it as information, whatever \
        the namespace is called, so that the experiment is not forgotten.

        meshlint reports an `abort` or `delay` with a percentage above 0 on an http route without \
        `match`, unless the VirtualService's namespace is marked for testing: a Namespace among \
        the inputs with the label `meshlint.io/testing: "true"`. (A fault without percentage is \
        never injected; see MSH1009.)

        Fix: add a `match` that only test traffic meets (a header such as `x-chaos-test`, a \
        test user), remove the fault once the experiment is over, or label the namespace \
        `meshlint.io/testing=true` if all of its traffic is test traffic.""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.NAMESPACE})
public final class FaultInjectionOnAllTraffic implements Rule {
  /** The Namespace label that marks a namespace whose traffic is all test traffic. */
  public static final String TESTING_LABEL = "meshlint.io/testing";

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Resource namespace = ctx.mesh().namespace(vs.namespace());
    if (namespace != null && "true".equals(namespace.labels().get(TESTING_LABEL))) {
      return;
    }
    Trees.forEach(vs.tree().path("spec").path("http"), FieldPath.of("spec", "http"), (route, path) -> {
      JsonNode match = route.path("match");
      if (match.isArray() && !match.isEmpty()) {
        return;
      }
      for (String kind : new String[] {"abort", "delay"}) {
        JsonNode fault = route.path("fault").path(kind);
        double share = fault.has("percentage") ? fault.path("percentage").path("value").asDouble(0)
            : fault.path("percent").asDouble(0);
        if (fault.isObject() && share > 0) {
          ctx.report(path.key("fault").key(kind), "fault " + kind + " hits " + fault.path("percentage").path("value")
              .asText(fault.path("percent").asText()) + "% of all requests of this route (it has no match) in "
              + "namespace " + vs.namespace() + ", which is not labelled " + TESTING_LABEL + "=true");
        }
      }
    });
  }
}
