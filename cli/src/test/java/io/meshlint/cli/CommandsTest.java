package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.core.rules.BuiltinRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules and version commands. */
class CommandsTest {
  @Test
  void rulesJsonListsEveryRule() throws Exception {
    Cli.Result r = Cli.run("rules", "--output", "json");
    assertEquals(0, r.status());
    JsonNode rules = new ObjectMapper().readTree(r.out()).get("rules");
    Set<String> codes = new HashSet<>();
    for (JsonNode rule : rules) {
      for (String field : List.of("code", "name", "severity", "summary", "docs")) {
        assertTrue(rule.hasNonNull(field) && !rule.get(field).asText().isBlank(), field + " in " + rule);
      }
      assertTrue(List.of("error", "warning", "info").contains(rule.get("severity").asText()), rule.toString());
      assertTrue(rule.get("aliases").isArray(), rule.toString());
      codes.add(rule.get("code").asText());
      if (rule.get("code").asText().equals("IST0118")) {
        assertEquals("[\"KIA0601\",\"KIA0602\"]", rule.get("aliases").toString());
      }
    }
    Set<String> expected = new HashSet<>();
    BuiltinRules.catalogue().forEach(info -> expected.add(info.code()));
    assertEquals(expected, codes);
    assertTrue(codes.containsAll(List.of("IST0101", "MSH1001")), codes.toString());
  }

  @Test
  void rulesTextMentionsEachCode() {
    Cli.Result r = Cli.run("rules");
    assertEquals(0, r.status());
    BuiltinRules.catalogue().forEach(info -> assertTrue(r.out().contains(info.code()), info.code()));
  }

  @Test
  void versionPrintsNameAndVersion() {
    Cli.Result r = Cli.run("version");
    assertEquals(0, r.status());
    assertTrue(r.out().strip().matches("meshlint \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r.out());
    assertFalse(r.out().contains("${"), "version is filtered in: " + r.out());
  }

  @Test
  void explainShowsWhatTheRuleChecksAndAnExampleThatFires() {
    Cli.Result r = Cli.run("explain", "ist0101");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("# IST0101 ReferencedResourceNotFound"), r.out());
    assertTrue(r.out().contains("- calcapps-dev-gatway # expect: IST0101"), "a firing fixture is shown: " + r.out());
  }

  @Test
  void explainOfAnUnknownCodeIsUsageError() {
    Cli.Result r = Cli.run("explain", "IST9999").assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("unknown rule code IST9999"), r.err());
  }

  @Test
  void noCommandIsUsageError() {
    assertEquals(2, Cli.run().assertNoStackTrace().status());
  }
}
