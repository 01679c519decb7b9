package io.meshlint.core.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a field path in a document to its line and column. Positions are recorded only for files
 * that have findings, by reading them again, so that clean files cost nothing extra.
 */
public final class Locator {
  private final YamlReader reader;
  private final Map<SourceFile, Map<Integer, Map<FieldPath, Position>>> cache = new ConcurrentHashMap<>();

  public Locator(YamlReader.Limits limits) {
    this(new YamlReader(limits));
  }

  Locator(YamlReader reader) {
    this.reader = reader;
  }

  /** The position of {@code path}, or of its nearest existing ancestor when the field is absent. */
  public Position locate(SourceFile file, int documentIndex, FieldPath path) {
    Map<FieldPath, Position> positions = cache.computeIfAbsent(file, f -> reader.positions(f.readText()))
        .getOrDefault(documentIndex, Map.of());
    for (FieldPath p = path; ; p = p.parent()) {
      Position at = positions.get(p);
      if (at != null) {
        return at;
      }
      if (p.size() == 0) {
        return Position.START;
      }
    }
  }
}
