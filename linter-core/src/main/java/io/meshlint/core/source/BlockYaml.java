package io.meshlint.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads the plain block style nearly all manifests are written in (nested mappings and sequences of
 * one-line scalars, comments, document separators) several times faster than the general YAML
 * parser. Anything else (block and multi-line scalars, flow collections other than {@code []} and
 * {@code {}}, anchors, tags, escapes, tabs, control or non-BMP characters, duplicate keys, any syntax
 * error) makes it give up on the whole stream, which is then read by the general parser: so trees,
 * document numbering and problems are always the general parser's.
 */
final class BlockYaml {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A document's tree and the 0-based line its content starts on. */
  record Document(JsonNode root, int startLine) {}

  /** Thrown to give up on the stream. */
  private static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  /** The text as an array: reading it char by char through String costs a call per char without the optimizing compiler. */
  private final char[] text;
  private final int maxDepth;
  private final List<Document> documents = new ArrayList<>();
  private final Deque<Level> stack = new ArrayDeque<>();
  /** Whether the current document was opened by a separator or by content. */
  private boolean inDocument;
  private JsonNode root;
  private int startLine;
  /** A key or sequence entry whose value starts on a later line, if any. */
  private Level pendingIn;
  private String pendingKey;
  private int pendingIndent;
  /** The deepest indentation the next line may have without being part of a multi-line scalar. */
  private int maxNextIndent;

  private static final class Level {
    final int indent;
    /** A sequence at the same indentation as the key it is the value of. */
    final boolean compact;
    final FieldMap fields;
    final ArrayList<JsonNode> elements;

    Level(int indent, boolean compact, FieldMap fields, ArrayList<JsonNode> elements) {
      this.indent = indent;
      this.compact = compact;
      this.fields = fields;
      this.elements = elements;
    }
  }

  private BlockYaml(char[] text, int maxDepth) {
    this.text = text;
    this.maxDepth = maxDepth;
  }

  /** The documents of {@code text}, or null when it uses more of YAML than this reader knows. */
  static List<Document> read(String text, int maxDepth) {
    char[] chars = text.toCharArray();
    if (!plainCharacters(chars)) {
      return null;
    }
    BlockYaml reader = new BlockYaml(chars, maxDepth);
    try {
      reader.run();
    } catch (Unsupported e) {
      return null;
    }
    return reader.documents;
  }

  /** Printable characters of the Basic Multilingual Plane, lines ending in a bare line feed. */
  private static boolean plainCharacters(char[] text) {
    for (char c : text) {
      if (c >= 0x20 && c < 0x7F || c == '\n') {
        continue;
      }
      if (c < 0xA0 || c == 0x2028 || c == 0x2029 || c >= 0xD800 && c < 0xE000 || c == 0xFEFF || c > 0xFFFD) {
        return false;
      }
    }
    return true;
  }

  private void run() throws Unsupported {
    int line = 0;
    int n = text.length;
    for (int pos = 0; pos < n; line++) {
      int end = pos;
      while (end < n && text[end] != '\n') {
        end++;
      }
      line(pos, end, line);
      pos = end + 1;
    }
    endDocument(n > 0 && text[n - 1] == '\n' ? line : line - 1);
  }

  private void line(int start, int end, int line) throws Unsupported {
    int at = start;
    while (at < end && text[at] == ' ') {
      at++;
    }
    if (at == end || text[at] == '#') {
      return;
    }
    int indent = at - start;
    if (indent == 0 && (marker(at, end, '-') || marker(at, end, '.'))) {
      if (!marker(at, end, '-') || !blank(at + 3, end)) {
        throw UNSUPPORTED;
      }
      endDocument(line);
      inDocument = true;
      return;
    }
    boolean dash = isDash(at, end);
    if (root == null) {
      startLine = line;
      inDocument = true;
      Level level = dash ? sequence(indent, false) : mapping(indent);
      root = node(level);
      stack.push(level);
    } else if (pendingIn != null) {
      if (indent > pendingIndent || indent == pendingIndent && dash && pendingKey != null) {
        Level level = dash ? sequence(indent, indent == pendingIndent) : mapping(indent);
        attach(pendingIn, pendingKey, node(level));
        pendingIn = null;
        push(level);
      } else {
        attach(pendingIn, pendingKey, NullNode.getInstance());
        pendingIn = null;
        close(indent, dash);
      }
    } else if (indent > maxNextIndent) {
      throw UNSUPPORTED;
    } else {
      close(indent, dash);
    }
    entry(stack.peek(), at, end);
  }

  /** Closes the collections that end before a line at {@code indent}. */
  private void close(int indent, boolean dash) throws Unsupported {
    while (!stack.isEmpty()) {
      Level top = stack.peek();
      if (top.indent > indent || top.indent == indent && top.compact && !dash) {
        finish(stack.pop());
      } else {
        break;
      }
    }
    Level top = stack.peek();
    if (top == null || top.indent != indent || dash != (top.elements != null)) {
      throw UNSUPPORTED;
    }
  }

  /** Reads one entry of {@code level} from the line's content at {@code at}. */
  private void entry(Level level, int at, int end) throws Unsupported {
    if (level.elements != null) {
      int content = at + 1;
      while (content < end && text[content] == ' ') {
        content++;
      }
      if (content == end || text[content] == '#') {
        pend(level, null, at);
        return;
      }
      if (isDash(content, end)) {
        throw UNSUPPORTED;
      }
      int colon = keyEnd(content, end);
      if (colon < 0) {
        level.elements.add(value(content, end));
        maxNextIndent = at - lineStart(at);
        return;
      }
      Level fields = mapping(content - lineStart(content));
      level.elements.add(node(fields));
      push(fields);
      keyValue(fields, content, colon, end);
      return;
    }
    int colon = keyEnd(at, end);
    if (colon < 0) {
      throw UNSUPPORTED;
    }
    keyValue(level, at, colon, end);
  }

  private void keyValue(Level level, int at, int colon, int end) throws Unsupported {
    String key = Canonical.key(keyText(at, colon));
    if (level.fields.containsKey(key)) {
      throw UNSUPPORTED;
    }
    int content = colon + 1;
    while (content < end && text[content] == ' ') {
      content++;
    }
    if (content == end || text[content] == '#') {
      pend(level, key, at);
      return;
    }
    level.fields.put(key, value(content, end));
    maxNextIndent = at - lineStart(at);
  }

  private void pend(Level level, String key, int at) {
    pendingIn = level;
    pendingKey = key;
    pendingIndent = at - lineStart(at);
  }

  private int lineStart(int at) {
    int start = at;
    while (start > 0 && text[start - 1] != '\n') {
      start--;
    }
    return start;
  }

  /** Whether the line at {@code at} starts with three {@code c}, as document markers do. */
  private boolean marker(int at, int end, char c) {
    return end - at >= 3 && text[at] == c && text[at + 1] == c && text[at + 2] == c;
  }

  /**
   * The index of the colon ending the key that starts at {@code at}, or -1 when the line holds a
   * scalar rather than a key.
   */
  private int keyEnd(int at, int end) throws Unsupported {
    char first = text[at];
    if (first == '[' || first == '{') {
      return -1;
    }
    if (first == '"' || first == '\'') {
      int close = quoteEnd(at, end);
      if (close + 1 < end && text[close + 1] == ':' && (close + 2 == end || text[close + 2] == ' ')) {
        return close + 1;
      }
      return -1;
    }
    plainStart(at, end);
    for (int i = at; i < end; i++) {
      char c = text[i];
      if (c == ':' && (i + 1 == end || text[i + 1] == ' ')) {
        if (text[i - 1] == ' ') {
          throw UNSUPPORTED;
        }
        return i;
      }
      if (c == '#' && text[i - 1] == ' ') {
        return -1;
      }
    }
    return -1;
  }

  private String keyText(int at, int colon) throws Unsupported {
    char first = text[at];
    if (first == '"' || first == '\'') {
      return quoted(at, colon - 1);
    }
    String key = new String(text, at, colon - at);
    for (int i = 0; i < key.length(); i++) {
      if ("[]{},".indexOf(key.charAt(i)) >= 0) {
        throw UNSUPPORTED;
      }
    }
    return key;
  }

  /** A value that ends its line: a one-line scalar, {@code []} or {@code {}}. */
  private JsonNode value(int at, int end) throws Unsupported {
    char first = text[at];
    if (first == '"' || first == '\'') {
      int close = quoteEnd(at, end);
      if (!blankOrComment(close + 1, end)) {
        throw UNSUPPORTED;
      }
      return Canonical.text(quoted(at, close));
    }
    if (first == '[' || first == '{') {
      if (at + 1 < end && text[at + 1] == (first == '[' ? ']' : '}') && blankOrComment(at + 2, end)) {
        return first == '[' ? new ArrayNode(NODES, new ArrayList<>(0)) : new ObjectNode(NODES, new FieldMap());
      }
      throw UNSUPPORTED;
    }
    plainStart(at, end);
    int last = at;
    for (int i = at; i < end; i++) {
      char c = text[i];
      if (c == '#' && text[i - 1] == ' ') {
        break;
      }
      if (c == ':' && (i + 1 == end || text[i + 1] == ' ')) {
        throw UNSUPPORTED;
      }
      if (c != ' ') {
        last = i;
      }
    }
    return YamlReader.plainValue(new String(text, at, last + 1 - at));
  }

  /** Gives up unless a plain scalar may start at {@code at}. */
  private void plainStart(int at, int end) throws Unsupported {
    char c = text[at];
    if ("?:-".indexOf(c) >= 0) {
      if (at + 1 == end || text[at + 1] == ' ') {
        throw UNSUPPORTED;
      }
    } else if (",[]{}#&*!|>'\"%@`".indexOf(c) >= 0) {
      throw UNSUPPORTED;
    }
  }

  /** The index of the quote closing the quoted scalar that starts at {@code at}, on the same line. */
  private int quoteEnd(int at, int end) throws Unsupported {
    char quote = text[at];
    for (int i = at + 1; i < end; i++) {
      char c = text[i];
      if (c == '\\' && quote == '"') {
        throw UNSUPPORTED;
      }
      if (c == quote) {
        if (quote == '\'' && i + 1 < end && text[i + 1] == '\'') {
          i++;
          continue;
        }
        return i;
      }
    }
    throw UNSUPPORTED;
  }

  private String quoted(int at, int close) {
    String content = new String(text, at + 1, close - at - 1);
    return text[at] == '\'' ? content.replace("''", "'") : content;
  }

  private boolean isDash(int at, int end) {
    return text[at] == '-' && (at + 1 == end || text[at + 1] == ' ');
  }

  private boolean blank(int from, int end) {
    for (int i = from; i < end; i++) {
      if (text[i] != ' ') {
        return false;
      }
    }
    return true;
  }

  private boolean blankOrComment(int from, int end) {
    for (int i = from; i < end; i++) {
      char c = text[i];
      if (c == '#' && i > from) {
        return true;
      }
      if (c != ' ') {
        return false;
      }
    }
    return true;
  }

  private Level mapping(int indent) {
    return new Level(indent, false, new FieldMap(), null);
  }

  private Level sequence(int indent, boolean compact) {
    return new Level(indent, compact, null, new ArrayList<>(4));
  }

  private static JsonNode node(Level level) {
    return level.fields != null ? new ObjectNode(NODES, level.fields) : new ArrayNode(NODES, level.elements);
  }

  private void push(Level level) throws Unsupported {
    if (stack.size() >= maxDepth) {
      throw UNSUPPORTED;
    }
    stack.push(level);
  }

  private static void attach(Level level, String key, JsonNode value) {
    if (key == null) {
      level.elements.add(value);
    } else {
      level.fields.put(key, value);
    }
  }

  private static void finish(Level level) {
    if (level.fields != null) {
      level.fields.trim();
    } else {
      level.elements.trimToSize();
    }
  }

  /** Ends the current document, if any; an empty one starts, as the general parser has it, where it ends. */
  private void endDocument(int line) {
    if (pendingIn != null) {
      attach(pendingIn, pendingKey, NullNode.getInstance());
      pendingIn = null;
    }
    while (!stack.isEmpty()) {
      finish(stack.pop());
    }
    if (root != null) {
      documents.add(new Document(root, startLine));
    } else if (inDocument) {
      documents.add(new Document(NullNode.getInstance(), line));
    }
    root = null;
    inDocument = false;
    maxNextIndent = Integer.MAX_VALUE;
  }
}
