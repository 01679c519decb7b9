package io.meshlint.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Reads the plain block style nearly all manifests are written in (nested mappings and sequences of
 * one-line scalars, one-line flow collections of such scalars, comments, document separators)
 * several times faster than the general YAML parser. Anything else (block and multi-line scalars,
 * nested or multi-line flow collections, anchors, tags, escapes, tabs, control or non-BMP characters,
 * duplicate keys, any syntax error) makes it give up on the whole stream, which is then read by the
 * general parser: so trees, document numbering, problems and positions are always the general
 * parser's.
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
  /**
   * When recording spans (see {@link YamlReader#spans}), the documents to record them for, by
   * index, and what is recorded; trees are then left untyped (every scalar null), as only their
   * shape matters.
   */
  private final IntPredicate spansOf;
  private final Map<Integer, Map<FieldPath, Span>> allSpans;
  /** The current document's spans, when recording them for it. */
  private Map<FieldPath, Span> spans;
  /** The current line: 0-based number and offset of its first character. */
  private int lineNumber;
  private int lineStart;
  private final Deque<Level> stack = new ArrayDeque<>();
  /** Where the last scalar value read ends (exclusive), -1 after a collection. */
  private int valueEnd;
  /** The last flow collection read. */
  private JsonNode flowValue;
  /** Whether the current document was opened by a separator or by content. */
  private boolean inDocument;
  private JsonNode root;
  private int startLine;
  /** A key or sequence entry whose value starts on a later line, if any. */
  private Level pendingIn;
  private String pendingKey;
  private int pendingIndent;
  /** Where the pending key starts, and where the empty value it gets when nothing follows is (after the colon or dash). */
  private Position pendingStart;
  private Position pendingEmpty;
  /** The deepest indentation the next line may have without being part of a multi-line scalar. */
  private int maxNextIndent;

  private static final class Level {
    final int indent;
    /** A sequence at the same indentation as the key it is the value of. */
    final boolean compact;
    final FieldMap<JsonNode> fields;
    final ArrayList<JsonNode> elements;
    /** Only when recording spans. */
    final FieldPath path;

    Level(int indent, boolean compact, FieldMap<JsonNode> fields, ArrayList<JsonNode> elements, FieldPath path) {
      this.indent = indent;
      this.compact = compact;
      this.fields = fields;
      this.elements = elements;
      this.path = path;
    }

    /** The path of the next element, or of the field {@code key}; null when not recording. */
    FieldPath child(String key) {
      return path == null ? null : key == null ? path.index(elements.size()) : path.key(key);
    }
  }

  private BlockYaml(char[] text, int maxDepth, IntPredicate spansOf) {
    this.text = text;
    this.maxDepth = maxDepth;
    this.spansOf = spansOf;
    this.allSpans = spansOf == null ? null : new HashMap<>();
  }

  /** The documents of {@code text}, or null when it uses more of YAML than this reader knows. */
  static List<Document> read(String text, int maxDepth) {
    BlockYaml reader = run(text, maxDepth, null);
    return reader == null ? null : reader.documents;
  }

  /**
   * Where every field of the documents {@code documents} accepts (by index) is, as {@link
   * YamlReader#spans} has it, or null when the text uses more of YAML than this reader knows.
   */
  static Map<Integer, Map<FieldPath, Span>> spans(String text, int maxDepth, IntPredicate documents) {
    BlockYaml reader = run(text, maxDepth, documents);
    return reader == null ? null : reader.allSpans;
  }

  private static BlockYaml run(String text, int maxDepth, IntPredicate spansOf) {
    char[] chars = text.toCharArray();
    if (!plainCharacters(chars)) {
      return null;
    }
    BlockYaml reader = new BlockYaml(chars, maxDepth, spansOf);
    try {
      reader.run();
    } catch (Unsupported e) {
      return null;
    }
    return reader;
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
    boolean lastLineEnded = n == 0 || text[n - 1] == '\n';
    endDocument(lastLineEnded ? line : line - 1, lastLineEnded ? 1 : n - lineStart + 1);
  }

  private void line(int start, int end, int line) throws Unsupported {
    lineNumber = line;
    lineStart = start;
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
      endDocument(line, 1);
      inDocument = true;
      return;
    }
    boolean dash = isDash(at, end);
    if (root == null) {
      startLine = line;
      inDocument = true;
      spans = spansOf != null && spansOf.test(documents.size()) ? new HashMap<>() : null;
      if (spans != null) {
        record(FieldPath.ROOT, at, -1);
      }
      Level level = dash ? sequence(indent, false, FieldPath.ROOT) : mapping(indent, FieldPath.ROOT);
      root = node(level);
      stack.push(level);
    } else if (pendingIn != null) {
      if (indent > pendingIndent || indent == pendingIndent && dash && pendingKey != null) {
        FieldPath path = pendingIn.child(pendingKey);
        // An element starts where its content does, a field at its key.
        if (pendingKey == null) {
          record(path, at, -1);
        } else {
          record(path, pendingStart, null);
        }
        Level level = dash ? sequence(indent, indent == pendingIndent, path) : mapping(indent, path);
        attach(pendingIn, pendingKey, node(level));
        pendingIn = null;
        push(level);
      } else {
        attachEmpty();
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
        pend(level, null, at, at + 1);
        return;
      }
      if (isDash(content, end)) {
        throw UNSUPPORTED;
      }
      int colon = keyEnd(content, end);
      FieldPath path = level.child(null);
      if (colon < 0) {
        JsonNode value = value(content, end, path);
        record(path, content, valueEnd);
        level.elements.add(value);
        maxNextIndent = at - lineStart;
        return;
      }
      record(path, content, -1);
      Level fields = mapping(content - lineStart, path);
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
    String key = keyText(at, colon);
    if (spansOf == null) {
      key = Canonical.key(key);
    }
    if (level.fields.containsKey(key)) {
      throw UNSUPPORTED;
    }
    int content = colon + 1;
    while (content < end && text[content] == ' ') {
      content++;
    }
    if (content == end || text[content] == '#') {
      pend(level, key, at, colon + 1);
      return;
    }
    FieldPath path = level.child(key);
    JsonNode value = value(content, end, path);
    record(path, at, valueEnd);
    level.fields.add(key, value);
    maxNextIndent = at - lineStart;
  }

  /** Leaves the entry at {@code at} waiting for its value on a later line; {@code empty} is where its value is if none comes. */
  private void pend(Level level, String key, int at, int empty) {
    pendingIn = level;
    pendingKey = key;
    pendingIndent = at - lineStart;
    if (spans != null) {
      pendingStart = position(at);
      pendingEmpty = position(empty);
    }
  }

  /** Gives the pending entry the empty value: the general parser places it after the colon or dash. */
  private void attachEmpty() {
    record(pendingIn.child(pendingKey), pendingKey == null ? pendingEmpty : pendingStart, pendingEmpty);
    attach(pendingIn, pendingKey, NullNode.getInstance());
    pendingIn = null;
  }

  /** The 1-based position of offset {@code at} of the current line. */
  private Position position(int at) {
    return new Position(lineNumber + 1, at - lineStart + 1);
  }

  private void record(FieldPath path, Position start, Position end) {
    if (path != null) {
      spans.put(path, new Span(start, end));
    }
  }

  /** Records a span from offset {@code start} to {@code end} of the current line; no end when {@code end} is -1. */
  private void record(FieldPath path, int start, int end) {
    if (path != null) {
      spans.put(path, new Span(position(start), end < 0 ? null : position(end)));
    }
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

  /**
   * A value that ends its line: a one-line scalar or flow collection; {@code path} is its path when
   * recording spans. Sets {@link #valueEnd}.
   */
  private JsonNode value(int at, int end, FieldPath path) throws Unsupported {
    char first = text[at];
    if (first == '"' || first == '\'') {
      int close = quoteEnd(at, end);
      if (!blankOrComment(close + 1, end)) {
        throw UNSUPPORTED;
      }
      valueEnd = close + 1;
      return spansOf == null ? Canonical.text(quoted(at, close)) : NullNode.getInstance();
    }
    if (first == '[' || first == '{') {
      int close = flow(at, end, path);
      if (!blankOrComment(close + 1, end)) {
        throw UNSUPPORTED;
      }
      valueEnd = -1;
      return flowValue;
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
    valueEnd = last + 1;
    return spansOf == null ? YamlReader.plainValue(new String(text, at, last + 1 - at)) : NullNode.getInstance();
  }

  /**
   * Reads the flow collection starting at {@code at} into {@link #flowValue}, recording the spans
   * of its entries under {@code path}; returns the index of its closing bracket. Only entries of
   * one-line plain or quoted scalars (and, in a mapping, {@code key: value} with a scalar value) are
   * read: a nested collection, an empty entry or a colon in a plain scalar makes it give up.
   */
  private int flow(int at, int end, FieldPath path) throws Unsupported {
    // The general parser counts a flow collection's nesting as any other's.
    if (stack.size() >= maxDepth) {
      throw UNSUPPORTED;
    }
    boolean mapping = text[at] == '{';
    char closing = mapping ? '}' : ']';
    FieldMap<JsonNode> fields = mapping ? new FieldMap<>() : null;
    ArrayList<JsonNode> elements = mapping ? null : new ArrayList<>(4);
    int i = skipSpaces(at + 1, end);
    if (i < end && text[i] == closing) {
      flowValue = mapping ? new ObjectNode(NODES, fields) : new ArrayNode(NODES, new ArrayList<>(0));
      return i;
    }
    while (true) {
      int start = i;
      int scalarEnd = flowScalar(start, end, mapping);
      if (mapping) {
        String key = text[start] == '"' || text[start] == '\''
            ? quoted(start, scalarEnd - 1) : new String(text, start, scalarEnd - start);
        if (spansOf == null) {
          key = Canonical.key(key);
        }
        if (scalarEnd + 1 >= end || text[scalarEnd] != ':' || text[scalarEnd + 1] != ' ' || fields.containsKey(key)) {
          throw UNSUPPORTED;
        }
        int valueStart = skipSpaces(scalarEnd + 1, end);
        int valueStop = flowScalar(valueStart, end, false);
        fields.add(key, flowScalarValue(valueStart, valueStop));
        record(path == null ? null : path.key(key), start, valueStop);
        i = skipSpaces(valueStop, end);
      } else {
        record(path == null ? null : path.index(elements.size()), start, scalarEnd);
        elements.add(flowScalarValue(start, scalarEnd));
        i = skipSpaces(scalarEnd, end);
      }
      if (i < end && text[i] == closing) {
        break;
      }
      if (i == end || text[i] != ',') {
        throw UNSUPPORTED;
      }
      i = skipSpaces(i + 1, end);
    }
    if (mapping) {
      fields.trim();
      flowValue = new ObjectNode(NODES, fields);
    } else {
      elements.trimToSize();
      flowValue = new ArrayNode(NODES, elements);
    }
    return i;
  }

  /**
   * The end (exclusive) of the plain or quoted scalar at {@code at} inside a flow collection; a
   * plain key ends before the colon that follows it. Gives up unless the scalar is followed by a
   * comma, a closing bracket or spaces, or (a key) by a colon.
   */
  private int flowScalar(int at, int end, boolean key) throws Unsupported {
    if (at == end) {
      throw UNSUPPORTED;
    }
    char first = text[at];
    if (first == '"' || first == '\'') {
      return quoteEnd(at, end) + 1;
    }
    plainStart(at, end);
    if ("?:-".indexOf(first) >= 0 && ",[]{}".indexOf(text[at + 1]) >= 0) {
      throw UNSUPPORTED;
    }
    int last = at;
    for (int i = at; i < end; i++) {
      char c = text[i];
      if (c == ',' || c == ']' || c == '}') {
        return last + 1;
      }
      if (c == ':' && key && i + 1 < end && text[i + 1] == ' ' && text[i - 1] != ' ') {
        return i;
      }
      if (c == ':' || c == '[' || c == '{' || c == '#' && text[i - 1] == ' ') {
        throw UNSUPPORTED;
      }
      if (c != ' ') {
        last = i;
      }
    }
    throw UNSUPPORTED;
  }

  private JsonNode flowScalarValue(int at, int end) {
    if (spansOf != null) {
      return NullNode.getInstance();
    }
    char first = text[at];
    if (first == '"' || first == '\'') {
      return Canonical.text(quoted(at, end - 1));
    }
    return YamlReader.plainValue(new String(text, at, end - at));
  }

  private int skipSpaces(int from, int end) {
    int i = from;
    while (i < end && text[i] == ' ') {
      i++;
    }
    return i;
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

  private Level mapping(int indent, FieldPath path) {
    return new Level(indent, false, new FieldMap<>(), null, spans == null ? null : path);
  }

  private Level sequence(int indent, boolean compact, FieldPath path) {
    return new Level(indent, compact, null, new ArrayList<>(4), spans == null ? null : path);
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
      level.fields.add(key, value);
    }
  }

  private static void finish(Level level) {
    if (level.fields != null) {
      level.fields.trim();
    } else {
      level.elements.trimToSize();
    }
  }

  /**
   * Ends the current document, if any; an empty one starts, as the general parser has it, where it
   * ends: at the 0-based {@code line} and 1-based {@code column} of the next separator or of the end
   * of the text.
   */
  private void endDocument(int line, int column) {
    if (pendingIn != null) {
      attachEmpty();
    }
    while (!stack.isEmpty()) {
      finish(stack.pop());
    }
    if (spans != null) {
      allSpans.put(documents.size(), spans);
    } else if (root == null && inDocument && spansOf != null && spansOf.test(documents.size())) {
      // The general parser reads an empty document as an empty scalar there.
      Position at = new Position(line + 1, column);
      allSpans.put(documents.size(), Map.of(FieldPath.ROOT, new Span(at, at)));
    }
    spans = null;
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
