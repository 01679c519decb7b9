package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** SARIF 2.1.0 as code scanning dashboards read it. */
class SarifTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void findingsBecomeResults() throws Exception {
    JsonNode log = JSON.readTree(Cli.run("lint", "--output", "sarif", Cli.TYPO).out());
    assertEquals("2.1.0", log.get("version").asText());
    JsonNode run = log.at("/runs/0");
    assertEquals("meshlint", run.at("/tool/driver/name").asText());
    JsonNode rules = run.at("/tool/driver/rules");
    JsonNode result = null;
    for (JsonNode r : run.get("results")) {
      if (r.at("/message/text").asText().equals("Referenced gateway not found: \"calcapps-dev-gatway\"")) {
        result = r;
      }
    }
    assertTrue(result != null, run.toPrettyString());
    assertEquals("IST0101", result.get("ruleId").asText());
    assertEquals("IST0101", rules.get(result.get("ruleIndex").asInt()).get("id").asText());
    assertEquals("error", result.get("level").asText());
    JsonNode physical = result.at("/locations/0/physicalLocation");
    assertEquals(Cli.TYPO, physical.at("/artifactLocation/uri").asText());
    assertEquals(26, physical.at("/region/startLine").asInt());
    assertEquals(5, physical.at("/region/startColumn").asInt());
    for (JsonNode r : run.get("results")) {
      assertTrue(java.util.List.of("error", "warning", "note").contains(r.get("level").asText()), r.toString());
    }
  }

  @Test
  void helpUriIsAbsoluteAsTheSchemaRequires() throws Exception {
    JsonNode log = JSON.readTree(Cli.run("lint", "--output", "sarif", Cli.CLEAN).out());
    for (JsonNode rule : log.at("/runs/0/tool/driver/rules")) {
      if (rule.has("helpUri")) {
        assertTrue(java.net.URI.create(rule.get("helpUri").asText()).isAbsolute(), rule.toString());
      }
      assertTrue(rule.at("/help/text").asText().contains(" See "), "docs link kept in help: " + rule);
    }
  }

  @Test
  void cleanRunHasEmptyResults() throws Exception {
    JsonNode log = JSON.readTree(Cli.run("lint", "--output", "sarif", Cli.CLEAN).out());
    JsonNode results = log.at("/runs/0/results");
    assertTrue(results.isArray(), "results present: " + log);
    assertEquals(0, results.size());
  }
}
