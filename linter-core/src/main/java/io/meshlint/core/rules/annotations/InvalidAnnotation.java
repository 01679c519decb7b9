package io.meshlint.core.rules.annotations;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0125",
    name = "InvalidAnnotation",
    severity = Severity.WARNING,
    summary = "An Istio annotation whose value Istio's injector rejects.",
    description = """
        Istio's sidecar injector validates some pod annotations and refuses to inject a pod whose \
        value it cannot use: with the webhook's default failure policy the pod is not created at all \
        (the ReplicaSet reports a `FailedCreate` event), and a Deployment rolls out no new pods.

        meshlint checks the annotations Istio checks, where they are in the right place (a Pod, or a \
        controller's pod template):
        - `sidecar.istio.io/interceptionMode`: `REDIRECT`, `TPROXY` or `NONE`;
        - `status.sidecar.istio.io/port`: a port number, 0 to 65535;
        - `readiness.status.sidecar.istio.io/initialDelaySeconds`, `periodSeconds`, \
        `failureThreshold`: a whole number, 0 or more;
        - `traffic.sidecar.istio.io/includeOutboundIPRanges` (or `*`) and `excludeOutboundIPRanges`: \
        comma separated CIDR ranges such as `10.0.0.0/8`, without spaces;
        - `traffic.sidecar.istio.io/includeInboundPorts` (or `*`), `excludeInboundPorts`, \
        `excludeOutboundPorts`: comma separated port numbers;
        - `prometheus.istio.io/merge-metrics`: a boolean (`true`, `false`, also `1`, `0`, `t`, `f`);
        - `proxy.istio.io/config`: a YAML mapping of ProxyConfig fields. Istio also validates the \
        values of those fields; meshlint only checks that the text is a YAML mapping.

        Other annotations, `sidecar.istio.io/inject` among them, are not validated by Istio (any value \
        but `true` just does not opt in), so meshlint does not report them either. Fix the value as \
        the message says.""",
    subjects = {Kinds.NAMESPACE, Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class InvalidAnnotation implements Rule {
  @Override
  public void check(Resource subject, RuleContext ctx) {
    for (AnnotationSites.Site site : AnnotationSites.of(subject)) {
      AnnotationSites.forEachKnown(site, (annotation, value, at) -> {
        if (!annotation.fits(site.kind())) {
          return;
        }
        String problem = AnnotationValues.problem(annotation.name(), value);
        if (problem != null) {
          ctx.report(at, "Invalid annotation " + annotation.name() + ": " + problem);
        }
      });
    }
  }
}
