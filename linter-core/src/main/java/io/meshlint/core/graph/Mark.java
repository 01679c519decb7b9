package io.meshlint.core.graph;

import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Severity;

/** A finding drawn on a node or an edge: its code, severity, message and the field it points at. */
public record Mark(String code, Severity severity, String message, String path) {
  public static Mark of(Finding f) {
    return new Mark(f.rule().code(), f.severity(), f.message(), f.path() == null ? "" : f.path().toString());
  }

  /** {@code IST0101: message}, as a tooltip or legend shows it. */
  public String text() {
    return code + " (" + severity.name().toLowerCase(java.util.Locale.ROOT) + "): " + message;
  }
}
