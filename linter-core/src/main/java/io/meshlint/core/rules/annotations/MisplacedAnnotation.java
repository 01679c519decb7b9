package io.meshlint.core.rules.annotations;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0107",
    name = "MisplacedAnnotation",
    severity = Severity.WARNING,
    summary = "An Istio annotation on a kind of resource it does not apply to.",
    description = """
        Istio reads each annotation from one kind of resource only, and ignores it anywhere else. The \
        classic case: `sidecar.istio.io/inject`, `sidecar.istio.io/proxyCPU` or \
        `traffic.sidecar.istio.io/excludeOutboundPorts` in a Deployment's own `metadata.annotations`. \
        The injector only sees pods, so the setting never reaches them; it belongs in the pod \
        template, `spec.template.metadata.annotations`.

        meshlint reports annotations of Istio's catalogue (Istio 1.28) found on a kind that is not \
        among the kinds the catalogue gives for them (annotations for any kind are never misplaced). \
        Like `istioctl analyze` it looks at Namespaces, Services, Pods and Deployments; meshlint also \
        looks at the other controllers (StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs), and at \
        their pod templates, which count as Pods: a pod annotation there is in the right place, a \
        Service annotation is not.

        Fix: move the annotation to a resource of the kind the message names; for pod annotations on \
        a controller, to its pod template.""",
    subjects = {Kinds.NAMESPACE, Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class MisplacedAnnotation implements Rule {
  @Override
  public void check(Resource subject, RuleContext ctx) {
    for (AnnotationSites.Site site : AnnotationSites.of(subject)) {
      AnnotationSites.forEachKnown(site, (annotation, value, at) -> {
        if (annotation.fits(site.kind())) {
          return;
        }
        boolean forItsPods = !site.podTemplate() && annotation.fits(Kinds.POD)
            && Kinds.WORKLOAD_CONTROLLERS.contains(subject.kind());
        ctx.report(at, "Misplaced annotation: " + annotation.name() + " can only be applied to "
            + String.join(", ", annotation.kinds()), null,
            forItsPods ? "Move it to the pod template: " + podTemplate(subject.kind()) + ".metadata.annotations" : null);
      });
    }
  }

  private static String podTemplate(String kind) {
    return kind.equals(Kinds.CRON_JOB) ? "spec.jobTemplate.spec.template" : "spec.template";
  }
}
