package io.meshlint.core.model;

import io.meshlint.core.source.FieldPath;

/** A field that does not fit the typed model: unknown, or of the wrong type. */
public record SchemaProblem(FieldPath path, String message) {}
