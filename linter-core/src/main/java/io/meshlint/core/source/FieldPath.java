package io.meshlint.core.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A path to a field inside one document, such as {@code spec.http[0].route[0].destination.host}.
 * Rules report findings against paths; the engine turns them into file positions. Paths are
 * ordered (by length, then segment by segment, indexes before keys), so that a hash map of paths
 * whose hash codes collide still finds each in logarithmic time.
 */
public final class FieldPath implements Comparable<FieldPath> {
  public static final FieldPath ROOT = new FieldPath(null, null);

  /**
   * The path without its last segment; null for the root. Paths share their prefixes, so that
   * extending one (done for every element rules walk over) costs one small object.
   */
  private final FieldPath parent;
  /** A String (map key) or an Integer (list index); null for the root. */
  private final Object segment;
  private final int size;
  /** Of the segments, keys hashed with a {@link SaltedHash}: a manifest cannot choose keys whose paths collide. */
  private final int hash;

  private FieldPath(FieldPath parent, Object segment) {
    this.parent = parent;
    this.segment = segment;
    this.size = parent == null ? 0 : parent.size + 1;
    this.hash = parent == null ? 1
        : 31 * parent.hash + (segment instanceof String key ? SaltedHash.of(key) : segment.hashCode());
  }

  public static FieldPath of(Object... segments) {
    FieldPath path = ROOT;
    for (Object s : segments) {
      if (!(s instanceof String) && !(s instanceof Integer)) {
        throw new IllegalArgumentException("path segment must be a String or an Integer: " + s);
      }
      path = new FieldPath(path, s);
    }
    return path;
  }

  /** Parses the dotted form {@code spec.http[0].route}; keys containing dots are not expressible. */
  public static FieldPath parse(String dotted) {
    List<Object> out = new ArrayList<>();
    for (String part : dotted.split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      int bracket = part.indexOf('[');
      String key = bracket < 0 ? part : part.substring(0, bracket);
      if (!key.isEmpty()) {
        out.add(key);
      }
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        out.add(Integer.parseInt(part.substring(bracket + 1, close)));
        bracket = part.indexOf('[', close);
      }
    }
    return of(out.toArray());
  }

  public FieldPath key(String key) {
    return new FieldPath(this, key);
  }

  public FieldPath index(int index) {
    return new FieldPath(this, index);
  }

  /** Appends segments given in dotted form, e.g. {@code path.then("destination.host")}. */
  public FieldPath then(String dotted) {
    return concat(parse(dotted));
  }

  public FieldPath concat(FieldPath other) {
    FieldPath path = this;
    for (Object s : other.segments()) {
      path = new FieldPath(path, s);
    }
    return path;
  }

  /** The segments from the first to the last. */
  private Object[] segments() {
    Object[] out = new Object[size];
    for (FieldPath p = this; p.size > 0; p = p.parent) {
      out[p.size - 1] = p.segment;
    }
    return out;
  }

  /** The node this path leads to from {@code root}; a missing node when the path does not exist. */
  public com.fasterxml.jackson.databind.JsonNode in(com.fasterxml.jackson.databind.JsonNode root) {
    com.fasterxml.jackson.databind.JsonNode node = root;
    for (Object s : segments()) {
      node = s instanceof Integer index ? node.path(index) : node.path((String) s);
    }
    return node;
  }

  public int size() {
    return size;
  }

  public Object segment(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    FieldPath p = this;
    while (p.size > i + 1) {
      p = p.parent;
    }
    return p.segment;
  }

  /** The longest proper prefix; the root's parent is the root. */
  public FieldPath parent() {
    return parent == null ? this : parent;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Object s : segments()) {
      if (s instanceof Integer) {
        sb.append('[').append(s).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(s);
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FieldPath other) || other.size != size || other.hash != hash) {
      return false;
    }
    for (FieldPath a = this, b = other; a != b; a = a.parent, b = b.parent) {
      if (!a.segment.equals(b.segment)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(FieldPath other) {
    if (size != other.size) {
      return Integer.compare(size, other.size);
    }
    if (this == other || size == 0) {
      return 0;
    }
    // Keys that collide mostly share their parent: compare it (often the same object) first.
    int c = parent.compareTo(other.parent);
    return c != 0 ? c : compare(segment, other.segment);
  }

  private static int compare(Object a, Object b) {
    if (a instanceof Integer x) {
      return b instanceof Integer y ? Integer.compare(x, y) : -1;
    }
    return b instanceof String y ? ((String) a).compareTo(y) : 1;
  }
}
