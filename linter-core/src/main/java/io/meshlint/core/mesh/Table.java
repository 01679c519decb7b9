package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A lookup of values by exact key. */
final class Table<V> extends Lookup<V> {
  /** Made on the first value: an overlay's lookups are mostly empty. */
  private Map<String, List<V>> entries = Map.of();

  Table(String name, Function<V, Resource> owner) {
    super(name, owner);
  }

  void add(String key, V value) {
    writable().computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  private Map<String, List<V>> writable() {
    if (!(entries instanceof HashMap)) {
      entries = new HashMap<>();
    }
    return entries;
  }

  /** Adds unless the value was the last one added under the key: one resource adds itself once per key. */
  void addOnce(String key, V value) {
    List<V> list = writable().computeIfAbsent(key, k -> new ArrayList<>());
    if (list.isEmpty() || list.get(list.size() - 1) != value) {
      list.add(value);
    }
  }

  List<V> get(String key) {
    List<V> own = entries.getOrDefault(key, List.of());
    if (base == null) {
      return own;
    }
    List<V> under = ((Table<V>) base).get(key);
    if (under.isEmpty()) {
      return own;
    }
    if (removed.isEmpty() && own.isEmpty()) {
      return under;
    }
    List<V> out = new ArrayList<>(under.size() + own.size());
    merge(under, own, out);
    return out;
  }

  /** The first value under the key, or null; what {@link #get} would list first, without listing the rest. */
  V first(String key) {
    List<V> own = entries.getOrDefault(key, List.of());
    if (base != null) {
      for (V v : ((Table<V>) base).get(key)) {
        if (!isRemoved(v)) {
          return v;
        }
        V replacement = replacementOf(v, own);
        if (replacement != null) {
          return replacement;
        }
      }
    }
    return own.isEmpty() ? null : own.get(0);
  }

  /** How many values the key has, counting removed ones in the base: cheap, for choosing among keys. */
  int count(String key) {
    List<V> own = entries.get(key);
    return (own == null ? 0 : own.size()) + (base == null ? 0 : ((Table<V>) base).count(key));
  }

  boolean isEmpty(String key) {
    return first(key) == null;
  }

  @Override
  void forEachKey(BiConsumer<String, String> action) {
    entries.keySet().forEach(k -> action.accept(keyOf(k), null));
  }
}
