package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The certificate options: files, or self-managed in a Secret. */
class MainOptionsTest {
  private static final Map<String, String> ENV = Map.of("POD_NAMESPACE", "meshlint");

  private static Main parse(String... args) {
    Main main = new Main();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void filesAsBefore() {
    Main.Tls tls = parse("--tls-cert=/c/tls.crt", "--tls-key=/c/tls.key").tls(Map.of());
    assertEquals(Path.of("/c/tls.crt"), tls.cert());
    assertEquals(Path.of("/c/tls.key"), tls.key());
    assertFalse(tls.selfManaged());
  }

  @Test
  void selfManagedNeedsNoFiles() {
    Main main = parse("--self-managed-certs=meshlint-tls", "--webhook-configuration=meshlint", "--service=meshlint-svc");
    Main.Tls tls = main.tls(ENV);
    assertTrue(tls.selfManaged());
    assertEquals("meshlint", tls.namespace());
    assertEquals(Path.of("/tmp/meshlint-tls/tls.crt"), tls.cert());
    assertEquals(Path.of("/tmp/meshlint-tls/tls.key"), tls.key());
    assertEquals("meshlint-tls", main.selfManagedSecret);
    assertEquals("meshlint", main.webhookConfiguration);
    assertEquals("meshlint-svc", main.service);
    assertEquals(60, main.selfManagedCheckMinutes);
  }

  @Test
  void badCombinationsAreRefused() {
    assertMessage("--tls-cert and --tls-key are required", () -> parse().tls(ENV));
    assertMessage("--tls-cert and --tls-key are required", () -> parse("--tls-cert=/c").tls(ENV));
    assertMessage("go with --self-managed-certs", () -> parse("--tls-cert=/c", "--tls-key=/k", "--service=s").tls(ENV));
    assertMessage("needs --webhook-configuration and --service", () -> parse("--self-managed-certs=s", "--service=svc").tls(ENV));
    assertMessage("leave out --tls-cert", () -> parse("--self-managed-certs=s", "--webhook-configuration=w", "--service=svc", "--tls-cert=/c").tls(ENV));
    assertMessage("POD_NAMESPACE", () -> parse("--self-managed-certs=s", "--webhook-configuration=w", "--service=svc").tls(Map.of()));
  }

  @Test
  void missingFilesExitWithStatusTwo() {
    assertEquals(2, new CommandLine(new Main()).execute("--port=0"));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    ConfigException e = assertThrows(ConfigException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
