package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Suppression by annotation and by the project's .meshlint.yaml. */
class ConfigTest {
  static final String GATEWAY_TYPO = "Referenced gateway not found: \"calcapps-dev-gatway\"";

  @ParameterizedTest
  @ValueSource(strings = {"meshlint.io/ignore", "galley.istio.io/analyze-suppress"})
  void annotationSilencesTheCode(String annotation, @TempDir Path dir) throws IOException {
    String manifest = Files.readString(Path.of(Cli.TYPO)).replace("  name: calcapp-dev-vs\n",
        "  name: calcapp-dev-vs\n  annotations:\n    " + annotation + ": \"IST0101\"\n");
    Path file = Files.writeString(dir.resolve("app.yaml"), manifest);
    Cli.Result r = Cli.run("lint", file.toString());
    assertFalse(r.out().contains("IST0101"), r.out());
    assertTrue(r.out().contains("MSH1001"), "other codes are still reported: " + r.out());
    assertEquals(0, r.status());
  }

  @Test
  void configChangesTheSeverity(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), "rules: {IST0101: warning}\n");
    Cli.Result r = Cli.run("lint", "--config", config.toString(), Cli.TYPO);
    assertTrue(r.out().contains("Warning [IST0101] (VirtualService dev/calcapp-dev-vs " + Cli.TYPO + ":26) " + GATEWAY_TYPO),
        r.out());
    assertEquals(0, r.status());
    assertEquals(1, Cli.run("lint", "--config", config.toString(), "--fail-on", "warning", Cli.TYPO).status());
  }

  @Test
  void configSwitchesTheRuleOff(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), "rules: {IST0101: off}\n");
    Cli.Result r = Cli.run("lint", "--config", config.toString(), Cli.TYPO);
    assertFalse(r.out().contains("IST0101"), r.out());
    assertEquals(0, r.status());
  }

  @Test
  void configIgnoresPaths(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), "ignore: [\"**/resources/*-typo.yaml\"]\n");
    Path other = Files.writeString(dir.resolve("gw.yaml"), ExitStatusTest.WARNING_ONLY);
    Cli.Result r = Cli.run("lint", "--config", config.toString(), Cli.TYPO, other.toString());
    assertEquals(0, r.status(), r.out());
    assertFalse(r.out().contains("gateway-typo"), r.out());
    assertTrue(r.out().contains("MSH1001 ") || r.out().contains("[MSH1001]"), "other paths still reported: " + r.out());
  }

  @Test
  void malformedConfigIsUsageErrorWithPosition(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), "ignore: []\nrules:\n  IST0101: fatal\n");
    Cli.Result r = Cli.run("lint", "--config", config.toString(), Cli.TYPO).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains(config + ":3"), r.err());
    assertTrue(r.err().contains("fatal"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void missingConfigIsUsageError(@TempDir Path dir) {
    Cli.Result r = Cli.run("lint", "--config", dir.resolve("none.yaml").toString(), Cli.TYPO).assertNoStackTrace();
    assertEquals(2, r.status());
  }
}
