package io.meshlint.core.source;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of one parsed YAML mapping (or another small map keyed by strings read from the input,
 * such as a resource's labels), in insertion order, in one flat array. Most mappings in
 * manifests hold a few fields: they are searched linearly, which takes a fifth of the memory of a
 * {@link java.util.LinkedHashMap} (the trees of a large run are retained, so the garbage collector
 * copies them) and is as fast to read. Larger mappings add an open-addressing index by a
 * {@link SaltedHash}, so that keys chosen to share a {@code String.hashCode} cost no more than others.
 */
public final class FieldMap<V> extends AbstractMap<String, V> {
  static final int MAX_FLAT = 8;
  private static final Object[] EMPTY = {};

  /** Keys at even, values at odd indexes. */
  private Object[] flat = EMPTY;
  private int size;
  /** For more than {@link #MAX_FLAT} fields: slots holding a key's index in {@code flat} plus one, 0 when free. */
  private int[] index;

  @Override
  public int size() {
    return size;
  }

  private int indexOf(Object key) {
    if (key == null) {
      return -1;
    }
    if (index != null) {
      if (!(key instanceof String k)) {
        return -1;
      }
      int mask = index.length - 1;
      for (int slot = SaltedHash.of(k) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
        int i = index[slot] - 1;
        if (k.equals(flat[i])) {
          return i;
        }
      }
      return -1;
    }
    Object[] a = flat;
    int hash = key.hashCode();
    for (int i = 0, n = size * 2; i < n; i += 2) {
      // Field names read are shared instances (Canonical), so a name looked up twice is often the
      // same instance; a name absent is told apart by the hash its String keeps.
      Object k = a[i];
      if (k == key || (k.hashCode() == hash && key.equals(k))) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private V value(int i) {
    return (V) flat[i + 1];
  }

  @Override
  public V get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : value(i);
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public V put(String key, V value) {
    int i = indexOf(key);
    if (i >= 0) {
      V old = value(i);
      flat[i + 1] = value;
      return old;
    }
    add(key, value);
    return null;
  }

  /** Adds a field whose key the caller knows is absent, without looking for it. */
  public void add(String key, V value) {
    if (size * 2 == flat.length) {
      flat = Arrays.copyOf(flat, Math.max(4, flat.length * 2));
    }
    flat[size * 2] = key;
    flat[size * 2 + 1] = value;
    size++;
    if (size > MAX_FLAT) {
      if (index == null || size * 2 > index.length) {
        reindex();
      } else {
        insert(size * 2 - 2);
      }
    }
  }

  /** Builds the index for the current fields, with room for as many again. */
  private void reindex() {
    if (size <= MAX_FLAT) {
      index = null;
      return;
    }
    index = new int[Integer.highestOneBit(size * 4 - 1) << 1];
    for (int i = 0; i < size * 2; i += 2) {
      insert(i);
    }
  }

  private void insert(int i) {
    int mask = index.length - 1;
    int slot = SaltedHash.of((String) flat[i]) & mask;
    while (index[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    index[slot] = i + 1;
  }

  @Override
  public V remove(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    V old = value(i);
    removeAt(i);
    return old;
  }

  /** Removes the field at {@code i}; a large mapping's index is built again (fields are rarely removed). */
  private void removeAt(int i) {
    System.arraycopy(flat, i + 2, flat, i, size * 2 - i - 2);
    size--;
    flat[size * 2] = null;
    flat[size * 2 + 1] = null;
    if (index != null) {
      reindex();
    }
  }

  @Override
  public void clear() {
    index = null;
    flat = EMPTY;
    size = 0;
  }

  /** Drops the unused end of the array once the mapping is complete. */
  public void trim() {
    if (flat.length > size * 2) {
      flat = size == 0 ? EMPTY : Arrays.copyOf(flat, size * 2);
    }
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super V> action) {
    for (int i = 0; i < size * 2; i += 2) {
      action.accept((String) flat[i], value(i));
    }
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return new Entries();
  }

  private final class Entries extends AbstractSet<Entry<String, V>> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Entry<String, V>> iterator() {
      return new Iterator<>() {
        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
          return next < size * 2;
        }

        @Override
        public Entry<String, V> next() {
          if (next >= size * 2) {
            throw new NoSuchElementException();
          }
          last = next;
          next += 2;
          return new FlatEntry(last);
        }

        @Override
        public void remove() {
          if (last < 0) {
            throw new IllegalStateException();
          }
          removeAt(last);
          next = last;
          last = -1;
        }
      };
    }
  }

  /** An entry that writes through to the array. */
  private final class FlatEntry implements Entry<String, V> {
    private final int index;

    FlatEntry(int index) {
      this.index = index;
    }

    @Override
    public String getKey() {
      return (String) flat[index];
    }

    @Override
    public V getValue() {
      return value(index);
    }

    @Override
    public V setValue(V value) {
      V old = getValue();
      flat[index + 1] = value;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry<?, ?> e && getKey().equals(e.getKey()) && getValue().equals(e.getValue());
    }

    @Override
    public int hashCode() {
      return getKey().hashCode() ^ getValue().hashCode();
    }

    @Override
    public String toString() {
      return getKey() + "=" + getValue();
    }
  }
}
