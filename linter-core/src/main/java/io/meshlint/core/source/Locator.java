package io.meshlint.core.source;

import java.util.Map;

/**
 * Maps field paths in one file to lines and columns. Positions are recorded only for files that
 * have findings, by reading them again when the first position is asked for, so that clean files
 * cost nothing extra; the caller drops the locator when done with the file.
 */
public final class Locator {
  private final YamlReader reader;
  private final SourceFile file;
  private Map<Integer, Map<FieldPath, Position>> positions;

  public Locator(SourceFile file, YamlReader.Limits limits) {
    this(file, new YamlReader(limits));
  }

  Locator(SourceFile file, YamlReader reader) {
    this.file = file;
    this.reader = reader;
  }

  /** The position of {@code path}, or of its nearest existing ancestor when the field is absent. */
  public Position locate(int documentIndex, FieldPath path) {
    if (positions == null) {
      positions = reader.positions(file.readText());
    }
    Map<FieldPath, Position> document = positions.getOrDefault(documentIndex, Map.of());
    for (FieldPath p = path; ; p = p.parent()) {
      Position at = document.get(p);
      if (at != null) {
        return at;
      }
      if (p.size() == 0) {
        return Position.START;
      }
    }
  }
}
