package io.meshlint.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rule.RuleMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the rule catalogue honest. */
class RuleCatalogueTest {
  private static final Pattern CODE = Pattern.compile("(IST\\d{4}|MSH\\d{4})");

  @Test
  void everyRuleClassIsRegistered() throws IOException {
    Path sources = Path.of("src/main/java/io/meshlint/core/rules");
    Set<String> annotated = new HashSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.readString(f).contains("@RuleMeta(")) {
          String relative = sources.relativize(f).toString().replace(".java", "").replace('/', '.');
          annotated.add("io.meshlint.core.rules." + relative);
        }
      }
    }
    Set<String> registered = BuiltinRules.all().stream().map(r -> r.getClass().getName()).collect(Collectors.toSet());
    assertEquals(annotated, registered, "classes with @RuleMeta versus BuiltinRules.all()");
  }

  @Test
  void codesAreUniqueAndWellFormed() {
    List<String> codes = BuiltinRules.catalogue().stream().map(RuleInfo::code).toList();
    assertEquals(codes.size(), new HashSet<>(codes).size(), "duplicate codes in " + codes);
    for (String code : codes) {
      assertTrue(CODE.matcher(code).matches(), code + " is neither IST nnnn nor MSH nnnn");
    }
  }

  @Test
  void everyRuleHasMetadataAndSubjects() {
    for (Rule rule : BuiltinRules.all()) {
      RuleMeta meta = rule.getClass().getAnnotation(RuleMeta.class);
      assertFalse(meta.summary().isBlank(), rule + " summary");
      assertFalse(meta.description().isBlank(), rule + " description");
      assertTrue(meta.subjects().length > 0, rule + " subjects");
    }
  }

  @Test
  void everyCodeHasAFiringAndASilentFixture() {
    List<String> missing = new ArrayList<>();
    for (RuleInfo info : BuiltinRules.catalogue()) {
      Path dir = Fixtures.ROOT.resolve(info.code());
      List<Path> fixtures = Fixtures.all().stream().filter(p -> p.getParent().equals(dir)).toList();
      boolean fires = fixtures.stream().anyMatch(p -> Fixtures.expectations(p).stream().anyMatch(e -> e.code().equals(info.code())));
      boolean silent = fixtures.stream().anyMatch(p -> Fixtures.expectations(p).stream().noneMatch(e -> e.code().equals(info.code())));
      if (!fires || !silent) {
        missing.add(info.code() + (fires ? "" : " (no firing fixture)") + (silent ? "" : " (no silent fixture)"));
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everyCodeHasADocsPage() {
    Path docs = Path.of("..").resolve(RuleInfo.DOCS_DIR);
    List<String> missing = BuiltinRules.catalogue().stream()
        .filter(info -> !Files.isRegularFile(docs.resolve(info.code() + ".md")))
        .map(RuleInfo::code).toList();
    assertEquals(List.of(), missing, "pages missing under " + docs + "; run the build to generate them");
  }
}
