package io.meshlint.core.rules.virtualservice;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0130",
    name = "VirtualServiceUnreachableRule",
    severity = Severity.WARNING,
    summary = "A VirtualService rule can never apply because earlier rules take all its requests.",
    description = """
        The proxy tries a VirtualService's `http` (or `tcp`, `tls`) rules in order and uses the \
        first that matches. A rule placed after a rule without `match` (which takes every \
        request), or whose every match repeats an earlier rule's match, never applies: its routes, \
        retries, timeouts and fault injection are dead configuration, usually by mistake of order.

        meshlint reports what `istioctl analyze` reports (its validation of VirtualServices): a \
        second rule without matches ("only the last rule can have no matches"), a rule with \
        matches placed after a rule without matches ("route without matches defined before"), \
        and a rule whose matches all repeat matches of prior rules (compared without their \
        `name`; "all matches used by prior rules"). A match that an earlier `uri.prefix` match \
        only covers is reported by IST0131, not counted here.

        Fix: move the catch-all rule last, or remove or change the shadowed rule.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class VirtualServiceUnreachableRule implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    for (RouteMatches.Unreachable u : RouteMatches.analyze(vs.tree().path("spec")).unreachable) {
      ctx.report(u.path(), "VirtualService rule " + u.rule() + " not used (" + u.reason() + ").");
    }
  }
}
