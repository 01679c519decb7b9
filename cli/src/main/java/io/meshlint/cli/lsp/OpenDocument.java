package io.meshlint.cli.lsp;

import io.meshlint.core.Linter;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * A document the editor has open: its text as the editor has it (saved or not), what that text
 * parsed to, and what was last published for it. Touched only on the server's worker thread.
 */
final class OpenDocument {
  final String uri;
  /** The file it is, or null for a document that is not a file. */
  final Path path;
  private Text text;
  private int version;
  /** The parse of the current version, made when a lint needs it. */
  private Loader.Result parsed;
  private String parsedAs;

  /** What was last published: its version and diagnostics, and the findings behind them. */
  int publishedVersion = -1;
  List<Diagnostic> published = List.of();
  List<Diagnostics.Published> findings = List.of();

  OpenDocument(String uri, Path path, String text, int version) {
    this.uri = uri;
    this.path = path;
    this.text = new Text(text);
    this.version = version;
  }

  Text text() {
    return text;
  }

  int version() {
    return version;
  }

  /** Applies the editor's changes in order: whole-text replacements and range edits. */
  void change(List<TextDocumentContentChangeEvent> changes, int newVersion, Text.Encoding encoding) {
    for (TextDocumentContentChangeEvent change : changes) {
      if (change.getRange() == null) {
        text = new Text(change.getText());
      } else {
        int from = text.offset(change.getRange().getStart(), encoding);
        int to = Math.max(from, text.offset(change.getRange().getEnd(), encoding));
        String old = text.text();
        text = new Text(old.substring(0, from) + change.getText() + old.substring(to));
      }
    }
    version = newVersion;
    parsed = null;
  }

  /**
   * The current text read as a reported file named {@code displayName}: parsed again only when the
   * text or the name changed since the last lint.
   */
  Loader.Result parse(Linter linter, String displayName) {
    if (parsed == null || !displayName.equals(parsedAs)) {
      parsed = linter.load(List.of(SourceFile.ofText(displayName, text.text())), true);
      parsedAs = displayName;
    }
    return parsed;
  }
}
