package io.meshlint.core.rules.common;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Durations as Istio reads them: Go's {@code time.ParseDuration} form, a sequence of decimal numbers
 * each with a unit ({@code 2s}, {@code 100ms}, {@code 1.5s}, {@code 1h30m}), units {@code ns},
 * {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m} and {@code h}; {@code 0} alone needs no unit.
 */
public final class Durations {
  private Durations() {}

  private static final long MAX_NANOS = Long.MAX_VALUE;

  /** The duration in nanoseconds, or null when the text is not a duration. */
  public static Long parseNanos(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String s = text;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0L;
    }
    if (s.isEmpty()) {
      return null;
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        return null;
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long unit = unitNanos(s.substring(unitStart, i));
      if (unit < 0) {
        return null;
      }
      total = total.add(new BigDecimal(number.startsWith(".") ? "0" + number : number)
          .multiply(BigDecimal.valueOf(unit)));
      if (total.compareTo(BigDecimal.valueOf(MAX_NANOS)) > 0) {
        return null;
      }
    }
    long nanos = total.setScale(0, RoundingMode.DOWN).longValueExact();
    return negative ? -nanos : nanos;
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> -1L;
    };
  }

  /**
   * What Istio finds wrong with a duration field (at least 1ms, whole milliseconds), or null when
   * it is fine.
   */
  public static String problem(String text) {
    Long nanos = parseNanos(text);
    if (nanos == null) {
      return "invalid duration \"" + text + "\": expected a number with a unit, such as 2s, 100ms or 1.5s";
    }
    if (nanos < 1_000_000L) {
      return "duration \"" + text + "\" must be at least 1ms";
    }
    if (nanos % 1_000_000L != 0) {
      return "duration \"" + text + "\" must be whole milliseconds";
    }
    return null;
  }
}
