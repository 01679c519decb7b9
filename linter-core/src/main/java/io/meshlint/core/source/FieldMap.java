package io.meshlint.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of one parsed YAML mapping, in insertion order. Most mappings in manifests hold a few
 * fields: they are kept in one flat array and searched linearly, which takes a fifth of the memory
 * of a {@link LinkedHashMap} (the trees of a large run are retained, so the garbage collector copies
 * them) and is as fast to read. Larger mappings move to a LinkedHashMap.
 */
final class FieldMap extends AbstractMap<String, JsonNode> {
  static final int MAX_FLAT = 8;
  private static final Object[] EMPTY = {};

  /** Keys at even, values at odd indexes; unused while {@code large} is set. */
  private Object[] flat = EMPTY;
  private int size;
  private Map<String, JsonNode> large;

  @Override
  public int size() {
    return large != null ? large.size() : size;
  }

  private int indexOf(Object key) {
    if (key == null) {
      return -1;
    }
    Object[] a = flat;
    int hash = key.hashCode();
    for (int i = 0, n = size * 2; i < n; i += 2) {
      // Field names are shared instances, the JVM's own for names written in the code; a name
      // looked up but absent is told apart by the hash its String keeps.
      Object k = a[i];
      if (k == key || (k.hashCode() == hash && key.equals(k))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public JsonNode get(Object key) {
    if (large != null) {
      return large.get(key);
    }
    int i = indexOf(key);
    return i < 0 ? null : (JsonNode) flat[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return large != null ? large.containsKey(key) : indexOf(key) >= 0;
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    if (large != null) {
      return large.put(key, value);
    }
    int i = indexOf(key);
    if (i >= 0) {
      JsonNode old = (JsonNode) flat[i + 1];
      flat[i + 1] = value;
      return old;
    }
    if (size == MAX_FLAT) {
      large = new LinkedHashMap<>();
      for (int j = 0; j < size * 2; j += 2) {
        large.put((String) flat[j], (JsonNode) flat[j + 1]);
      }
      flat = EMPTY;
      size = 0;
      return large.put(key, value);
    }
    if (size * 2 == flat.length) {
      flat = Arrays.copyOf(flat, Math.max(4, flat.length * 2));
    }
    flat[size * 2] = key;
    flat[size * 2 + 1] = value;
    size++;
    return null;
  }

  @Override
  public JsonNode remove(Object key) {
    if (large != null) {
      return large.remove(key);
    }
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    JsonNode old = (JsonNode) flat[i + 1];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    System.arraycopy(flat, i + 2, flat, i, size * 2 - i - 2);
    size--;
    flat[size * 2] = null;
    flat[size * 2 + 1] = null;
  }

  @Override
  public void clear() {
    large = null;
    flat = EMPTY;
    size = 0;
  }

  /** Drops the unused end of the array once the mapping is complete. */
  void trim() {
    if (large == null && flat.length > size * 2) {
      flat = size == 0 ? EMPTY : Arrays.copyOf(flat, size * 2);
    }
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
    if (large != null) {
      large.forEach(action);
      return;
    }
    for (int i = 0; i < size * 2; i += 2) {
      action.accept((String) flat[i], (JsonNode) flat[i + 1]);
    }
  }

  @Override
  public Set<Entry<String, JsonNode>> entrySet() {
    return large != null ? large.entrySet() : new Entries();
  }

  private final class Entries extends AbstractSet<Entry<String, JsonNode>> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Entry<String, JsonNode>> iterator() {
      return new Iterator<>() {
        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
          return next < size * 2;
        }

        @Override
        public Entry<String, JsonNode> next() {
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
  private final class FlatEntry implements Entry<String, JsonNode> {
    private final int index;

    FlatEntry(int index) {
      this.index = index;
    }

    @Override
    public String getKey() {
      return (String) flat[index];
    }

    @Override
    public JsonNode getValue() {
      return (JsonNode) flat[index + 1];
    }

    @Override
    public JsonNode setValue(JsonNode value) {
      JsonNode old = getValue();
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
