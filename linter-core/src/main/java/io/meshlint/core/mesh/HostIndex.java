package io.meshlint.core.mesh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values keyed by host names that may be wildcards, answering "which values' hosts intersect this
 * host" (as {@link Hosts#intersect}) by hash lookups on the host's suffixes instead of comparing
 * it with every host: the cost of a query is the number of labels in the host plus the answer.
 */
public final class HostIndex<T> {
  private final Map<String, List<T>> exact = new HashMap<>();
  /** Exact hosts under each of their suffixes ({@code .b.c} and {@code .c} for {@code a.b.c}). */
  private final Map<String, List<T>> exactBySuffix = new HashMap<>();
  /** Wildcards by their suffix after the {@code *} ("" for {@code *}). */
  private final Map<String, List<T>> wildcard = new HashMap<>();
  /** Wildcards under every suffix of their own suffix ({@code *.b.c} under {@code .b.c} and {@code .c}). */
  private final Map<String, List<T>> wildcardBySuffix = new HashMap<>();

  public void add(String host, T value) {
    if (Hosts.isWildcard(host)) {
      String suffix = host.substring(1);
      wildcard.computeIfAbsent(suffix, k -> new ArrayList<>()).add(value);
      for (String s : suffixes(suffix, true)) {
        wildcardBySuffix.computeIfAbsent(s, k -> new ArrayList<>()).add(value);
      }
    } else {
      exact.computeIfAbsent(host, k -> new ArrayList<>()).add(value);
      for (String s : suffixes(host, false)) {
        exactBySuffix.computeIfAbsent(s, k -> new ArrayList<>()).add(value);
      }
    }
  }

  /** Each host with each of its values, wildcards written with their {@code *}. */
  public void forEach(java.util.function.BiConsumer<String, T> action) {
    exact.forEach((host, values) -> values.forEach(v -> action.accept(host, v)));
    wildcard.forEach((suffix, values) -> values.forEach(v -> action.accept("*" + suffix, v)));
  }

  /** Every value whose host intersects {@code host}, each once, in insertion order per bucket. */
  public Set<T> intersecting(String host) {
    Set<T> out = new LinkedHashSet<>();
    if (Hosts.isWildcard(host)) {
      String suffix = host.substring(1);
      if (suffix.isEmpty()) {
        exact.values().forEach(out::addAll);
        wildcard.values().forEach(out::addAll);
        return out;
      }
      addAll(out, exactBySuffix.get(suffix));
      addAll(out, wildcardBySuffix.get(suffix));
      for (String s : suffixes(suffix, false)) {
        addAll(out, wildcard.get(s));
      }
    } else {
      addAll(out, exact.get(host));
      for (String s : suffixes(host, false)) {
        addAll(out, wildcard.get(s));
      }
    }
    addAll(out, wildcard.get(""));
    return out;
  }

  private static <T> void addAll(Set<T> out, List<T> values) {
    if (values != null) {
      out.addAll(values);
    }
  }

  /** The suffixes of {@code host} that start at a dot: {@code .b.c} and {@code .c} for {@code a.b.c}. */
  private static List<String> suffixes(String host, boolean includeSelf) {
    List<String> out = new ArrayList<>();
    if (includeSelf) {
      out.add(host);
    }
    for (int dot = host.indexOf('.', 1); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      out.add(host.substring(dot));
    }
    return out;
  }
}
