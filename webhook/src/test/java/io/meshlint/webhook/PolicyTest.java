package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {
  @TempDir
  Path dir;

  @Test
  void defaultsDenySchemaErrorsAndDanglingReferences() {
    Policy p = Policy.defaults("meshlint");
    assertEquals(Enforcement.DENY, p.of("IST0101"));
    assertEquals(Enforcement.DENY, p.of("IST0106"));
    assertEquals(Enforcement.WARN, p.of("IST0132"));
    assertEquals(Set.of("kube-system", "meshlint"), p.excludedNamespaces());
  }

  @Test
  void readsEnforcementDryRunAndExclusions() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        rules: {IST0102: off}
        enforcement: {IST0132: deny, IST0101: warn, MSH1001: off}
        excludedNamespaces: [ops]
        """);
    WebhookConfig c = WebhookConfig.read(file, "meshlint");
    assertEquals(Enforcement.DENY, c.policy().of("IST0132"));
    assertEquals(Enforcement.WARN, c.policy().of("IST0101"));
    assertEquals(Enforcement.OFF, c.policy().of("MSH1001"));
    assertEquals(Set.of("ops"), c.policy().excludedNamespaces());
    assertTrue(c.project().rules().containsKey("IST0102"));

    Files.writeString(file, "dryRun: true\n");
    assertEquals(Enforcement.WARN, WebhookConfig.read(file, null).policy().of("IST0101"));
  }

  @Test
  void badValuesAreConfigurationErrors() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "enforcement: {IST0101: block}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> WebhookConfig.read(file, null));
    assertTrue(e.getMessage().contains("IST0101"), e.getMessage());
    Files.writeString(file, "enforcement: {NOPE1: deny}\n");
    assertThrows(ConfigException.class, () -> WebhookConfig.read(file, null));
  }
}
