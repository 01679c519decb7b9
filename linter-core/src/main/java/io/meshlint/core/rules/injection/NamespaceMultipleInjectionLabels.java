package io.meshlint.core.rules.injection;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0123",
    name = "NamespaceMultipleInjectionLabels",
    severity = Severity.WARNING,
    summary = "A namespace has both the legacy `istio-injection` and the revision `istio.io/rev` label.",
    description = """
        The two labels select different injection webhooks, and they do not combine: \
        `istio-injection` wins, and the revision webhooks only act on namespaces without it. With \
        `istio-injection=enabled` pods are injected by the default revision (if there is one), not \
        by the one `istio.io/rev` names, so a canary upgrade that relabels the namespace appears to do nothing; \
        with `istio-injection=disabled` nothing is injected at all. Either way the namespace does not \
        say what it gets.

        Fix: keep one label. For revision-based installs and upgrades remove the legacy one, \
        `kubectl label namespace NAME istio-injection-`; otherwise remove the revision, \
        `kubectl label namespace NAME istio.io/rev-`. Then restart the workloads so that their pods \
        are injected by the intended control plane.""",
    subjects = {Kinds.NAMESPACE})
public final class NamespaceMultipleInjectionLabels implements Rule {

  @Override
  public void check(Resource ns, RuleContext ctx) {
    if (ns.labels().containsKey(Injection.NAMESPACE_LABEL) && ns.labels().containsKey(Injection.REVISION_LABEL)) {
      String name = ns.name();
      ctx.report(Injection.labelPath(ns, Injection.REVISION_LABEL),
          "The namespace has both new and legacy injection labels. Run 'kubectl label namespace " + name
              + " istio.io/rev-' or 'kubectl label namespace " + name + " istio-injection-'");
    }
  }
}
