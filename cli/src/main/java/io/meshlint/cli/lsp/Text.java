package io.meshlint.cli.lsp;

import java.util.Arrays;
import java.util.List;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PositionEncodingKind;

/**
 * A document's text with its lines, for converting between lint's positions (1-based lines,
 * columns counting code points) and the protocol's (0-based lines, characters counting the code
 * units of the encoding agreed with the client). Lines end at {@code \n}, {@code \r\n} or {@code \r},
 * as in both YAML and the protocol.
 */
final class Text {
  /** How the protocol counts characters in a line. */
  enum Encoding {
    UTF8(PositionEncodingKind.UTF8), UTF16(PositionEncodingKind.UTF16), UTF32(PositionEncodingKind.UTF32);

    final String kind;

    Encoding(String kind) {
      this.kind = kind;
    }

    /**
     * The first of the client's encodings that the server knows, in the client's order of
     * preference; UTF-16, which every client supports, when it offers none.
     */
    static Encoding choose(List<String> offered) {
      for (String kind : offered == null ? List.<String>of() : offered) {
        for (Encoding e : values()) {
          if (e.kind.equalsIgnoreCase(kind)) {
            return e;
          }
        }
      }
      return UTF16;
    }

    int units(int codePoint) {
      return switch (this) {
        case UTF8 -> codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        case UTF16 -> Character.charCount(codePoint);
        case UTF32 -> 1;
      };
    }
  }

  private final String text;
  /** Where each line starts; one more entry, the text's length, after the last line. */
  private final int[] starts;

  Text(String text) {
    this.text = text;
    int[] found = new int[16];
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (lines == found.length) {
          found = Arrays.copyOf(found, lines * 2);
        }
        found[lines++] = i + 1;
      }
    }
    starts = Arrays.copyOf(found, lines + 1);
    starts[lines] = text.length();
  }

  String text() {
    return text;
  }

  int lineCount() {
    return starts.length - 1;
  }

  /** Where a 0-based line's content starts. */
  int lineStart(int line) {
    return starts[Math.max(0, Math.min(line, lineCount() - 1))];
  }

  /** Where a 0-based line's content ends, before its line break. */
  int lineEnd(int line) {
    int l = Math.max(0, Math.min(line, lineCount() - 1));
    int end = starts[l + 1];
    if (l + 1 < lineCount()) {
      end--;
      if (end > starts[l] && text.charAt(end) == '\n' && text.charAt(end - 1) == '\r') {
        end--;
      }
    }
    return end;
  }

  /** The line's text without its line break. */
  String line(int line) {
    return text.substring(lineStart(line), lineEnd(line));
  }

  /** The protocol position of lint's 1-based line and code-point column (a column past the line's end is its end). */
  Position fromLint(int line, int column, Encoding encoding) {
    int l = Math.max(0, Math.min(line - 1, lineCount() - 1));
    int start = lineStart(l);
    int end = lineEnd(l);
    int units = 0;
    int i = start;
    for (int c = 1; c < column && i < end; c++) {
      int cp = text.codePointAt(i);
      units += encoding.units(cp);
      i += Character.charCount(cp);
    }
    return new Position(l, units);
  }

  /** The end of a 0-based line's content, without trailing blanks, as a protocol position. */
  Position contentEnd(int line, Encoding encoding) {
    int l = Math.max(0, Math.min(line, lineCount() - 1));
    int start = lineStart(l);
    int end = lineEnd(l);
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return new Position(l, units(start, end, encoding));
  }

  /** The end of the text as a protocol position. */
  Position end(Encoding encoding) {
    int last = lineCount() - 1;
    return new Position(last, units(lineStart(last), text.length(), encoding));
  }

  /**
   * The offset in the text of a protocol position; a line past the end is the end of the text, a
   * character past the end of its line the end of that line.
   */
  int offset(Position position, Encoding encoding) {
    if (position.getLine() >= lineCount()) {
      return text.length();
    }
    int l = Math.max(0, position.getLine());
    int end = lineEnd(l);
    int i = lineStart(l);
    int units = 0;
    while (i < end) {
      int cp = text.codePointAt(i);
      units += encoding.units(cp);
      if (units > position.getCharacter()) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  private int units(int from, int to, Encoding encoding) {
    if (encoding == Encoding.UTF16) {
      return to - from;
    }
    int units = 0;
    for (int i = from; i < to; ) {
      int cp = text.codePointAt(i);
      units += encoding.units(cp);
      i += Character.charCount(cp);
    }
    return units;
  }
}
