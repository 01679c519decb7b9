package io.meshlint.cli.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.cli.Main;
import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.BuiltinRules;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SARIF 2.1.0, for code scanning dashboards: every rule's metadata, and one result per finding. */
final class SarifReporter implements Reporter {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  @Override
  public void write(Linter.Report report, Options options, PrintStream out) throws IOException {
    ObjectNode tool = JsonNodeFactory.instance.objectNode();
    ObjectNode driver = tool.putObject("driver");
    driver.put("name", "meshlint");
    driver.put("version", Main.version());
    driver.put("informationUri", "https://istio.io/latest/docs/reference/config/analysis/");
    ArrayNode rules = driver.putArray("rules");
    List<RuleInfo> catalogue = BuiltinRules.catalogue();
    Map<String, Integer> ruleIndex = new HashMap<>();
    for (RuleInfo info : catalogue) {
      ruleIndex.put(info.code(), rules.size());
      ObjectNode r = rules.addObject();
      r.put("id", info.code());
      r.put("name", info.name());
      r.putObject("shortDescription").put("text", info.summary());
      r.putObject("fullDescription").put("text", info.description().strip());
      if (java.net.URI.create(info.docsUrl()).isAbsolute()) {
        r.put("helpUri", info.docsUrl()); // the schema's format "uri": absolute only; repository paths stay in help.text
      }
      r.putObject("help").put("text", info.summary() + " See " + info.docsUrl());
      ObjectNode config = r.putObject("defaultConfiguration");
      config.put("level", level(info.severity()));
      config.put("enabled", info.enabledByDefault());
      if (!info.aliases().isEmpty()) {
        info.aliases().forEach(r.putObject("properties").putArray("aliases")::add);
      }
    }
    try (JsonGenerator json = Streamed.json(out)) {
      json.writeStartObject();
      json.writeStringField("$schema", SCHEMA);
      json.writeStringField("version", "2.1.0");
      json.writeArrayFieldStart("runs");
      json.writeStartObject();
      json.writeObjectField("tool", tool);
      json.writeArrayFieldStart("results");
      Streamed.forEach(report.all(), f -> json.writeTree(result(f, ruleIndex)));
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    }
    out.println();
  }

  private static ObjectNode result(Finding f, Map<String, Integer> ruleIndex) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("ruleId", f.rule().code());
    result.put("ruleIndex", ruleIndex.get(f.rule().code()));
    result.put("level", level(f.severity()));
    result.putObject("message").put("text", f.message());
    ObjectNode location = result.putArray("locations").addObject();
    ObjectNode physical = location.putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", f.location().file());
    ObjectNode region = physical.putObject("region");
    region.put("startLine", f.location().line());
    region.put("startColumn", f.location().column());
    if (f.resource() != null) {
      ObjectNode logical = location.putArray("logicalLocations").addObject();
      logical.put("fullyQualifiedName", f.resource().kind() + "/"
          + (f.resource().namespace() == null ? "" : f.resource().namespace() + "/") + f.resource().name());
      logical.put("kind", "resource");
    }
    ObjectNode properties = result.putObject("properties");
    if (f.resource() != null && f.path().size() > 0) {
      properties.put("field", f.path().toString());
    }
    if (f.suggestion() != null) {
      properties.put("suggestion", f.suggestion());
    }
    if (f.location().helmSource() != null) {
      properties.put("helmSource", f.location().helmSource());
    }
    return result;
  }

  static String level(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }
}
