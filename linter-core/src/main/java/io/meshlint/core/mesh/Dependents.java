package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /** Adds to {@code out} the resources that read a key of {@code changed}'s own lookups. */
  public void collect(MeshIndex changed, Set<Resource> out) {
    changed.forEachKey((key, host) -> {
      if (host == null) {
        collect(key, out);
      } else {
        HostIndex<Resource> readers = byHost.get(key);
        if (readers != null) {
          out.addAll(readers.intersecting(host));
        }
      }
    });
  }

  /** Adds to {@code out} the resources that read {@code key}. */
  public void collect(String key, Set<Resource> out) {
    List<Resource> readers = byKey.get(key);
    if (readers != null) {
      out.addAll(readers);
    }
  }
}
