package io.meshlint.core.rules.common;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The other resources one finding names. A check over pairs (Gateways sharing a certificate,
 * policies selecting one workload) reports once per resource and names the others, at most
 * {@link #SHOWN} of them: with n resources sharing one thing the report then grows with n, not with
 * n², and each finding stays readable.
 */
public final class Others {
  public static final int SHOWN = 10;

  private final List<String> shown = new ArrayList<>();
  private int count;

  /** Adds one more name; callers add each other resource once. */
  public void add(String name) {
    if (shown.size() < SHOWN) {
      shown.add(name);
    }
    count++;
  }

  /** Adds one more, making its name only when it is shown: most of thousands are only counted. */
  public void add(Supplier<String> name) {
    if (shown.size() < SHOWN) {
      shown.add(name.get());
    }
    count++;
  }

  /** Counts {@code n} more whose names are not shown: an index counted them without listing them. */
  public void addUnnamed(int n) {
    count += n;
  }

  public int count() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** {@code a, b and 3 more}. */
  public String joined(String separator) {
    String names = String.join(separator, shown);
    return count > shown.size() ? names + " and " + (count - shown.size()) + " more" : names;
  }

  /** As Go's %v prints a list, which Istio's messages use: {@code [a b and 3 more]}. */
  public String goList() {
    return "[" + joined(" ") + "]";
  }
}
