package io.meshlint.core.rules.annotations;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0135",
    name = "DeprecatedAnnotation",
    severity = Severity.INFO,
    summary = "An Istio annotation that Istio has deprecated.",
    description = """
        Deprecated annotations still work for now, but a later Istio release may ignore them, and \
        the setting then silently stops applying.

        meshlint reports annotations marked deprecated in Istio's catalogue (Istio 1.28), such as \
        `sidecar.istio.io/inject` (use the label of the same name), \
        `sidecar.istio.io/statsInclusionPrefixes` and its siblings (use the Telemetry API or \
        `proxy.istio.io/config`), `sidecar.istio.io/discoveryAddress` and \
        `traffic.sidecar.istio.io/kubevirtInterfaces` (use `istio.io/reroute-virtual-interfaces`). \
        Like `istioctl analyze`, it does not report the `sidecar.istio.io/inject` annotation when the \
        same metadata also has the `sidecar.istio.io/inject` label: keeping both is deliberate. It \
        looks at Namespaces, Services, Pods and Deployments, and also (meshlint only) at the other \
        controllers and their pod templates.

        Fix: replace the annotation with its successor, or remove it.""",
    subjects = {Kinds.NAMESPACE, Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class DeprecatedAnnotation implements Rule {
  private static final String INJECT = "sidecar.istio.io/inject";

  @Override
  public void check(Resource subject, RuleContext ctx) {
    for (AnnotationSites.Site site : AnnotationSites.of(subject)) {
      AnnotationSites.forEachKnown(site, (annotation, value, at) -> {
        if (!annotation.deprecated()) {
          return;
        }
        boolean inject = annotation.name().equals(INJECT);
        if (inject && site.hasLabel(INJECT)) {
          return;
        }
        ctx.report(at, "Annotation \"" + annotation.name() + "\" has been deprecated"
            + (inject ? " in favor of the \"" + INJECT + "\" label" : "") + " and may not work in future Istio versions.");
      });
    }
  }
}
