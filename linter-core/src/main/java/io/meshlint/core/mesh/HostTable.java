package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A lookup of values by exact key and then by host, answering which values' hosts intersect a host. */
final class HostTable<V> extends Lookup<V> {
  private final Map<String, HostIndex<V>> entries = new HashMap<>();

  HostTable(String name, Function<V, Resource> owner) {
    super(name, owner);
  }

  void add(String key, String host, V value) {
    entries.computeIfAbsent(key, k -> new HostIndex<>()).add(host, value);
  }

  Set<V> intersecting(String key, String host) {
    HostIndex<V> own = entries.get(key);
    if (base == null) {
      return own == null ? Set.of() : own.intersecting(host);
    }
    Set<V> under = ((HostTable<V>) base).intersecting(key, host);
    Set<V> added = own == null ? Set.of() : own.intersecting(host);
    if (added.isEmpty() && noneRemoved(under)) {
      return under;
    }
    Set<V> out = new LinkedHashSet<>();
    merge(under, added, out);
    return out;
  }

  @Override
  void forEachKey(BiConsumer<String, String> action) {
    entries.forEach((key, hosts) -> hosts.forEach((host, value) -> action.accept(keyOf(key), host)));
  }
}
