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
  /** Wildcards by their suffix after the {@code *} ("" for {@code *}). */
  private final Map<String, List<T>> wildcard = new HashMap<>();
  /** Every host added and its value, in order: what {@link #bySuffix} is made of. */
  private final List<String> hostsAdded = new ArrayList<>();
  private final List<T> valuesAdded = new ArrayList<>();
  /**
   * The values by the suffixes of their hosts, made on the first question about a wildcard: most
   * indexes are never asked one (an admission request's own objects, the readers of most keys), and
   * cutting every host added into its suffixes cost more than the rest of adding it.
   */
  private volatile Suffixes<T> bySuffix;

  /**
   * @param exact exact hosts under each of their suffixes ({@code .b.c} and {@code .c} for {@code a.b.c})
   * @param wildcard wildcards under every suffix of their own suffix ({@code *.b.c} under {@code .b.c} and {@code .c})
   */
  private record Suffixes<T>(Map<String, List<T>> exact, Map<String, List<T>> wildcard) {}

  public void add(String host, T value) {
    if (Hosts.isWildcard(host)) {
      wildcard.computeIfAbsent(host.substring(1), k -> new ArrayList<>()).add(value);
    } else {
      exact.computeIfAbsent(host, k -> new ArrayList<>()).add(value);
    }
    hostsAdded.add(host);
    valuesAdded.add(value);
    bySuffix = null;
  }

  /** Made from the hosts in the order added, so that each list is in the order its values were added. */
  private Suffixes<T> suffixIndex() {
    Suffixes<T> made = bySuffix;
    if (made == null) {
      // Made again by a thread that finds it missing too: the same maps, from what is never changed once asked.
      made = new Suffixes<>(new HashMap<>(), new HashMap<>());
      for (int i = 0; i < hostsAdded.size(); i++) {
        String host = hostsAdded.get(i);
        boolean isWildcard = Hosts.isWildcard(host);
        Map<String, List<T>> into = isWildcard ? made.wildcard() : made.exact();
        for (String s : suffixes(isWildcard ? host.substring(1) : host, isWildcard)) {
          into.computeIfAbsent(s, k -> new ArrayList<>()).add(valuesAdded.get(i));
        }
      }
      bySuffix = made;
    }
    return made;
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
      Suffixes<T> index = suffixIndex();
      addAll(out, index.exact().get(suffix));
      addAll(out, index.wildcard().get(suffix));
      for (String s : suffixes(suffix, false)) {
        addAll(out, wildcard.get(s));
      }
    } else {
      addAll(out, exact.get(host));
      // Most hosts indexed are exact: then no suffix of the host is worth cutting out.
      if (!wildcard.isEmpty()) {
        for (String s : suffixes(host, false)) {
          addAll(out, wildcard.get(s));
        }
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
