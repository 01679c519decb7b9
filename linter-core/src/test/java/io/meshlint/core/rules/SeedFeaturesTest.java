package io.meshlint.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed tutorial's features (fault injection, mirroring as "testing in production", https for a
 * legacy application in each documented form) set up as Istio documents them, on the tutorial's
 * calculator: a linter that reports them as problems would be switched off. Allowed: the information
 * that an experiment with a fault on all traffic is running (MSH1010), and istioctl's own advice to
 * check the external server's certificate against a CA of one's own (IST0128/IST0129), which the
 * documented forms leave out and which is true of them.
 */
class SeedFeaturesTest {
  private static final Path SEED = Path.of("src/test/resources/seed");
  private static final Set<String> ALLOWED = Set.of("MSH1010:INFO", "IST0128:WARNING", "IST0129:WARNING");

  @ParameterizedTest
  @ValueSource(strings = {"fault-injection.yaml", "mirroring.yaml", "https-target-port.yaml",
      "https-port-rewrite.yaml", "https-egress-gateway.yaml"})
  void lintsClean(String feature) {
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
        YamlReader.Limits.DEFAULT);
    List<SourceFile> files = List.of(SourceFile.ofPath(SEED.resolve("app.yaml"), "app.yaml"),
        SourceFile.ofPath(SEED.resolve(feature), feature));
    List<String> findings = linter.lint(files, List.of()).findings().stream()
        .filter(f -> !ALLOWED.contains(f.rule().code() + ":" + f.severity()))
        .map(SeedFeaturesTest::describe).toList();
    assertEquals(List.of(), findings, feature);
  }

  private static String describe(Finding f) {
    return f.severity() + " " + f.rule().code() + " " + f.resource() + " " + f.path() + ": " + f.message();
  }
}
