package io.meshlint.webhook;

import io.meshlint.core.rule.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of an admission response, within what Kubernetes passes on: the API server may cut a
 * warning longer than 256 characters and ignores warnings past 4096 characters in all (Kubernetes
 * documentation, "Dynamic Admission Control", response warnings; it asks for 120 characters where
 * possible).
 */
public final class Messages {
  private Messages() {}

  public static final int MAX_WARNING_CHARS = 256;
  public static final int MAX_WARNINGS_TOTAL_CHARS = 4096;
  /** Findings listed in a denial's status message; the rest are counted. */
  public static final int MAX_DENIALS_LISTED = 20;
  private static final int SUMMARY_RESERVE = 80;

  /** {@code [IST0101] VirtualService dev/vs: Referenced gateway not found: "gw"}. */
  public static String describe(Finding f) {
    String where = f.resource() == null ? f.location().file() : f.resource().toString();
    return "[" + f.rule().code() + "] " + where + ": " + f.message();
  }

  /** The warnings, each cut to the per-warning limit, dropped past the total, with a last line counting the dropped. */
  public static List<String> warnings(List<Finding> findings) {
    List<String> texts = new ArrayList<>();
    for (Finding f : findings) {
      texts.add(truncate(describe(f), MAX_WARNING_CHARS));
    }
    return cap(texts);
  }

  static List<String> cap(List<String> texts) {
    int total = texts.stream().mapToInt(String::length).sum();
    if (total <= MAX_WARNINGS_TOTAL_CHARS) {
      return texts;
    }
    List<String> out = new ArrayList<>();
    int used = 0;
    for (String t : texts) {
      if (used + t.length() > MAX_WARNINGS_TOTAL_CHARS - SUMMARY_RESERVE) {
        break;
      }
      out.add(t);
      used += t.length();
    }
    int left = texts.size() - out.size();
    out.add("meshlint: " + left + " more warning" + (left == 1 ? "" : "s")
        + " not shown (Kubernetes limits warnings to " + MAX_WARNINGS_TOTAL_CHARS + " characters)");
    return out;
  }

  /** The status message of a denial: every denying finding up to a limit, then how many more. */
  public static String denial(List<Finding> denied) {
    StringBuilder sb = new StringBuilder("meshlint denied the change: it introduces ").append(denied.size())
        .append(denied.size() == 1 ? " finding" : " findings").append(" enforced as deny: ");
    int shown = Math.min(denied.size(), MAX_DENIALS_LISTED);
    for (int i = 0; i < shown; i++) {
      sb.append(i == 0 ? "" : "; ").append(describe(denied.get(i)));
    }
    if (denied.size() > shown) {
      sb.append("; and ").append(denied.size() - shown).append(" more");
    }
    return sb.toString();
  }

  static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 3) + "...";
  }
}
