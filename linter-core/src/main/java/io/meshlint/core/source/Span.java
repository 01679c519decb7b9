package io.meshlint.core.source;

/**
 * Where a field is in a source file: from its start (the key, for a field of a mapping) to the end
 * of its value, exclusive, both 1-based. The reader leaves {@code end} null for a mapping or list
 * value; {@link Locator} ends those with their first line.
 */
public record Span(Position start, Position end) {}
