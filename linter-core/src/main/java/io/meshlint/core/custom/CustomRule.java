package io.meshlint.core.custom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A team's own rule from {@code .meshlint.yaml}: a CEL expression over {@code object} (the
 * resource as Kubernetes sees it) and {@code refs} (the resources it refers to, see
 * {@link References}), true when the resource complies, in the style of Kubernetes'
 * ValidatingAdmissionPolicy. Compiled once when the configuration is read, so that a malformed
 * expression is a configuration error with its position, never a failure while linting.
 */
public final class CustomRule implements Rule {
  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("object", SimpleType.DYN)
      .addVar("refs", SimpleType.DYN)
      .setResultType(SimpleType.BOOL)
      .build();

  private final RuleInfo info;
  private final Set<String> namespaces;
  private final String message;
  private final CelRuntime.Program program;

  private CustomRule(RuleInfo info, Set<String> namespaces, String message, CelRuntime.Program program) {
    this.info = info;
    this.namespaces = namespaces;
    this.message = message;
    this.program = program;
  }

  /** A compile error: where in the expression (1-based line and column) and what. */
  public record CompileError(int line, int column, String message) {}

  /** Thrown for an expression that does not compile. */
  public static final class InvalidExpression extends Exception {
    private final transient List<CompileError> errors;

    InvalidExpression(List<CompileError> errors) {
      super(errors.isEmpty() ? "invalid expression" : errors.get(0).message());
      this.errors = errors;
    }

    public List<CompileError> errors() {
      return errors;
    }
  }

  /**
   * @param kinds the kinds the rule checks
   * @param namespaces the namespaces it applies to; empty for all
   */
  public static CustomRule compile(String code, Severity severity, List<String> kinds, Set<String> namespaces,
      String expression, String message) throws InvalidExpression {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
      CelRuntime.Program program = CEL.createProgram(ast);
      Set<String> reads = new java.util.HashSet<>(kinds);
      reads.addAll(References.READS);
      RuleInfo info = new RuleInfo(code, code, severity, message, "A custom rule of this project: `" + expression + "`.",
          List.copyOf(kinds), Set.copyOf(reads), true);
      return new CustomRule(info, namespaces, message, program);
    } catch (CelValidationException e) {
      List<CompileError> errors = new ArrayList<>();
      for (CelIssue issue : e.getErrors()) {
        errors.add(new CompileError(Math.max(1, issue.getSourceLocation().getLine()),
            issue.getSourceLocation().getColumn() + 1, issue.getMessage()));
      }
      throw new InvalidExpression(errors);
    } catch (CelEvaluationException e) {
      throw new InvalidExpression(List.of(new CompileError(1, 1, e.getMessage())));
    }
  }

  @Override
  public RuleInfo info() {
    return info;
  }

  @Override
  public void check(Resource subject, RuleContext ctx) {
    if (!namespaces.isEmpty() && !namespaces.contains(subject.namespace())) {
      return;
    }
    try {
      Object result = program.eval(Map.of("object", toCel(subject.tree()), "refs", References.of(subject, ctx.mesh())));
      if (!Boolean.TRUE.equals(result)) {
        ctx.report(FieldPath.ROOT, message);
      }
    } catch (CelEvaluationException e) {
      // As in ValidatingAdmissionPolicy, an expression that cannot be evaluated does not pass.
      ctx.report(FieldPath.ROOT, message + " (the expression could not be evaluated: " + e.getMessage() + ")");
    }
  }

  /** The tree as CEL's runtime takes it: maps, lists, strings, longs, doubles, booleans and null. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), toCel(e.getValue()));
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.isNull() ? dev.cel.common.values.NullValue.NULL_VALUE : node.asText();
  }
}
