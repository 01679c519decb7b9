package io.meshlint.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshlint.core.rule.Finding;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every rule fixture and compares what it reports with the fixture's inline expectations. */
class RuleFixturesTest {

  static Stream<Named<Path>> fixtures() {
    return Fixtures.all().stream().map(p -> Named.of(Fixtures.ROOT.relativize(p).toString(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void reportsExactlyWhatTheFixtureExpects(Path fixture) {
    List<Fixtures.Expectation> expected = Fixtures.expectations(fixture);
    Set<String> codes = new HashSet<>();
    codes.add(Fixtures.codeOf(fixture));
    expected.forEach(e -> codes.add(e.code()));
    Set<String> pinned = new HashSet<>();
    expected.stream().filter(e -> e.severity() != null).forEach(e -> pinned.add(e.code() + "@" + e.line()));

    List<Finding> findings = Fixtures.lint(fixture);
    List<Fixtures.Expectation> actual = findings.stream()
        .filter(f -> codes.contains(f.rule().code()))
        .map(f -> new Fixtures.Expectation(f.rule().code(), f.location().line(),
            pinned.contains(f.rule().code() + "@" + f.location().line()) ? f.severity().id() : null))
        .sorted(ORDER)
        .toList();
    String report = findings.stream()
        .map(f -> "  " + f.rule().code() + " line " + f.location().line() + ":" + f.location().column() + " "
            + f.severity().id() + " " + f.message())
        .reduce("", (a, b) -> a + "\n" + b);
    assertEquals(expected.stream().sorted(ORDER).toList(), actual, "findings of " + fixture + ":" + report);
  }

  private static final Comparator<Fixtures.Expectation> ORDER = Comparator
      .comparingInt(Fixtures.Expectation::line).thenComparing(Fixtures.Expectation::code);
}
