package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Durations;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1008",
    name = "RetriesNeverAttempted",
    severity = Severity.WARNING,
    summary = "A route's perTryTimeout is at or above its timeout, so no retry can ever happen.",
    description = """
        The route `timeout` bounds the whole request, retries included; `retries.perTryTimeout` \
        bounds each attempt. When an attempt may take as long as the whole request, a slow first \
        attempt uses up the route timeout and the caller gets 504 (`UT`) before any retry starts: \
        the retry policy only works for fast failures (resets, 503s), not for the slow upstreams it \
        is usually written for.

        meshlint reports http routes that set both durations, with retries not switched off \
        (`attempts: 0`), where `perTryTimeout` is not below `timeout`.

        Fix: make `perTryTimeout` a fraction of `timeout` (for `attempts: 3`, at most a third), or \
        raise `timeout`.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class RetriesNeverAttempted implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Trees.forEach(vs.tree().path("spec").path("http"), FieldPath.of("spec", "http"), (route, path) -> {
      JsonNode retries = route.path("retries");
      if (retries.path("attempts").isInt() && retries.path("attempts").asInt() == 0) {
        return;
      }
      Long timeout = Durations.parseNanos(route.path("timeout").asText(null));
      Long perTry = Durations.parseNanos(retries.path("perTryTimeout").asText(null));
      if (timeout != null && perTry != null && timeout > 0 && perTry >= timeout) {
        ctx.report(path.then("retries.perTryTimeout"), "perTryTimeout " + retries.path("perTryTimeout").asText()
            + " is not below the route timeout " + route.path("timeout").asText()
            + ": the first attempt can use up the whole timeout, so retries never happen");
      }
    });
  }
}
