package io.meshlint.core.source;

import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Maps field paths in one file to lines and columns. Positions are recorded only for files that
 * have findings, by reading them again when the first position is asked for, so that clean files
 * cost nothing extra; the caller drops the locator when done with the file.
 */
public final class Locator {
  private final YamlReader reader;
  private final SourceFile file;
  /** The documents (by index) whose positions may be asked for. */
  private final IntPredicate documents;
  private String text;
  private Map<Integer, Map<FieldPath, Span>> spans;
  private int[] lineStarts;

  public Locator(SourceFile file, YamlReader.Limits limits) {
    this(file, new YamlReader(limits), document -> true);
  }

  /**
   * A locator of the documents {@code documents} accepts (by index) only: the positions of the
   * others may be left unrecorded.
   */
  public Locator(SourceFile file, YamlReader.Limits limits, IntPredicate documents) {
    this(file, new YamlReader(limits), documents);
  }

  Locator(SourceFile file, YamlReader reader) {
    this(file, reader, document -> true);
  }

  private Locator(SourceFile file, YamlReader reader, IntPredicate documents) {
    this.file = file;
    this.reader = reader;
    this.documents = documents;
  }

  /** The position of {@code path}, or of its nearest existing ancestor when the field is absent. */
  public Position locate(int documentIndex, FieldPath path) {
    return span(documentIndex, path).start();
  }

  /**
   * The span of {@code path} (or of its nearest existing ancestor, as {@link #locate}): to the end of
   * its value, or for a mapping or list to the end of its first line. A field of no document spans
   * the first line.
   */
  public Span span(int documentIndex, FieldPath path) {
    if (!documents.test(documentIndex)) {
      throw new IllegalArgumentException("document " + documentIndex + " of " + file + " is not located");
    }
    if (spans == null) {
      text = file.readText();
      spans = reader.spans(text, documents);
    }
    Map<FieldPath, Span> document = spans.getOrDefault(documentIndex, Map.of());
    for (FieldPath p = path; ; p = p.parent()) {
      Span at = document.get(p);
      if (at != null) {
        return at.end() != null ? at : new Span(at.start(), lineEnd(at.start().line()));
      }
      if (p.size() == 0) {
        return new Span(Position.START, lineEnd(1));
      }
    }
  }

  /** Where the content of a 1-based line ends: before trailing blanks and the line break. */
  private Position lineEnd(int line) {
    if (lineStarts == null) {
      lineStarts = YamlReader.lineStarts(text);
    }
    if (line > lineStarts.length) {
      return new Position(line, 1);
    }
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] : text.length();
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return new Position(line, text.codePointCount(start, end) + 1);
  }
}
