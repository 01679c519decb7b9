package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One lookup of a {@link MeshIndex}, named so that a rule's reads of it can be written down as
 * {@code name|key} keys (see {@link Dependents}). A lookup of an overlay index sits on the same
 * lookup of its base: it answers with the base's values, less those of removed resources, plus its
 * own, so that the state after a change is read without copying the state before it.
 */
abstract sealed class Lookup<V> permits Table, HostTable {
  final String name;
  private final Function<V, Resource> owner;
  Lookup<V> base;
  Set<Resource> removed = Set.of();
  /** Removed resources that an added one of the same kind, namespace and name replaces, to that one. */
  Map<Resource, Resource> replacements = Map.of();

  Lookup(String name, Function<V, Resource> owner) {
    this.name = name;
    this.owner = owner;
  }

  /** The resource a value belongs to. */
  Resource ownerOf(V value) {
    return owner.apply(value);
  }

  /** The key a read of {@code key} is written down as. */
  String keyOf(String key) {
    return name + "|" + key;
  }

  @SuppressWarnings("unchecked")
  void over(Lookup<?> base, Set<Resource> removed, Map<Resource, Resource> replacements) {
    this.base = (Lookup<V>) base;
    this.removed = removed;
    this.replacements = replacements;
  }

  /** The first of {@code own} that belongs to the object replacing the removed value's owner, or null. */
  V replacementOf(V removedValue, List<V> own) {
    Resource replacement = replacements.get(owner.apply(removedValue));
    if (replacement != null) {
      for (V w : own) {
        if (owner.apply(w) == replacement) {
          return w;
        }
      }
    }
    return null;
  }

  /**
   * The base's answer less removed resources' values, with the values of an object's new version
   * where its old one was (so that an update does not reorder what rules list in their messages),
   * then this overlay's other values.
   */
  void merge(Iterable<V> under, Collection<V> own, Collection<V> out) {
    walk(under, own, v -> {
      out.add(v);
      return true;
    });
  }

  /**
   * Visits what {@link #merge} lists, in the same order, until {@code visitor} returns false: the
   * first few values of a long answer without copying it.
   */
  void walk(Iterable<V> under, Collection<V> own, Predicate<V> visitor) {
    // Values put in place of removed ones: an update's new version, one or two per key (sized so),
    // but as many as the informers' pending changes in a decision made off the event loop.
    Set<V> placed = null;
    for (V v : under) {
      if (!isRemoved(v)) {
        if (!visitor.test(v)) {
          return;
        }
        continue;
      }
      Resource replacement = replacements.get(owner.apply(v));
      if (replacement != null) {
        for (V w : own) {
          if (owner.apply(w) == replacement && (placed == null || !placed.contains(w))) {
            if (placed == null) {
              placed = Collections.newSetFromMap(new IdentityHashMap<>(2));
            }
            placed.add(w);
            if (!visitor.test(w)) {
              return;
            }
          }
        }
      }
    }
    for (V w : own) {
      if ((placed == null || !placed.contains(w)) && !visitor.test(w)) {
        return;
      }
    }
  }

  /** True when none of {@code values} belongs to a removed resource: an overlay may then answer with them as they are. */
  boolean noneRemoved(Iterable<V> values) {
    if (removed.isEmpty()) {
      return true;
    }
    for (V v : values) {
      if (isRemoved(v)) {
        return false;
      }
    }
    return true;
  }

  boolean isRemoved(V value) {
    return !removed.isEmpty() && removed.contains(owner.apply(value));
  }

  /**
   * Every key this lookup holds (not its base's), as {@link #keyOf}, with the host for host-keyed
   * lookups (null otherwise): what a change of the resources indexed here touches.
   */
  abstract void forEachKey(BiConsumer<String, String> action);
}
