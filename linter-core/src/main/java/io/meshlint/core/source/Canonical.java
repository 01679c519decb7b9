package io.meshlint.core.source;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance for the field names and short string values that repeat across the documents
 * of a run ({@code metadata}, {@code apiVersion}, namespaces, label values): parsed trees are kept
 * for the whole run, and sharing makes them much smaller. Each table stops growing at a bound, so
 * input of unique values costs a bounded amount of memory.
 */
final class Canonical {
  private static final int MAX_ENTRIES = 1 << 16;
  private static final int MAX_VALUE_LENGTH = 64;
  /** By a {@link SaltedHash}: field names that share a {@code String.hashCode} would make one long bin. */
  private static final ConcurrentHashMap<Name, String> KEYS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, TextNode> VALUES = new ConcurrentHashMap<>();

  private Canonical() {}

  /**
   * The shared instance of a field name. Not {@link String#intern}: the JVM's string table hashes
   * by {@code String.hashCode}, so 90,000 names sharing one took a second to intern.
   */
  static String key(String key) {
    Name name = new Name(key);
    String shared = KEYS.get(name);
    if (shared != null) {
      return shared;
    }
    if (KEYS.size() >= MAX_ENTRIES) {
      return key;
    }
    shared = KEYS.putIfAbsent(name, key);
    return shared == null ? key : shared;
  }

  private record Name(String text, int hash) {
    Name(String text) {
      this(text, SaltedHash.of(text));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Name other && other.hash == hash && other.text.equals(text);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  static TextNode text(String value) {
    if (value.length() > MAX_VALUE_LENGTH) {
      return TextNode.valueOf(value);
    }
    TextNode shared = VALUES.get(value);
    if (shared != null) {
      return shared;
    }
    TextNode node = TextNode.valueOf(value);
    if (VALUES.size() >= MAX_ENTRIES) {
      return node;
    }
    shared = VALUES.putIfAbsent(value, node);
    return shared == null ? node : shared;
  }
}
