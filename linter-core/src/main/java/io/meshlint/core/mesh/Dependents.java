package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Which resources read which keys of an index while the rules checked them ({@link MeshView.ReadLog}):
 * the reverse of every lookup, so that a change finds the checks it can alter with lookups on the
 * keys it touches rather than by checking the mesh again. A check that made the same reads on the
 * state after a change gets the same answers, so it finds the same; only checks that read a
 * touched key can find anything else.
 */
public final class Dependents {
  private final Map<String, List<Resource>> byKey = new HashMap<>();
  /** Reads of host-keyed lookups, by the host asked for: a change touches those whose host intersects its own. */
  private final Map<String, HostIndex<Resource>> byHost = new HashMap<>();

  /** A log for one check of {@code subject}; not thread-safe, like the instance it writes to. */
  public MeshView.ReadLog logFor(Resource subject) {
    Set<String> seen = new HashSet<>();
    return (key, host) -> {
      if (host == null) {
        if (seen.add(key)) {
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(subject);
        }
      } else if (seen.add(key + '\n' + host)) {
        byHost.computeIfAbsent(key, k -> new HostIndex<>()).add(host, subject);
      }
    };
  }

  /** A key of an index's lookups; {@code host} is null for lookups not keyed by host. */
  public record Key(String key, String host) {}

  /** The keys of {@code changed}'s own lookups: what a change touches, for {@link #collect(List, Set)}. */
  public static List<Key> keysOf(MeshIndex changed) {
    List<Key> keys = new ArrayList<>();
    changed.forEachKey((key, host) -> keys.add(new Key(key, host)));
    return keys;
  }

  /** Adds to {@code out} the resources that read one of {@code touched}. */
  public void collect(List<Key> touched, Set<Resource> out) {
    for (Key k : touched) {
      if (k.host() == null) {
        collect(k.key(), out);
      } else {
        HostIndex<Resource> readers = byHost.get(k.key());
        if (readers != null) {
          out.addAll(readers.intersecting(k.host()));
        }
      }
    }
  }

  /**
   * Every key read with the resources that read it: {@code keyed} for lookups by key alone,
   * {@code hostKeyed} for host-keyed ones, with their readers by the host asked for.
   */
  public void forEachRead(BiConsumer<String, List<Resource>> keyed, BiConsumer<String, HostIndex<Resource>> hostKeyed) {
    byKey.forEach(keyed);
    byHost.forEach(hostKeyed);
  }

  /** A copy holding only the reads of the subjects {@code keep} accepts, to be read, not logged to. */
  public Dependents filtered(Predicate<Resource> keep) {
    Dependents out = new Dependents();
    byKey.forEach((key, readers) -> {
      List<Resource> kept = readers.stream().filter(keep).toList();
      if (!kept.isEmpty()) {
        out.byKey.put(key, kept);
      }
    });
    byHost.forEach((key, readers) -> readers.forEach((host, reader) -> {
      if (keep.test(reader)) {
        out.byHost.computeIfAbsent(key, k -> new HostIndex<>()).add(host, reader);
      }
    }));
    return out;
  }

  /** Adds to {@code out} the resources that read {@code key}. */
  public void collect(String key, Set<Resource> out) {
    List<Resource> readers = byKey.get(key);
    if (readers != null) {
      out.addAll(readers);
    }
  }
}
