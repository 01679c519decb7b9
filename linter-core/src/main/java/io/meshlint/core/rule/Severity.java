package io.meshlint.core.rule;

import java.util.Locale;

/** Finding levels, ordered from most to least severe, named as {@code istioctl analyze} names them. */
public enum Severity {
  ERROR("Error"), WARNING("Warning"), INFO("Info");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  /** "Error", "Warning" or "Info", as in istioctl's text output. */
  public String label() {
    return label;
  }

  /** "error", "warning" or "info", as in the JSON report. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }

  public static Severity parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "error" -> ERROR;
      case "warning", "warn" -> WARNING;
      case "info" -> INFO;
      default -> throw new IllegalArgumentException("unknown severity \"" + s + "\": expected error, warning or info");
    };
  }
}
