package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

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
    if (own.isEmpty() && noneRemoved(under)) {
      // Most keys an overlay is asked for are untouched by its change: no copy.
      return under;
    }
    List<V> out = new ArrayList<>(under.size() + own.size());
    merge(under, own, out);
    return out;
  }

  /**
   * Visits the values under the key in {@link #get}'s order until {@code visitor} returns false: the
   * first few of a long list without copying it.
   */
  void walk(String key, Predicate<V> visitor) {
    List<V> own = entries.getOrDefault(key, List.of());
    if (base == null) {
      for (V v : own) {
        if (!visitor.test(v)) {
          return;
        }
      }
      return;
    }
    walk(((Table<V>) base).get(key), own, visitor);
  }

  /** The values under one key counted by the resource they belong to, and by its kind, namespace and name. */
  private record Census(Map<Resource, Integer> byOwner, Map<ResourceKey, Integer> byKey) {}

  /**
   * Made on first need, per key: an index is read by rules in parallel and by concurrent requests.
   * The map itself too: an overlay, made for each request, never counts its own values this way.
   */
  private volatile Map<String, Census> censuses;

  private Census census(String key) {
    Map<String, Census> made = censuses;
    if (made == null) {
      synchronized (this) {
        made = censuses;
        if (made == null) {
          made = new ConcurrentHashMap<>();
          censuses = made;
        }
      }
    }
    return made.computeIfAbsent(key, k -> {
      Map<Resource, Integer> byOwner = new IdentityHashMap<>();
      Map<ResourceKey, Integer> byKey = new HashMap<>();
      for (V v : entries.getOrDefault(k, List.of())) {
        Resource r = ownerOf(v);
        byOwner.merge(r, 1, Integer::sum);
        byKey.merge(r.key(), 1, Integer::sum);
      }
      return new Census(byOwner, byKey);
    });
  }

  /**
   * How many distinct resources (by kind, namespace and name) the values under the key belong to,
   * leaving out {@code except}. An overlay corrects its base's count (made once per key) by the
   * resources it removes and adds: counting costs the size of the change, not of the answer.
   */
  int distinctOwners(String key, ResourceKey except) {
    Census under = base == null ? census(key) : ((Table<V>) base).census(key);
    Map<ResourceKey, Integer> change = new HashMap<>();
    if (base != null) {
      for (Resource r : removed) {
        Integer n = under.byOwner().get(r);
        if (n != null) {
          change.merge(r.key(), -n, Integer::sum);
        }
      }
      for (V v : entries.getOrDefault(key, List.of())) {
        change.merge(ownerOf(v).key(), 1, Integer::sum);
      }
    }
    int count = under.byKey().size();
    for (Map.Entry<ResourceKey, Integer> e : change.entrySet()) {
      int before = under.byKey().getOrDefault(e.getKey(), 0);
      count += (before + e.getValue() > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
    }
    boolean hasExcept = under.byKey().getOrDefault(except, 0) + change.getOrDefault(except, 0) > 0;
    return count - (hasExcept ? 1 : 0);
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
    // Most of an overlay's lookups are empty: no key set, no iterator.
    if (!entries.isEmpty()) {
      entries.keySet().forEach(k -> action.accept(keyOf(k), null));
    }
  }
}
