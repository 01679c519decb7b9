package io.meshlint.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  private final YamlReader reader = new YamlReader(YamlReader.Limits.DEFAULT);

  @Test
  void typesScalarsAsKubernetesDoes() {
    JsonNode doc = reader.parse("""
        a: 80
        b: "80"
        c: yes
        d: 1.5
        e: ~
        f: 0x1F
        g: 2s
        h: |
          text
        """).documents().get(0);
    assertTrue(doc.get("a").isInt());
    assertTrue(doc.get("b").isTextual());
    assertTrue(doc.get("c").isBoolean(), "YAML 1.1 booleans, as go-yaml v2 reads them");
    assertTrue(doc.get("d").isDouble());
    assertTrue(doc.get("e").isNull());
    assertEquals(31, doc.get("f").asInt());
    assertEquals("2s", doc.get("g").asText());
    assertEquals("text\n", doc.get("h").asText());
  }

  @Test
  void prefixesWithoutDigitsAreText() {
    JsonNode doc = reader.parse("a: 0x_\nb: 0o_\nc: -0x_\nd: 0x_1\n").documents().get(0);
    assertEquals("0x_", doc.get("a").asText());
    assertTrue(doc.get("a").isTextual());
    assertEquals("0o_", doc.get("b").asText());
    assertEquals("-0x_", doc.get("c").asText());
    assertEquals(1, doc.get("d").asInt());
  }

  @Test
  void recordsPositionsOfKeysAndListElements() {
    String text = """
        apiVersion: v1
        kind: X
        spec:
          gateways:
          - mesh
          - "calcapps-dev-gatway"
          http:
          - route:
            - destination: {host: a}
        """;
    Map<FieldPath, Span> spans = reader.spans(text).get(0);
    assertEquals(new Position(6, 5), spans.get(FieldPath.parse("spec.gateways[1]")).start());
    assertEquals(new Position(3, 1), spans.get(FieldPath.parse("spec")).start());
    assertEquals(new Position(9, 21), spans.get(FieldPath.parse("spec.http[0].route[0].destination.host")).start());
  }

  @Test
  void spansRunFromTheKeyToTheEndOfTheValueAndContainersEndWithTheirFirstLine() {
    String text = """
        apiVersion: v1
        kind: X
        metadata:
          name: "é-😀"   # a comment
        spec:
          gateways: [a, b]   \t
          note: |
            two
            lines
          list:
          - one
        """;
    Locator locator = new Locator(SourceFile.ofText("x.yaml", text), YamlReader.Limits.DEFAULT);
    // Columns count code points: the emoji is one.
    assertEquals(new Span(new Position(4, 3), new Position(4, 14)), locator.span(0, FieldPath.parse("metadata.name")));
    assertEquals(new Span(new Position(6, 3), new Position(6, 19)), locator.span(0, FieldPath.parse("spec.gateways")));
    assertEquals(new Span(new Position(6, 17), new Position(6, 18)), locator.span(0, FieldPath.parse("spec.gateways[1]")));
    assertEquals(new Span(new Position(5, 1), new Position(5, 6)), locator.span(0, FieldPath.parse("spec")));
    assertEquals(new Position(7, 3), locator.span(0, FieldPath.parse("spec.note")).start());
    assertEquals(new Span(new Position(11, 5), new Position(11, 8)), locator.span(0, FieldPath.parse("spec.list[0]")));
    // An absent field spans its nearest ancestor.
    assertEquals(locator.span(0, FieldPath.parse("spec.list")), locator.span(0, FieldPath.parse("spec.list[3].x")));
  }

  @Test
  void aLocatorOfSomeDocumentsLocatesThoseOnly() {
    String text = "a: 1\n---\nb:\n  c: [x, y]\n";
    Locator locator = new Locator(SourceFile.ofText("x.yaml", text), YamlReader.Limits.DEFAULT, document -> document == 1);
    assertEquals(new Span(new Position(4, 10), new Position(4, 11)), locator.span(1, FieldPath.parse("b.c[1]")));
    assertThrows(IllegalArgumentException.class, () -> locator.span(0, FieldPath.parse("a")));
  }

  @Test
  void resumesAfterASyntaxErrorAtTheNextDocument() {
    YamlReader.Parsed parsed = reader.parse("""
        a: 1
        ---
        b: [unclosed
        c: 2
        ---
        d: 3
        """);
    assertEquals(2, parsed.documents().size());
    assertEquals(3, parsed.documents().get(1).get("d").asInt());
    assertEquals(1, parsed.problems().size());
    assertEquals(YamlReader.ProblemKind.SYNTAX, parsed.problems().get(0).kind());
  }

  @Test
  void keepsTheHelmTemplateOfEachDocument() {
    String text = """
        ---
        # Source: shop/templates/service.yaml
        apiVersion: v1
        kind: Service
        metadata: {name: a, namespace: shop}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b, namespace: shop}
        """;
    Loader loader = new Loader("default", YamlReader.Limits.DEFAULT);
    List<Resource> resources = loader.load(List.of(SourceFile.ofText("out.yaml", text)), true).resources();
    assertEquals("shop/templates/service.yaml", resources.get(0).helmSource());
    assertEquals(null, resources.get(1).helmSource());
  }

  @Test
  void locatesTheFieldOfAListItemAndFallsBackToTheNearestParent() {
    String text = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Service
          metadata:
            name: a
        """;
    SourceFile file = SourceFile.ofText("list.yaml", text);
    Locator locator = new Locator(file, YamlReader.Limits.DEFAULT);
    assertEquals(7, locator.locate(0, FieldPath.parse("items[0].metadata.name")).line());
    assertEquals(6, locator.locate(0, FieldPath.parse("items[0].metadata.labels.app")).line());
  }
}
