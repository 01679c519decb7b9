package io.meshlint.core.rule;

import io.meshlint.core.model.Resource;

/**
 * A check over one resource at a time. The engine calls it for every resource of the kinds its
 * {@link RuleMeta#subjects()} names; the rule looks up the rest of the mesh through the context and
 * reports findings against field paths of that resource.
 */
public interface Rule {
  void check(Resource subject, RuleContext context);

  default RuleInfo info() {
    return RuleInfo.of(getClass());
  }
}
