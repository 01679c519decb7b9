package io.meshlint.core.rules;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rule fixtures: {@code src/main/resources/meshlint/rules/CODE/*.yaml} (shipped, so that {@code meshlint explain} can show them). A fixture states what it must
 * produce with comments on the offending lines, {@code # expect: IST0101} or, to pin the severity,
 * {@code # expect: MSH1002:info}; several codes are separated by commas. A fixture without an
 * expectation for its directory's code must stay silent for that code.
 */
final class Fixtures {
  static final Path ROOT = Path.of("src/main/resources/meshlint/rules");
  private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*(.+)$");

  private Fixtures() {}

  /** What one finding or expectation says: the code, the line and (if pinned) the severity. */
  record Expectation(String code, int line, String severity) {
    @Override
    public String toString() {
      return code + (severity == null ? "" : ":" + severity) + " at line " + line;
    }
  }

  static List<Path> all() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String codeOf(Path fixture) {
    return fixture.getParent().getFileName().toString();
  }

  static List<Expectation> expectations(Path fixture) {
    List<Expectation> out = new ArrayList<>();
    List<String> lines = read(fixture);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = EXPECT.matcher(lines.get(i));
      if (m.find()) {
        for (String item : m.group(1).split(",")) {
          String[] parts = item.trim().split(":");
          out.add(new Expectation(parts[0].trim(), i + 1, parts.length > 1 ? parts[1].trim() : null));
        }
      }
    }
    return out;
  }

  /** Lints one fixture alone, every rule on (the off-by-default ones too). */
  static List<Finding> lint(Path fixture) {
    Set<String> everyCode = BuiltinRules.catalogue().stream().map(RuleInfo::code).collect(Collectors.toSet());
    Engine.Selection selection = new Engine.Selection(Map.of(), everyCode, Set.of(), p -> false);
    Linter linter = new Linter(BuiltinRules.all(), selection, Settings.DEFAULT, null, YamlReader.Limits.DEFAULT);
    return linter.lint(List.of(SourceFile.ofPath(fixture, fixture.toString())), List.of()).findings();
  }

  private static List<String> read(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
