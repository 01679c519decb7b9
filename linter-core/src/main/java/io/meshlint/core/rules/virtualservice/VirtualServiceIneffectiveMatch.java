package io.meshlint.core.rules.virtualservice;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0131",
    name = "VirtualServiceIneffectiveMatch",
    severity = Severity.INFO,
    summary = "A VirtualService match repeats or falls under an earlier match, so it never decides.",
    description = """
        Rules are tried in order, so a match that an earlier rule already has (or that an earlier \
        match covers) never selects its rule: requests it describes go to the earlier rule. The \
        rule may still apply through its other matches; when none is left, IST0130 reports the \
        rule itself.

        meshlint reports, as `istioctl analyze` does, a match equal to an earlier one (compared \
        without `name`) in `http`, `tcp` and `tls` rules, and an http match covered by an earlier \
        `uri.prefix` match: the later `uri.prefix` starts with the earlier prefix (a later \
        `uri.exact` is not compared, as in Istio), and \
        every other condition of the earlier match (`method`, `authority`, `headers`, \
        `queryParams` equal or a covering prefix, same `port` and `withoutHeaders`) holds for the \
        later one. Unlike `istioctl analyze`, an earlier match with conditions meshlint does not \
        compare (`sourceLabels`, `gateways`, regexes, ...) is never taken as covering, a missing \
        `method` means any method rather than GET, and a later match with `ignoreUriCase` is not \
        covered, so narrower earlier matches do not raise false alarms.

        Fix: put the more specific match first, or remove the duplicate.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class VirtualServiceIneffectiveMatch implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    for (RouteMatches.Ineffective i : RouteMatches.analyze(vs.tree().path("spec")).ineffective) {
      ctx.report(i.path(), "VirtualService rule " + i.rule() + " match " + i.match()
          + " is not used (duplicate/overlapping match in rule " + i.earlier() + ").");
    }
  }
}
