package io.meshlint.cli.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Severity;
import java.io.IOException;
import java.io.PrintStream;

/** The contract's JSON report: findings and a summary, nothing else on standard output. */
public final class JsonReporter implements Reporter {
  @Override
  public void write(Linter.Report report, Options options, PrintStream out) throws IOException {
    try (JsonGenerator json = Streamed.json(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("findings");
      Streamed.forEach(report.all(), f -> json.writeTree(finding(f)));
      json.writeEndArray();
      json.writeObjectFieldStart("summary");
      json.writeNumberField("files", report.files());
      json.writeNumberField("resources", report.resources());
      json.writeNumberField("errors", report.all().count(Severity.ERROR));
      json.writeNumberField("warnings", report.all().count(Severity.WARNING));
      json.writeNumberField("infos", report.all().count(Severity.INFO));
      json.writeNumberField("skipped", report.skipped().size());
      json.writeEndObject();
      json.writeEndObject();
    }
    out.println();
  }

  /** One finding as the contract's JSON report writes it; {@code meshlint trace} lists findings the same way. */
  public static ObjectNode finding(Finding f) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("code", f.rule().code());
    n.put("name", f.rule().name());
    n.put("severity", f.severity().id());
    n.put("message", f.message());
    if (f.resource() == null) {
      n.putNull("resource");
    } else {
      ObjectNode r = n.putObject("resource");
      r.put("apiVersion", f.apiVersion());
      r.put("kind", f.resource().kind());
      r.put("namespace", f.resource().namespace());
      r.put("name", f.resource().name());
    }
    ObjectNode at = n.putObject("location");
    at.put("file", f.location().file());
    at.put("line", f.location().line());
    at.put("column", f.location().column());
    if (f.location().helmSource() != null) {
      at.put("source", f.location().helmSource());
    }
    if (f.resource() != null && f.path().size() > 0) {
      n.put("field", f.path().toString());
    }
    n.put("docs", f.rule().docsUrl());
    if (f.suggestion() != null) {
      n.put("suggestion", f.suggestion());
    }
    return n;
  }
}
