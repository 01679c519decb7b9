package io.meshlint.cli.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Findings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** What the report formats share to write findings as they are located, never the whole report at once. */
final class Streamed {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Streamed() {}

  /** A finding written to the report. */
  interface Writer {
    void write(Finding f) throws IOException;
  }

  /** Writes each finding in report order. */
  static void forEach(Findings findings, Writer writer) throws IOException {
    try {
      findings.forEach(f -> {
        try {
          writer.write(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Pretty-printed JSON onto {@code out}, as Jackson's default pretty printer writes it; closing it leaves {@code out} open. */
  static JsonGenerator json(OutputStream out) throws IOException {
    JsonGenerator json = JSON.getFactory().createGenerator(out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.useDefaultPrettyPrinter();
    return json;
  }
}
