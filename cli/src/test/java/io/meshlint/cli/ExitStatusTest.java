package io.meshlint.cli;

import static io.meshlint.cli.Cli.CLEAN;
import static io.meshlint.cli.Cli.TYPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Exit statuses of the contract: 0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input. */
class ExitStatusTest {
  /** A Gateway host that no VirtualService binds: only the MSH1001 warning. */
  static final String WARNING_ONLY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: web
      spec:
        selector:
          istio: ingressgateway
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["a.example.com"]
      """;

  static final java.util.List<String> FORMATS = Cli.FORMATS;

  @ParameterizedTest
  @FieldSource("FORMATS")
  void errorFindingFailsByDefault(String format) {
    assertEquals(1, Cli.run("lint", "--output", format, TYPO).status());
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void failOnNoneNeverFails(String format) {
    assertEquals(0, Cli.run("lint", "--output", format, "--fail-on", "none", TYPO).status());
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void cleanInputPasses(String format) {
    Cli.Result r = Cli.run("lint", "--output", format, CLEAN);
    assertEquals(0, r.status(), r.out() + r.err());
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void missingFileIsUsageError(String format, @TempDir Path dir) {
    Cli.Result r = Cli.run("lint", "--output", format, dir.resolve("nope.yaml").toString()).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("nope.yaml"), r.err());
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void unknownOptionIsUsageError(String format) {
    Cli.Result r = Cli.run("lint", "--output", format, "--bogus", TYPO).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--bogus"), r.err());
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void unknownRuleCodeIsUsageError(String format) {
    Cli.Result r = Cli.run("lint", "--output", format, "--disable", "IST9999", TYPO).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("IST9999"), r.err());
  }

  @Test
  void unknownOutputFormatIsUsageError() {
    assertEquals(2, Cli.run("lint", "--output", "xml", TYPO).assertNoStackTrace().status());
  }

  @ParameterizedTest
  @FieldSource("FORMATS")
  void warningFailsOnlyWithFailOnWarning(String format, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gw.yaml"), WARNING_ONLY);
    Cli.Result byDefault = Cli.run("lint", "--output", format, file.toString());
    assertEquals(0, byDefault.status(), byDefault.out());
    assertTrue(byDefault.out().contains("MSH1001"), byDefault.out());
    assertEquals(1, Cli.run("lint", "--output", format, "--fail-on", "warning", file.toString()).status());
  }

  @Test
  void disablingTheRuleClearsTheFailure() {
    assertEquals(0, Cli.run("lint", "--disable", "IST0101", TYPO).status());
  }
}
