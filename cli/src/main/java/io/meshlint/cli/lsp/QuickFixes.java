package io.meshlint.cli.lsp;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Quick fixes from findings that carry a suggestion which is itself a manifest (the ServiceEntry an
 * external host needs): the fix adds it as a new document right after the document of the finding.
 * Suggestions in words (move this annotation...) are left to the reader: there is nothing to insert.
 */
final class QuickFixes {
  /** A line that ends a YAML document: a separator or an end marker, at the start of the line. */
  private static final Pattern DOCUMENT_END = Pattern.compile("^(---|\\.\\.\\.)(\\s.*)?$");
  private static final YamlReader READER = new YamlReader(YamlReader.Limits.DEFAULT);

  private QuickFixes() {}

  /**
   * The fixes for the published diagnostics the client asks about: those in {@code range}, or
   * among {@code asked} (the diagnostics the client sends along, matched by code and range).
   */
  static List<Either<Command, CodeAction>> of(OpenDocument doc, Range range, List<Diagnostic> asked,
      Text.Encoding encoding) {
    List<Either<Command, CodeAction>> out = new ArrayList<>();
    if (doc.path != null && doc.path.toString().endsWith(".json")) {
      return out; // a JSON file holds one object: a second document would break it for kubectl
    }
    for (Diagnostics.Published p : doc.findings) {
      String suggestion = p.finding().suggestion();
      JsonNode manifest = suggestion == null ? null : manifest(suggestion);
      if (manifest == null || !(overlaps(p.diagnostic().getRange(), range) || isAmong(p.diagnostic(), asked))) {
        continue;
      }
      CodeAction action = new CodeAction("Add " + describe(manifest) + " after this document");
      action.setKind(CodeActionKind.QuickFix);
      action.setDiagnostics(List.of(p.diagnostic()));
      action.setIsPreferred(true);
      TextEdit edit = appendAfterDocument(doc.text(), p.diagnostic().getRange().getStart().getLine(), suggestion, encoding);
      action.setEdit(new WorkspaceEdit(Map.of(doc.uri, List.of(edit))));
      out.add(Either.forRight(action));
    }
    return out;
  }

  /** Inserts {@code suggestion} as a new document after the document holding {@code line}. */
  static TextEdit appendAfterDocument(Text text, int line, String suggestion, Text.Encoding encoding) {
    String document = "---\n" + (suggestion.endsWith("\n") ? suggestion : suggestion + "\n");
    for (int l = line + 1; l < text.lineCount(); l++) {
      if (DOCUMENT_END.matcher(text.line(l)).matches()) {
        Position at = new Position(l, 0);
        return new TextEdit(new Range(at, at), document);
      }
    }
    Position end = text.end(encoding);
    String before = end.getCharacter() == 0 ? "" : "\n";
    return new TextEdit(new Range(end, end), before + document);
  }

  /** The suggestion as a Kubernetes object, or null when it is not one. */
  private static JsonNode manifest(String suggestion) {
    YamlReader.Parsed parsed = READER.parse(suggestion);
    if (!parsed.problems().isEmpty() || parsed.documents().size() != 1) {
      return null;
    }
    JsonNode root = parsed.documents().get(0);
    return root.isObject() && root.path("apiVersion").isTextual() && root.path("kind").isTextual() ? root : null;
  }

  private static String describe(JsonNode manifest) {
    JsonNode metadata = manifest.path("metadata");
    String name = metadata.path("name").asText("");
    String namespace = metadata.path("namespace").asText("");
    return manifest.path("kind").asText() + (name.isEmpty() ? "" : " " + (namespace.isEmpty() ? "" : namespace + "/") + name);
  }

  private static boolean overlaps(Range a, Range b) {
    return !(before(a.getEnd(), b.getStart()) || before(b.getEnd(), a.getStart()));
  }

  private static boolean before(Position a, Position b) {
    return a.getLine() < b.getLine() || (a.getLine() == b.getLine() && a.getCharacter() < b.getCharacter());
  }

  private static boolean isAmong(Diagnostic d, List<Diagnostic> asked) {
    for (Diagnostic a : asked) {
      if (d.getRange().equals(a.getRange()) && d.getCode() != null && d.getCode().equals(a.getCode())) {
        return true;
      }
    }
    return false;
  }
}
