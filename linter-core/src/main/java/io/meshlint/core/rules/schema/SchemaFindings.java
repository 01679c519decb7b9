package io.meshlint.core.rules.schema;

import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

/**
 * The findings of {@link SchemaValidationError}: each path once, with Istio's message prefix. A
 * binding problem wins over a rule at the same path or at its parent: a misspelt {@code destinaton}
 * is reported, not the missing {@code destination} it causes.
 */
final class SchemaFindings {
  private static final String PREFIX = "Schema validation error: ";

  private final RuleContext ctx;
  private final Set<FieldPath> seen = new HashSet<>();
  private final Set<FieldPath> parentsOfSchemaProblems = new HashSet<>();

  SchemaFindings(RuleContext ctx) {
    this.ctx = ctx;
  }

  void schema(FieldPath path, String detail) {
    parentsOfSchemaProblems.add(path.parent());
    if (seen.add(path)) {
      ctx.report(path, PREFIX + detail);
    }
  }

  void report(FieldPath path, String detail) {
    if (!parentsOfSchemaProblems.contains(path) && seen.add(path)) {
      ctx.report(path, PREFIX + detail);
    }
  }
}
