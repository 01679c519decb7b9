package io.meshlint.core.rule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A rule's metadata as the engine, the reports and the docs use it. */
public record RuleInfo(String code, String name, Severity severity, String summary, String description,
    List<String> subjects, Set<String> reads, boolean enabledByDefault, List<String> aliases) {

  public RuleInfo(String code, String name, Severity severity, String summary, String description,
      List<String> subjects, Set<String> reads, boolean enabledByDefault) {
    this(code, name, severity, summary, description, subjects, reads, enabledByDefault, List.of());
  }

  private static final String ISTIO_DOCS = "https://istio.io/latest/docs/reference/config/analysis/";
  /** Where the generated rule pages live in the repository. */
  public static final String DOCS_DIR = "docs/rules/";

  private static final ClassValue<RuleInfo> CACHE = new ClassValue<>() {
    @Override
    protected RuleInfo computeValue(Class<?> ruleClass) {
      return read(ruleClass);
    }
  };

  public static RuleInfo of(Class<?> ruleClass) {
    return CACHE.get(ruleClass);
  }

  private static RuleInfo read(Class<?> ruleClass) {
    RuleMeta meta = ruleClass.getAnnotation(RuleMeta.class);
    if (meta == null) {
      throw new IllegalArgumentException(ruleClass.getName() + " has no @RuleMeta");
    }
    Set<String> reads = new LinkedHashSet<>(List.of(meta.subjects()));
    reads.addAll(List.of(meta.reads()));
    return new RuleInfo(meta.code(), meta.name(), meta.severity(), meta.summary(), meta.description(),
        List.of(meta.subjects()), Set.copyOf(reads), meta.enabledByDefault(), List.of(meta.aliases()));
  }

  public boolean isIstioCode() {
    return code.startsWith("IST");
  }

  /** Istio's page for IST codes, meshlint's own page for the rest. */
  public String docsUrl() {
    return isIstioCode() ? ISTIO_DOCS + code.toLowerCase() + "/" : DOCS_DIR + code + ".md";
  }
}
