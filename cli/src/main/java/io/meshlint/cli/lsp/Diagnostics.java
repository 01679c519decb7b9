package io.meshlint.cli.lsp;

import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticCodeDescription;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/** Lint's findings as the protocol's diagnostics. */
final class Diagnostics {
  static final String SOURCE = "meshlint";

  private Diagnostics() {}

  /** A published diagnostic and the finding it shows, for the quick fixes asked for later. */
  record Published(Finding finding, Diagnostic diagnostic) {}

  /** The diagnostics of one document's findings, in lint's order. */
  static List<Published> of(List<Finding> findings, Text text, Text.Encoding encoding, RuleLinks links,
      Path configFile) {
    List<Published> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Diagnostic d = new Diagnostic(range(f.location(), text, encoding), f.message());
      d.setSource(SOURCE);
      d.setCode(Either.forLeft(f.rule().code()));
      d.setSeverity(switch (f.severity()) {
        case ERROR -> DiagnosticSeverity.Error;
        case WARNING -> DiagnosticSeverity.Warning;
        case INFO -> DiagnosticSeverity.Information;
      });
      String href = links.href(f.rule(), configFile);
      if (href != null) {
        d.setCodeDescription(new DiagnosticCodeDescription(href));
      }
      out.add(new Published(f, d));
    }
    return out;
  }

  /**
   * From lint's line and column to the end of the field's value; where lint knows no end (a syntax
   * error), to the end of the line.
   */
  static Range range(Location at, Text text, Text.Encoding encoding) {
    Position start = text.fromLint(at.line(), at.column(), encoding);
    Position end = at.endLine() > 0 ? text.fromLint(at.endLine(), at.endColumn(), encoding) : null;
    if (end == null || end.getLine() < start.getLine()
        || (end.getLine() == start.getLine() && end.getCharacter() <= start.getCharacter())) {
      end = text.contentEnd(start.getLine(), encoding);
      if (end.getCharacter() < start.getCharacter()) {
        end = start;
      }
    }
    return new Range(start, end);
  }
}
