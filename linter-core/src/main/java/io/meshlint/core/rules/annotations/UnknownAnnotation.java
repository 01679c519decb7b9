package io.meshlint.core.rules.annotations;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.Spelling;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0108",
    name = "UnknownAnnotation",
    severity = Severity.WARNING,
    summary = "An annotation in one of Istio's domains that Istio does not know.",
    description = """
        Istio reads only the annotations it defines, and ignores the rest without a word: a misspelt \
        `sidecar.istio.io/proxyCpu` (for `proxyCPU`) or `sidecar.istio.io/injected` leaves the sidecar \
        with its defaults, and nothing says why.

        meshlint reports annotations whose prefix (the part before `/`) ends with `istio.io`, and \
        `kubernetes.io/ingress.class`, that are not in Istio's annotation catalogue (Istio 1.28, \
        bundled with meshlint). Like `istioctl analyze` it looks at Namespaces, Services, Pods and \
        Deployments; meshlint also looks at the other controllers (StatefulSets, DaemonSets, \
        ReplicaSets, Jobs, CronJobs) and at their pod templates (`spec.template.metadata.annotations`), \
        where pod annotations belong. Labels are not annotations: `istio.io/rev` and \
        `sidecar.istio.io/inject` as labels are not checked here.

        Fix the spelling (the message suggests the closest known name), or remove the annotation. An \
        annotation newer than the catalogue can be suppressed with \
        `galley.istio.io/analyze-suppress: IST0108`.""",
    subjects = {Kinds.NAMESPACE, Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class UnknownAnnotation implements Rule {
  @Override
  public void check(Resource subject, RuleContext ctx) {
    AnnotationCatalogue catalogue = AnnotationCatalogue.istio();
    for (AnnotationSites.Site site : AnnotationSites.of(subject)) {
      site.forEachAnnotation((key, value, at) -> {
        if (AnnotationCatalogue.inIstioDomain(key) && catalogue.find(key) == null) {
          String closest = Spelling.closest(key, catalogue.names());
          ctx.report(at, "Unknown annotation: " + key + (closest == null ? "" : " (did you mean " + closest + "?)"));
        }
      });
    }
  }
}
