package io.meshlint.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The block-style reader must give exactly what the general parser gives, or give up. */
class BlockYamlTest {
  private final YamlReader reader = new YamlReader(YamlReader.Limits.DEFAULT);

  private static final List<String> SNIPPETS = List.of(
      "", "# c\n", "---\n", "---", "a: 1\n---\n", "a: 1\n---\n# c", "---\n---\n", "--- \na: 1\n", "a: 1\n---\n---\nb: 2",
      "a:\n", "a:\nb: 2\n", "a:\n- 1\n- 2\nb:\n  - x\n", "- a\n- b\n", "-\n- b\n", "- \n  a: 1\n", "a:\n  b:\n  c: 1\n",
      "- a: 1\n  b: 2\n- c: 3\n", "- a:\n  - 1\n  b: 2\n", "-    a: 1\n     b: 2\n", "a:\n  - b:\n      c: 1\n    d: 2\n  - e\n",
      "  a: 1\n  b: 2\n", "a:\n\n\n  b: 1\n", "a:    \n  b: 1\n", "a:\n  -\n  - b\n", "- #c\n- x\n",
      "a: 'x''y'\n", "a: \"x y\"  # c\n", "\"a b\": 1\n'c': 2\n", "'': 1\n", "a: ''\n", "a: x #c\nb: y#z\n",
      "a: ?x\nb: :x\nc: -x\n", "a: http://x:80/y\n", "a: x,y\nb: x]\nc: ---\n", "key with space: v\n", "a: café\n",
      "a: yes\nb: No\nc: 0x1F\nd: 1e3\ne: .5\nf: 012\ng: 0o17\nh: ~\ni: null\nj: ON\nk: .inf\nl: 99999999999999999999\n",
      "a: [1, 2]\n", "a: [ ]\n", "a: { }\n", "a: [x, 'y''z', \"w\", '']\n", "a: [a,b]\n", "a: [ a , b ]  # c\n",
      "a: {x: 1, 'y': \"z\", \"\": ''}\n", "a: {x: yes,y: 0x1F , z: ~}\n", "- [a]\n- {b: c}\n- []\n", "a:\n  - [a, b]\n  - c\n",
      "a: {b: a#b, c: a'b}\n", "a: [-a, .5, ?x, :x]\n", "a: [a]\nb: {c: d}\n---\nc: [e]\n",
      "# Source: x/y.yaml\n---\n# Source: z/w.yaml\na: 1\n---\n# Source: v.yaml\n",
      // Given up on: the general parser reads these.
      "a: b: c\n", "a: \"x\"#c\n", "a: [ ]\n", "a: [1, 2]\n", "a: |\n  x\n", "a: x\n  y\n", "a: x\n# c\n  y\n",
      "  a: 1\nb: 2\n", "a: 1\n  b: 2\n", "a: 1\na: 2\n", "x\n", "- - a\n", "b: - 1\n", "a : 1\n", "a:1\n", "a: &x 1\nb: *x\n",
      "a: !!str 1\n", "- a\n  - b\n", "a:\n- 1\nb:\n- 2\n  c: 3\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n", "a: \"\\n\"\n",
      "a: 'x\n  y'\n", "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "a: \t1\n", "[a]\n", "{a: 1}\n", "a[0]: 1\n", "a:\n b: 1\n  c: 2\n",
      "---a\n", "a: -\n",
      "a: {b: c, b: d}\n", "a: [a, ]\n", "a: [, a]\n", "a: [[a]]\n", "a: [{b: c}]\n", "a: {b: [c]}\n", "a: [a: b]\n",
      "a: {a}\n", "a: {a:b}\n", "a: {a :b}\n", "a: {a: }\n", "a: {\"a\":1}\n", "a: [http://x]\n", "a: [a #c]\n", "a: [a]b\n",
      "a: [a] [b]\n", "a: [a]#c\n", "a: [a\n  ,b]\n", "a: [a,\n  b]\n", "a: [-]\n", "a: [- a]\n", "a: [\"a\\nb\"]\n", "a: ['a]\n",
      "a: [&x a, *x]\n", "a: [!!str 1]\n", "a: {? b}\n", "a: [a] # c\n  b: 1\n");

  @Test
  void agreesWithTheGeneralParserOnSnippets() {
    SNIPPETS.forEach(this::assertAgrees);
  }

  @Test
  void agreesWithTheGeneralParserOnFixturesAndTheirMutants() throws IOException {
    List<String> texts = new ArrayList<>();
    for (Path dir : List.of(Path.of("src/main/resources/meshlint"), Path.of("../examples"))) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          texts.add(Files.readString(p));
        }
      }
    }
    texts.forEach(this::assertAgrees);
    Random random = new Random(1);
    String inserted = " \n-:#'\"[]{}|>&*!?,.0a\t~";
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder(texts.get(random.nextInt(texts.size())));
      for (int m = 0; m < 3 && text.length() > 0; m++) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(3)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, inserted.charAt(random.nextInt(inserted.length())));
          default -> text.insert(at, "  ");
        }
      }
      assertAgrees(text.toString());
    }
  }

  @Test
  void readsPlainManifestsItselfAndGivesUpOnTheRest() {
    assertNotNull(BlockYaml.read("""
        apiVersion: v1
        kind: Service
        metadata:
          name: a  # comment
          annotations:
            "x.io/y": 'z'
        spec:
          ports:
          - port: 80
            targetPort: 8080
          selector: {}
        """, 100));
    assertNull(BlockYaml.read("a:\n  b:\n    c: 1\n", 2), "deeper than the limit: the general parser reports it");
    assertNull(BlockYaml.read("a:\n  b: []\n", 2), "a flow collection counts as a level");
    assertNotNull(BlockYaml.read("spec:\n  hosts: [reviews, \"a.b\"]\n  labels: {app: x, 'v': \"1\"}\n", 100));
  }

  @Test
  void recordsTheSpansOfFieldsItselfWhenItReadsTheText() {
    String text = """
        a:
          b: [x, "y"]   # c
          c:
          - {d: 1}
          -
          - e: 'f'
        """;
    Map<FieldPath, Span> spans = BlockYaml.spans(text, 100, document -> true).get(0);
    assertEquals(new Span(new Position(2, 3), null), spans.get(FieldPath.parse("a.b")));
    assertEquals(new Span(new Position(2, 10), new Position(2, 13)), spans.get(FieldPath.parse("a.b[1]")));
    assertEquals(new Span(new Position(4, 6), new Position(4, 10)), spans.get(FieldPath.parse("a.c[0].d")));
    assertEquals(new Span(new Position(5, 4), new Position(5, 4)), spans.get(FieldPath.parse("a.c[1]")));
    assertEquals(new Span(new Position(6, 5), new Position(6, 11)), spans.get(FieldPath.parse("a.c[2].e")));
    assertEquals(spans, reader.spansGeneral(text).get(0));
  }

  /** Both readers give the same trees, problems and spans; the block-style reader reads a text for spans exactly when it reads it for trees. */
  private void assertAgrees(String text) {
    assertEquals(calls(text, false), calls(text, true), text);
    int maxDepth = YamlReader.Limits.DEFAULT.maxDepth();
    Map<Integer, Map<FieldPath, Span>> spans = BlockYaml.spans(text, maxDepth, document -> true);
    assertEquals(BlockYaml.read(text, maxDepth) != null, spans != null, text);
    if (spans != null) {
      Map<Integer, Map<FieldPath, Span>> general = sorted(reader.spansGeneral(text));
      assertEquals(general, sorted(spans), text);
      // Recording some documents only gives theirs.
      Map<Integer, Map<FieldPath, Span>> odd = sorted(BlockYaml.spans(text, maxDepth, document -> document % 2 == 1));
      general.keySet().removeIf(document -> document % 2 == 0);
      assertEquals(general, odd, text);
    }
  }

  private static Map<Integer, Map<FieldPath, Span>> sorted(Map<Integer, Map<FieldPath, Span>> spans) {
    Map<Integer, Map<FieldPath, Span>> out = new TreeMap<>();
    spans.forEach((document, fields) -> out.put(document, new TreeMap<>(fields)));
    return out;
  }

  /** What a reader tells its sink, trees written out with their node classes. */
  private List<String> calls(String text, boolean general) {
    List<String> out = new ArrayList<>();
    YamlReader.Sink sink = new YamlReader.Sink() {
      @Override
      public void document(int index, Position start, JsonNode root, String helmSource) {
        StringBuilder tree = new StringBuilder();
        write(root, tree);
        out.add(index + " " + start + " " + helmSource + " " + tree);
      }

      @Override
      public void problem(YamlReader.Problem problem) {
        out.add(problem.toString());
      }
    };
    if (general) {
      reader.readGeneral(text, sink);
    } else {
      reader.read(text, sink);
    }
    return out;
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null) {
      out.append("none");
    } else if (node.isObject()) {
      out.append('{');
      node.fields().forEachRemaining(e -> {
        out.append(e.getKey()).append('=');
        write(e.getValue(), out);
        out.append(',');
      });
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      node.forEach(e -> {
        write(e, out);
        out.append(',');
      });
      out.append(']');
    } else {
      out.append(node.getClass().getSimpleName()).append(':').append(node);
    }
  }
}
