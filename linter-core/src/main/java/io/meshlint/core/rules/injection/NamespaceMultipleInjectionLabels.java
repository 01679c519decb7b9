package io.meshlint.core.rules.injection;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@RuleMeta(
    code = "IST0123",
    name = "NamespaceMultipleInjectionLabels",
    severity = Severity.WARNING,
    summary = "A namespace has more than one injection label: `istio-injection`, `istio.io/rev`, `istio.io/dataplane-mode`.",
    description = """
        The two labels select different injection webhooks, and they do not combine: \
        `istio-injection` wins, and the revision webhooks only act on namespaces without it. With \
        `istio-injection=enabled` pods are injected by the default revision (if there is one), not \
        by the one `istio.io/rev` names, so a canary upgrade that relabels the namespace appears to do nothing; \
        with `istio-injection=disabled` nothing is injected at all. Either way the namespace does not \
        say what it gets. An ambient namespace (`istio.io/dataplane-mode: ambient`) that also asks \
        for sidecar injection (`istio-injection=enabled` or `istio.io/rev`) is as ambiguous.

        meshlint reports, as `istioctl analyze` does, a Namespace with more than one of \
        `istio-injection`, `istio.io/rev` and `istio.io/dataplane-mode`, where the latter two \
        count only when `istio-injection` is absent or `enabled` (`disabled` settles it).

        Fix: keep one label. For revision-based installs and upgrades remove the legacy one, \
        `kubectl label namespace NAME istio-injection-`; otherwise remove the revision, \
        `kubectl label namespace NAME istio.io/rev-`. Then restart the workloads so that their pods \
        are injected by the intended control plane.""",
    subjects = {Kinds.NAMESPACE})
public final class NamespaceMultipleInjectionLabels implements Rule {

  @Override
  public void check(Resource ns, RuleContext ctx) {
    Map<String, String> labels = ns.labels();
    String legacy = labels.get(Injection.NAMESPACE_LABEL);
    List<String> found = new ArrayList<>();
    if (legacy != null) {
      found.add(Injection.NAMESPACE_LABEL + "=" + legacy);
    }
    for (String label : List.of(Injection.REVISION_LABEL, Injection.DATAPLANE_MODE_LABEL)) {
      if (labels.containsKey(label) && (legacy == null || legacy.equals(Injection.ENABLED))) {
        found.add(label + "=" + labels.get(label));
      }
    }
    if (found.size() > 1) {
      String second = found.get(1).substring(0, found.get(1).indexOf('='));
      ctx.report(Injection.labelPath(ns, second), "The namespace has more than one type of injection labels "
          + WorkloadSelectors.goList(found) + ", which may lead to undefined behavior. Make sure only one injection "
          + "label exists.");
    }
  }
}
