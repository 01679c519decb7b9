package io.meshlint.core.rule;

/**
 * Where a finding points: the file as given on the command line, 1-based line and column, and for
 * helm template output the chart template the object came from. {@code endLine} and {@code
 * endColumn} (exclusive) are where the field's value ends, for editors that mark the whole of it; 0
 * when unknown. Columns count code points.
 */
public record Location(String file, int line, int column, String helmSource, int endLine, int endColumn) {
  public Location(String file, int line, int column, String helmSource) {
    this(file, line, column, helmSource, 0, 0);
  }
}
