package io.meshlint.core.rule;

/**
 * Where a finding points: the file as given on the command line, 1-based line and column, and for
 * helm template output the chart template the object came from.
 */
public record Location(String file, int line, int column, String helmSource) {}
