package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SARIF 2.1.0 as code scanning dashboards read it. */
class SarifTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The published SARIF 2.1.0 schema; see src/test/resources/README.md for where it comes from. */
  private static JsonSchema schema() throws Exception {
    try (InputStream in = SarifTest.class.getResourceAsStream("/sarif-2.1.0-rtm.5.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(JSON.readTree(in));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {Cli.TYPO, Cli.CLEAN, "../examples"})
  void outputValidatesAgainstThePublishedSchema(String input) throws Exception {
    JsonNode log = JSON.readTree(Cli.run("lint", "--output", "sarif", input).out());
    Set<ValidationMessage> errors = schema().validate(log);
    assertEquals(Set.of(), errors, "SARIF schema violations");
  }

  @Test
  void theSchemaCheckCatchesAnInvalidLog() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode log =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Cli.run("lint", "--output", "sarif", Cli.TYPO).out());
    ((com.fasterxml.jackson.databind.node.ObjectNode) log.at("/runs/0/results/0")).put("level", "fatal");
    assertTrue(!schema().validate(log).isEmpty(), "a level outside the schema's enum must be rejected");
  }

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
