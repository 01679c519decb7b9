package io.meshlint.core.rules.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;

@RuleMeta(
    code = "IST0160",
    name = "MultipleTelemetriesWithoutWorkloadSelectors",
    severity = Severity.ERROR,
    summary = "A namespace has more than one Telemetry resource without a workload selector.",
    description = """
        A Telemetry without `selector` is the default for every workload of its namespace (in the \
        root namespace, `istio-system` by default, for the whole mesh). A namespace can have only \
        one: with two, Istio applies one of them (the oldest) and ignores the other, so the \
        namespace's metrics, tracing and access logging depend on creation order.

        meshlint reports each of the Telemetries of a namespace that have no `selector` field when \
        there are two or more, as `istioctl analyze` does. A Telemetry with `targetRef` or \
        `targetRefs` (attached to a Gateway, Service or waypoint) is not a namespace default and is \
        not counted, although `istioctl analyze` counts it. The same Telemetry defined twice counts \
        once.

        Fix: merge them into one default Telemetry, or give all but one a `selector`.""",
    subjects = {Kinds.TELEMETRY})
public final class MultipleTelemetriesWithoutWorkloadSelectors implements Rule {

  @Override
  public void check(Resource telemetry, RuleContext ctx) {
    WorkloadSelectors.reportMultipleDefaults(telemetry, MultipleTelemetriesWithoutWorkloadSelectors::targetsSome,
        Kinds.TELEMETRY,
        "The Telemetries %s in namespace \"%s\" have no workload selector, which can lead to undefined behavior.", ctx);
  }

  private static boolean targetsSome(Resource telemetry) {
    JsonNode spec = telemetry.tree().path("spec");
    return spec.path("selector").isObject() || spec.path("targetRef").isObject()
        || (spec.path("targetRefs").isArray() && !spec.path("targetRefs").isEmpty());
  }
}
