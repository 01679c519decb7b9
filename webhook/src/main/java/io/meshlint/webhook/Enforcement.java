package io.meshlint.webhook;

import java.util.Locale;

/** What a finding introduced by a change does to the admission request. */
public enum Enforcement {
  /** The request is refused. */
  DENY,
  /** The request is admitted; the finding is returned as a warning. */
  WARN,
  /** The finding is ignored. */
  OFF;

  /** As metrics and logs name it: one string, not one per finding counted. */
  private final String id = name().toLowerCase(Locale.ROOT);

  public static Enforcement parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "deny" -> DENY;
      case "warn", "warning" -> WARN;
      case "off" -> OFF;
      default -> throw new IllegalArgumentException("expected deny, warn or off, found \"" + s + "\"");
    };
  }

  public String id() {
    return id;
  }
}
