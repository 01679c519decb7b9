package io.meshlint.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads a YAML or JSON stream of documents into Jackson trees, with the scalar typing Kubernetes
 * applies (YAML 1.1 as in go-yaml v2, so {@code yes} is a boolean).
 *
 * <p>The same walk serves two purposes: building trees for linting, and (lazily, only when a finding
 * needs it) recording the position of every field. Both go through one code path, so document
 * numbering and recovery after syntax errors agree.
 *
 * <p>Hostile input is bounded: a document may hold at most {@link Limits#maxDocumentCodePoints} code
 * points, nest at most {@link Limits#maxDepth} levels, and expand aliases to at most {@link
 * Limits#maxAliasNodes} nodes. Aliases share the anchored tree rather than copying it, but readers
 * walk the tree, so the expansion is what is counted.
 */
public final class YamlReader {

  public record Limits(int maxDocumentCodePoints, int maxDepth, int maxAliasNodes) {
    /** Kubernetes stores objects of at most 1.5 MiB; twice that leaves room for comments. */
    public static final Limits DEFAULT = new Limits(3 * 1024 * 1024, 100, 10_000);
  }

  public enum ProblemKind { SYNTAX, DUPLICATE_KEY, LIMIT }

  public record Problem(ProblemKind kind, int documentIndex, Position position, String message) {}

  /** Receives what a stream holds, in order. */
  public interface Sink {
    /** A document; {@code root} is null for an empty document. */
    void document(int index, Position start, JsonNode root, String helmSource);

    void problem(Problem problem);
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
  private static final Pattern HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
  private static final Pattern OCTAL = Pattern.compile("[-+]?0o?[0-7_]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+");
  private static final String HELM_SOURCE = "# Source: ";

  private final Limits limits;

  public YamlReader(Limits limits) {
    this.limits = limits;
  }

  public void read(String text, Sink sink) {
    new Walk(text, sink, null, true).run();
  }

  /** Reads as {@link #read} does but always with the general parser, which {@link BlockYaml} must agree with. */
  void readGeneral(String text, Sink sink) {
    new Walk(text, sink, null, false).run();
  }

  /** Documents and problems of a small stream read whole, such as a configuration file. */
  public record Parsed(List<JsonNode> documents, List<Problem> problems) {}

  public Parsed parse(String text) {
    List<JsonNode> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    read(text, new Sink() {
      @Override
      public void document(int index, Position start, JsonNode root, String helmSource) {
        if (root != null) {
          documents.add(root);
        }
      }

      @Override
      public void problem(Problem problem) {
        problems.add(problem);
      }
    });
    return new Parsed(documents, problems);
  }

  /**
   * Where every field of every document in {@code text} is: document index to path to span. A field
   * of a mapping starts at its key; the span of a container value has no end (see {@link Span}).
   */
  public Map<Integer, Map<FieldPath, Span>> spans(String text) {
    return spans(text, document -> true);
  }

  /**
   * As {@link #spans(String)}, for the documents {@code documents} accepts (by index) at least:
   * the block-style reader records no others.
   */
  public Map<Integer, Map<FieldPath, Span>> spans(String text, IntPredicate documents) {
    if (text.length() <= limits.maxDocumentCodePoints()) {
      Map<Integer, Map<FieldPath, Span>> all = BlockYaml.spans(text, limits.maxDepth(), documents);
      if (all != null) {
        return all;
      }
    }
    return spansGeneral(text);
  }

  /** As {@link #spans} but always with the general parser, which {@link BlockYaml} must agree with. */
  Map<Integer, Map<FieldPath, Span>> spansGeneral(String text) {
    Map<Integer, Map<FieldPath, Span>> all = new HashMap<>();
    new Walk(text, NO_SINK, all, false).run();
    return all;
  }

  private static final Sink NO_SINK = new Sink() {
    @Override
    public void document(int index, Position start, JsonNode root, String helmSource) {}

    @Override
    public void problem(Problem problem) {}
  };

  /** One pass over a stream; restarts after a syntax error at the next document separator. */
  private final class Walk {
    private final String text;
    private final Sink sink;
    private final Map<Integer, Map<FieldPath, Span>> positions;
    private final boolean tryBlockYaml;
    private int documentIndex;
    private int[] lineStarts;
    /** Searched once per stream: a stream of many documents must not be scanned once per document. */
    private final boolean hasHelmSources;

    Walk(String text, Sink sink, Map<Integer, Map<FieldPath, Span>> positions, boolean tryBlockYaml) {
      this.text = text;
      this.tryBlockYaml = tryBlockYaml;
      this.hasHelmSources = text.contains(HELM_SOURCE);
      this.sink = sink;
      this.positions = positions;
    }

    void run() {
      if (tryBlockYaml && text.length() <= limits.maxDocumentCodePoints()) {
        List<BlockYaml.Document> documents = BlockYaml.read(text, limits.maxDepth());
        if (documents != null) {
          for (BlockYaml.Document d : documents) {
            sink.document(documentIndex++, new Position(d.startLine() + 1, 1), d.root(), helmSource(d.startLine()));
          }
          return;
        }
      }
      int offset = 0;
      int lineOffset = 0;
      while (offset >= 0) {
        int errorLine = parseFrom(offset, lineOffset);
        if (errorLine < 0) {
          return;
        }
        int next = nextSeparatorLine(errorLine + 1);
        if (next < 0) {
          return;
        }
        offset = lineStarts[next];
        lineOffset = next;
      }
    }

    /** Parses text from {@code offset}; returns -1 when done or the 0-based line of a syntax error. */
    private int parseFrom(int offset, int lineOffset) {
      LoadSettings settings = LoadSettings.builder().setCodePointLimit(limits.maxDocumentCodePoints()).build();
      String chunk = offset == 0 ? text : text.substring(offset);
      ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, chunk));
      DocumentBuilder doc = null;
      try {
        while (parser.hasNext()) {
          Event event = parser.next();
          switch (event.getEventId()) {
            case DocumentStart -> doc = new DocumentBuilder(documentIndex, lineOffset, positions != null);
            case DocumentEnd -> {
              if (doc != null) {
                finish(doc, lineOffset);
              }
              doc = null;
              documentIndex++;
            }
            default -> {
              if (doc != null && !doc.accept(event)) {
                // The document broke a limit: report it once and skip to its end.
                sink.problem(new Problem(ProblemKind.LIMIT, documentIndex, doc.limitPosition, doc.limitMessage));
                skipDocument(parser);
                doc = null;
                documentIndex++;
              }
            }
          }
        }
        return -1;
      } catch (MarkedYamlEngineException e) {
        Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
        int line = mark == null ? lineOffset : mark.getLine() + lineOffset;
        // An unclosed quote or bracket is only noticed at the end of the stream, past the last line:
        // point at where the unclosed construct starts instead.
        Mark shown = mark != null && mark.getIndex() >= chunk.codePointCount(0, chunk.length()) - 1
            ? e.getContextMark().orElse(mark) : mark;
        Position at = shown == null ? new Position(line + 1, 1)
            : new Position(shown.getLine() + lineOffset + 1, shown.getColumn() + 1);
        String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
        ProblemKind kind = problem != null && problem.contains("code point limit") ? ProblemKind.LIMIT : ProblemKind.SYNTAX;
        String message = kind == ProblemKind.LIMIT
            ? "document is larger than " + limits.maxDocumentCodePoints() + " characters"
            : "invalid YAML: " + oneLine(problem);
        sink.problem(new Problem(kind, documentIndex, at, message));
        documentIndex++;
        return line;
      } catch (YamlEngineException e) {
        String problem = String.valueOf(e.getMessage());
        ProblemKind kind = problem.contains("code point limit") ? ProblemKind.LIMIT : ProblemKind.SYNTAX;
        String message = kind == ProblemKind.LIMIT
            ? "document is larger than " + limits.maxDocumentCodePoints() + " characters"
            : "invalid YAML: " + oneLine(problem);
        int line = doc == null ? lineOffset : doc.startLine;
        sink.problem(new Problem(kind, documentIndex, new Position(line + 1, 1), message));
        documentIndex++;
        return line;
      }
    }

    private void skipDocument(ParserImpl parser) {
      while (parser.hasNext()) {
        if (parser.next().getEventId() == Event.ID.DocumentEnd) {
          return;
        }
      }
    }

    private void finish(DocumentBuilder doc, int lineOffset) {
      for (Problem p : doc.problems) {
        sink.problem(p);
      }
      if (positions != null) {
        positions.put(doc.index, doc.positions);
      }
      Position start = new Position(doc.startLine + 1, 1);
      sink.document(doc.index, start, doc.root, doc.root == null ? null : helmSource(doc.startLine));
    }

    /** The {@code # Source:} comment helm template writes above each document, if any. */
    private String helmSource(int firstContentLine) {
      if (!hasHelmSources) {
        return null;
      }
      computeLineStarts();
      for (int line = Math.min(firstContentLine, lineStarts.length - 1); line >= 0; line--) {
        String content = lineAt(line);
        if (content.startsWith(HELM_SOURCE)) {
          return content.substring(HELM_SOURCE.length()).trim();
        }
        if (content.startsWith("---") && line < firstContentLine) {
          return null;
        }
      }
      return null;
    }

    private int nextSeparatorLine(int fromLine) {
      computeLineStarts();
      for (int line = fromLine; line < lineStarts.length; line++) {
        if (lineAt(line).startsWith("---")) {
          return line;
        }
      }
      return -1;
    }

    private String lineAt(int line) {
      int start = lineStarts[line];
      int end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length();
      return text.substring(start, Math.max(start, end));
    }

    private void computeLineStarts() {
      if (lineStarts != null) {
        return;
      }
      lineStarts = YamlReader.lineStarts(text);
    }
  }

  /** The offset in {@code text} where each line starts, the first at 0. */
  static int[] lineStarts(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    int[] starts = new int[lines];
    for (int i = 0, line = 1; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[line++] = i + 1;
      }
    }
    return starts;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** Builds one document's tree from parser events, iteratively, within the limits. */
  private final class DocumentBuilder {
    final int index;
    final int lineOffset;
    final Map<FieldPath, Span> positions;
    final List<Problem> problems = new ArrayList<>();
    final Deque<Frame> stack = new ArrayDeque<>();
    final Map<String, Anchored> anchors = new HashMap<>();
    JsonNode root;
    int startLine;
    boolean started;
    long aliasNodes;
    Position limitPosition;
    String limitMessage;

    DocumentBuilder(int index, int lineOffset, boolean recordPositions) {
      this.index = index;
      this.lineOffset = lineOffset;
      this.startLine = lineOffset;
      this.positions = recordPositions ? new HashMap<>() : null;
    }

    /** Consumes one event; false when a limit is broken. */
    boolean accept(Event event) {
      // Positions are made only when needed: most documents are read without recording them.
      Mark at = event.getStartMark().orElse(null);
      if (!started && at != null) {
        startLine = at.getLine() + lineOffset;
        started = true;
      }
      switch (event.getEventId()) {
        case MappingStart, SequenceStart -> {
          if (stack.size() >= limits.maxDepth()) {
            return breakLimit(at, "nesting deeper than " + limits.maxDepth() + " levels");
          }
          Frame frame = event.getEventId() == Event.ID.MappingStart
              ? new Frame(new FieldMap<>(), anchorOf(event)) : new Frame(new ArrayList<>(4), anchorOf(event));
          frame.path = place(frame.node, at, null);
          stack.push(frame);
        }
        case MappingEnd, SequenceEnd -> {
          Frame done = stack.pop();
          done.trim();
          if (done.anchor != null) {
            anchors.put(done.anchor, new Anchored(done.node, done.nodeCount));
          }
          if (!stack.isEmpty()) {
            stack.peek().nodeCount += done.nodeCount;
          }
        }
        case Scalar -> {
          ScalarEvent scalar = (ScalarEvent) event;
          Frame top = stack.peek();
          if (top != null && top.node.isObject() && top.pendingKey == null) {
            String key = Canonical.key(scalar.getValue());
            if (((ObjectNode) top.node).has(key)) {
              problems.add(new Problem(ProblemKind.DUPLICATE_KEY, index, position(at), "duplicate key \"" + key + "\""));
            }
            top.pendingKey = key;
            top.pendingKeyPosition = at;
            return true;
          }
          JsonNode value = scalarValue(scalar);
          place(value, at, event.getEndMark().orElse(null));
          if (top != null) {
            top.nodeCount++;
          }
          String anchor = anchorOf(event);
          if (anchor != null) {
            anchors.put(anchor, new Anchored(value, 1));
          }
        }
        case Alias -> {
          String name = ((AliasEvent) event).getAlias().getValue();
          Anchored target = anchors.get(name);
          Frame top = stack.peek();
          if (target == null) {
            problems.add(new Problem(ProblemKind.SYNTAX, index, position(at), "unknown alias *" + name));
            place(NODES.nullNode(), at, event.getEndMark().orElse(null));
            return true;
          }
          if (top != null && top.node.isObject() && top.pendingKey == null) {
            top.pendingKey = target.node.asText();
            top.pendingKeyPosition = at;
            return true;
          }
          aliasNodes += target.nodeCount;
          if (aliasNodes > limits.maxAliasNodes()) {
            return breakLimit(at, "aliases expand to more than " + limits.maxAliasNodes() + " nodes");
          }
          place(target.node, at, event.getEndMark().orElse(null));
          if (top != null) {
            top.nodeCount += target.nodeCount;
          }
        }
        default -> { }
      }
      return true;
    }

    private boolean breakLimit(Mark at, String message) {
      limitPosition = position(at);
      limitMessage = message;
      return false;
    }

    /**
     * Attaches a node under the current container; returns its path when positions are recorded.
     * {@code end} is where a scalar or alias ends, null for a container.
     */
    private FieldPath place(JsonNode node, Mark at, Mark end) {
      Frame top = stack.peek();
      FieldPath path = null;
      if (top == null) {
        root = node;
        path = positions == null ? null : FieldPath.ROOT;
        record(path, at, end);
      } else if (top.node.isObject()) {
        String key = top.pendingKey == null ? "" : top.pendingKey;
        ((ObjectNode) top.node).set(key, node);
        if (positions != null) {
          path = top.path.key(key);
          record(path, top.pendingKeyPosition, end);
        }
        top.pendingKey = null;
      } else {
        ArrayNode array = (ArrayNode) top.node;
        if (positions != null) {
          path = top.path.index(array.size());
          record(path, at, end);
        }
        array.add(node);
      }
      return path;
    }

    private void record(FieldPath path, Mark at, Mark end) {
      if (positions != null && path != null && at != null) {
        positions.putIfAbsent(path, new Span(position(at), position(end)));
      }
    }

    private Position position(Mark mark) {
      return mark == null ? null : new Position(mark.getLine() + lineOffset + 1, mark.getColumn() + 1);
    }
  }

  private static String anchorOf(Event event) {
    return event instanceof NodeEvent n ? n.getAnchor().map(Anchor::getValue).orElse(null) : null;
  }

  private static final class Frame {
    final JsonNode node;
    /** The container's own collection, made compact when it is complete. */
    private final FieldMap<JsonNode> fields;
    private final ArrayList<JsonNode> elements;
    final String anchor;
    FieldPath path;
    String pendingKey;
    Mark pendingKeyPosition;
    long nodeCount = 1;

    Frame(FieldMap<JsonNode> fields, String anchor) {
      this.node = new ObjectNode(NODES, fields);
      this.fields = fields;
      this.elements = null;
      this.anchor = anchor;
    }

    Frame(ArrayList<JsonNode> elements, String anchor) {
      this.node = new ArrayNode(NODES, elements);
      this.fields = null;
      this.elements = elements;
      this.anchor = anchor;
    }

    void trim() {
      if (fields != null) {
        fields.trim();
      } else {
        elements.trimToSize();
      }
    }
  }

  private record Anchored(JsonNode node, long nodeCount) {}

  /** Types a scalar as Kubernetes' YAML decoder does; quoted and block scalars are strings. */
  static JsonNode scalarValue(ScalarEvent scalar) {
    String v = scalar.getValue();
    Optional<String> tag = scalar.getTag();
    if (tag.isPresent() && !tag.get().equals("!")) {
      return taggedValue(tag.get(), v);
    }
    if (!scalar.isPlain()) {
      return Canonical.text(v);
    }
    return plainValue(v);
  }

  private static JsonNode taggedValue(String tag, String v) {
    return switch (tag) {
      case "tag:yaml.org,2002:str" -> Canonical.text(v);
      case "tag:yaml.org,2002:null" -> NODES.nullNode();
      default -> plainValue(v);
    };
  }

  static JsonNode plainValue(String v) {
    if (v.isEmpty()) {
      return NODES.nullNode();
    }
    char c = v.charAt(0);
    if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.' || "tTfFnNyYoO~".indexOf(c) >= 0)) {
      return Canonical.text(v);
    }
    switch (v) {
      case "~", "null", "Null", "NULL":
        return NODES.nullNode();
      case "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
        return NODES.booleanNode(true);
      case "false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF":
        return NODES.booleanNode(false);
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
        return NODES.numberNode(Double.POSITIVE_INFINITY);
      case "-.inf", "-.Inf", "-.INF":
        return NODES.numberNode(Double.NEGATIVE_INFINITY);
      case ".nan", ".NaN", ".NAN":
        return NODES.numberNode(Double.NaN);
      default:
        break;
    }
    // The patterns below all start with a sign, a digit or a dot; plain decimals are the common case.
    if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
      return Canonical.text(v);
    }
    if (v.length() <= 9 && c != '0' && allDigits(v)) {
      return NODES.numberNode(Integer.parseInt(v));
    }
    if (INT.matcher(v).matches()) {
      return integer(v, v.replace("_", ""), 10);
    }
    if (HEX.matcher(v).matches()) {
      String digits = v.replace("_", "");
      boolean negative = digits.startsWith("-");
      String body = digits.substring(digits.indexOf('x') + 1);
      return integer(v, (negative ? "-" : "") + body, 16);
    }
    if (OCTAL.matcher(v).matches()) {
      String digits = v.replace("_", "");
      int o = digits.indexOf('o');
      return integer(v, o < 0 ? digits : digits.substring(0, o - 1) + digits.substring(o + 1), 8);
    }
    if (FLOAT.matcher(v).matches() && !v.equals(".") && !v.equals("-.") && !v.equals("+.")) {
      return NODES.numberNode(Double.parseDouble(v.replace("_", "")));
    }
    return Canonical.text(v);
  }

  private static boolean allDigits(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code digits} (underscores and prefix gone) as a number; {@code plain} as text when no digit is left ({@code 0x_}), as Kubernetes' decoder reads it. */
  private static JsonNode integer(String plain, String digits, int radix) {
    String unsigned = digits.startsWith("+") || digits.startsWith("-") ? digits.substring(1) : digits;
    if (unsigned.isEmpty()) {
      return Canonical.text(plain);
    }
    if (radix == 10 && digits.length() <= 9) {
      return NODES.numberNode(Integer.parseInt(digits));
    }
    BigInteger big = new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits, radix);
    if (big.bitLength() < 32) {
      return NODES.numberNode(big.intValue());
    }
    if (big.bitLength() < 64) {
      return NODES.numberNode(big.longValue());
    }
    return NODES.numberNode(big);
  }
}
