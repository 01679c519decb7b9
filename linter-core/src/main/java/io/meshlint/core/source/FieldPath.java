package io.meshlint.core.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path to a field inside one document, such as {@code spec.http[0].route[0].destination.host}.
 * Rules report findings against paths; the engine turns them into file positions.
 */
public final class FieldPath {
  public static final FieldPath ROOT = new FieldPath(new Object[0]);

  /** Each segment is a String (map key) or an Integer (list index). */
  private final Object[] segments;

  private FieldPath(Object[] segments) {
    this.segments = segments;
  }

  public static FieldPath of(Object... segments) {
    for (Object s : segments) {
      if (!(s instanceof String) && !(s instanceof Integer)) {
        throw new IllegalArgumentException("path segment must be a String or an Integer: " + s);
      }
    }
    return new FieldPath(segments.clone());
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
    return new FieldPath(out.toArray());
  }

  public FieldPath key(String key) {
    return append(key);
  }

  public FieldPath index(int index) {
    return append(index);
  }

  /** Appends segments given in dotted form, e.g. {@code path.then("destination.host")}. */
  public FieldPath then(String dotted) {
    return concat(parse(dotted));
  }

  public FieldPath concat(FieldPath other) {
    Object[] joined = Arrays.copyOf(segments, segments.length + other.segments.length);
    System.arraycopy(other.segments, 0, joined, segments.length, other.segments.length);
    return new FieldPath(joined);
  }

  private FieldPath append(Object segment) {
    Object[] longer = Arrays.copyOf(segments, segments.length + 1);
    longer[segments.length] = segment;
    return new FieldPath(longer);
  }

  /** The node this path leads to from {@code root}; a missing node when the path does not exist. */
  public com.fasterxml.jackson.databind.JsonNode in(com.fasterxml.jackson.databind.JsonNode root) {
    com.fasterxml.jackson.databind.JsonNode node = root;
    for (Object s : segments) {
      node = s instanceof Integer index ? node.path(index) : node.path((String) s);
    }
    return node;
  }

  public int size() {
    return segments.length;
  }

  public Object segment(int i) {
    return segments[i];
  }

  /** The longest proper prefix; the root's parent is the root. */
  public FieldPath parent() {
    return segments.length == 0 ? this : new FieldPath(Arrays.copyOf(segments, segments.length - 1));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Object s : segments) {
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
    return o instanceof FieldPath p && Arrays.equals(segments, p.segments);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(segments);
  }
}
