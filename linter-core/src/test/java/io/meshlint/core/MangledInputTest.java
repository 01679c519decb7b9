package io.meshlint.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad input never stops a run: every rule fixture, mangled at random (a fixed seed, so a failure
 * can be replayed), is linted without an exception, and every finding points at a real line.
 */
class MangledInputTest {
  private static final String NOISE = "\"':-\n {}[]&*!%@`|>\t#?,0";

  @Test
  void mangledManifestsGiveFindingsNotExceptions() throws Exception {
    List<Path> fixtures;
    try (Stream<Path> files = Files.walk(Path.of("src/main/resources/meshlint/rules"))) {
      fixtures = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
        YamlReader.Limits.DEFAULT);
    Random random = new Random(20261124);
    int runs = 0;
    for (Path fixture : fixtures) {
      String text = Files.readString(fixture);
      for (int i = 0; i < 3; i++) {
        StringBuilder mangled = new StringBuilder(text);
        for (int edits = 1 + random.nextInt(5); edits > 0 && mangled.length() > 0; edits--) {
          mangled.setCharAt(random.nextInt(mangled.length()), NOISE.charAt(random.nextInt(NOISE.length())));
        }
        String name = fixture.getFileName() + "#" + i;
        List<Finding> findings = linter.lint(List.of(SourceFile.ofText(name, mangled.toString())), List.of()).findings();
        long lines = mangled.chars().filter(c -> c == '\n').count() + 1;
        for (Finding f : findings) {
          assertTrue(f.location().line() >= 1 && f.location().line() <= lines, name + ": " + f);
        }
        runs++;
      }
    }
    assertTrue(runs > 100, "mangled " + runs + " inputs");
  }
}
