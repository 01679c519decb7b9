package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlint lsp} as editors start it: through the {@code ./meshlint} launcher, from the fat
 * jar the build made (so run by failsafe, after {@code package}). A real client, Debian's Neovim with
 * its built-in LSP client, skipped only where nvim is not installed ({@code .ci/run} installs it).
 */
class LspEditorIT {
  static final Path LAUNCHER = Path.of("..", "meshlint").toAbsolutePath().normalize();

  @TempDir
  Path workspace;
  @TempDir
  Path cache;
  Path typo;
  Path external;

  @BeforeEach
  void writeWorkspace() throws IOException {
    Files.writeString(workspace.resolve("gateway.yaml"), LspTest.GATEWAY);
    Files.writeString(workspace.resolve("service.yaml"), LspTest.SERVICE);
    typo = Files.writeString(workspace.resolve("vs.yaml"), LspTest.TYPO);
    external = Files.writeString(workspace.resolve("checkout.yaml"), LspTest.EXTERNAL);
    assertTrue(Files.isRegularFile(Path.of("target", "meshlint.jar")), "the fat jar is built before integration tests");
  }

  @Test
  void neovimShowsTheTypoAndItsFixAndAppliesTheQuickFix() throws Exception {
    Optional<Path> nvim = onPath("nvim");
    assumeTrue(nvim.isPresent(), "Neovim test skipped: nvim is not installed (apt-get install -y neovim; .ci/run does it)");
    Path out = cache.resolve("neovim.json");
    Path script;
    try (InputStream in = LspEditorIT.class.getResourceAsStream("/lsp/neovim-client.lua")) {
      script = Files.createTempFile("meshlint-neovim", ".lua");
      Files.write(script, in.readAllBytes());
    }
    ProcessBuilder pb = new ProcessBuilder(nvim.get().toString(), "--headless", "--clean", "-n", "-i", "NONE",
        "-c", "luafile " + script);
    pb.environment().put("MESHLINT_CMD", LAUNCHER + "\nlsp");
    pb.environment().put("MESHLINT_WORKSPACE", workspace.toString());
    pb.environment().put("MESHLINT_TYPO", typo.toString());
    pb.environment().put("MESHLINT_EXTERNAL", external.toString());
    pb.environment().put("MESHLINT_OUT", out.toString());
    // Neovim's and meshlint's caches (the LSP log, the rule pages) stay in the test's directory.
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().put("XDG_STATE_HOME", cache.toString());
    Path log = cache.resolve("nvim.log");
    Process process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "nvim did not finish");
    assertTrue(Files.isRegularFile(out), "nvim wrote no result; its output:\n" + Files.readString(log));
    JsonNode result = LspSession.JSON.readTree(out.toFile());
    assertTrue(result.path("error").isNull() || result.path("error").isMissingNode(), result.toString());

    JsonNode diagnostics = result.get("typo");
    // The typo gets IST0101 and, as istioctl reports it too, IST0132 (a warning) on the same line.
    assertEquals(2, diagnostics.size(), diagnostics.toString());
    assertEquals("IST0132", diagnostics.get(1).get("code").asText(), diagnostics.toString());
    JsonNode d = diagnostics.get(0);
    assertEquals("IST0101", d.get("code").asText());
    assertEquals("meshlint", d.get("source").asText());
    assertEquals("Referenced gateway not found: \"calcapps-dev-gatway\"", d.get("message").asText());
    assertEquals(1, d.get("severity").asInt(), "vim.diagnostic.severity.ERROR");
    assertEquals(List.of(9, 4, 9, 23), List.of(d.get("lnum").asInt(), d.get("col").asInt(),
        d.get("end_lnum").asInt(), d.get("end_col").asInt()));
    assertEquals(LspTest.IST0101_PAGE, d.get("href").asText());
    assertEquals(0, result.get("fixed").size());

    JsonNode msh1002 = result.get("external").get(0);
    assertEquals("MSH1002", msh1002.get("code").asText());
    Path page = Path.of(URI.create(msh1002.get("href").asText()));
    assertTrue(page.startsWith(cache) && Files.isRegularFile(page), "the rule's page, written under XDG_CACHE_HOME: " + page);
    assertEquals("quickfix", result.at("/actions/0/kind").asText());
    String applied = result.get("applied").asText();
    assertTrue(applied.contains("\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"), applied);
    assertEquals(0, result.get("exit_code").asInt(), "shutdown then exit");
  }

  /** {@code ./meshlint lsp} in a process of its own, initialized with the workspace. */
  LspSession launched() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "lsp");
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    return LspSession.start(pb, cache.resolve("stderr.log")).initialize(List.of(workspace), null);
  }

  @Test
  void theLauncherWritesNothingButFramesToStandardOutput() throws IOException {
    try (LspSession lsp = launched()) {
      lsp.notify("meshlint/unknownNotification", LspSession.JSON.createObjectNode());
      lsp.open(typo, LspTest.TYPO);
      assertEquals("IST0101", lsp.diagnostics(typo, p -> true).at("/diagnostics/0/code").asText());
      assertEquals(0, lsp.shutdownAndExit());
      lsp.assertOnlyFrames();
    }
  }

  @Test
  void exitWithoutShutdownEndsTheProcessWithStatusOne() throws IOException {
    try (LspSession lsp = launched()) {
      lsp.notify("exit", null);
      assertEquals(1, lsp.exitStatus());
      lsp.assertOnlyFrames();
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
        .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
  }
}
