package io.meshlint.core.rules.annotations;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import java.util.Set;

@RuleMeta(
    code = "IST0136",
    name = "AlphaAnnotation",
    severity = Severity.INFO,
    summary = "An Istio annotation of an alpha-phase feature.",
    description = """
        Alpha features may change or disappear between Istio releases without the usual deprecation \
        period, and may be incompletely supported; an upgrade can change what the annotation does.

        meshlint reports annotations whose feature status in Istio's catalogue (Istio 1.28) is Alpha. \
        As in `istioctl analyze`, this rule is off by default (most annotations are alpha, so it is \
        noisy; switch it on with `--enable IST0136`), and it skips the annotations Istio sets itself: \
        `sidecar.istio.io/status`, `gateway.istio.io/controller-version` and `istio.io/rev` always, and \
        on Pods injected with the CNI plugin (no `istio-init` init container) also \
        `sidecar.istio.io/interceptionMode` and `traffic.sidecar.istio.io/includeInboundPorts`, \
        `excludeInboundPorts` and `includeOutboundIPRanges`. It looks at Namespaces, Services, Pods \
        and Deployments, and also (meshlint only) at the other controllers and their pod templates.

        Fix: nothing is broken; check the feature's status in the release notes before upgrading.""",
    subjects = {Kinds.NAMESPACE, Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB},
    enabledByDefault = false)
public final class AlphaAnnotation implements Rule {
  private static final Set<String> SET_BY_ISTIO =
      Set.of("sidecar.istio.io/status", "gateway.istio.io/controller-version", "istio.io/rev");
  /** Set by the injector on the pods it injects when the CNI plugin does the traffic capture. */
  private static final Set<String> SET_BY_INJECTION_WITH_CNI = Set.of("sidecar.istio.io/interceptionMode",
      "traffic.sidecar.istio.io/includeInboundPorts", "traffic.sidecar.istio.io/excludeInboundPorts",
      "traffic.sidecar.istio.io/includeOutboundIPRanges");

  @Override
  public void check(Resource subject, RuleContext ctx) {
    boolean cniPod = subject.kind().equals(Kinds.POD) && !hasIstioInit(subject.tree().path("spec"));
    for (AnnotationSites.Site site : AnnotationSites.of(subject)) {
      AnnotationSites.forEachKnown(site, (annotation, value, at) -> {
        if (annotation.status() != AnnotationCatalogue.Status.ALPHA || SET_BY_ISTIO.contains(annotation.name())
            || cniPod && !site.podTemplate() && SET_BY_INJECTION_WITH_CNI.contains(annotation.name())) {
          return;
        }
        ctx.report(at, "Annotation \"" + annotation.name()
            + "\" is part of an alpha-phase feature and may be incompletely supported.");
      });
    }
  }

  private static boolean hasIstioInit(JsonNode podSpec) {
    for (JsonNode c : podSpec.path("initContainers")) {
      if ("istio-init".equals(c.path("name").asText())) {
        return true;
      }
    }
    return false;
  }
}
