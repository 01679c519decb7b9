package io.meshlint.core.source;

/**
 * A problem found while reading input, before any rule runs: a file that is not YAML, a document
 * that is not a Kubernetes object, input past a limit.
 */
public record InputProblem(String code, SourceFile file, Position position, String message, boolean reported) {}
