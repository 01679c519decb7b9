package io.meshlint.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.Linter;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trace fixtures: {@code src/test/resources/trace/NAME.yaml} holds the manifests of one semantic
 * point, {@code NAME.expect.yaml} beside it the requests to trace through them and what each must
 * give. An expectation lists the parts of the trace's JSON it pins: objects compare only the keys
 * they give, lists element by element (same length), a string starting with {@code ~} only needs
 * to be contained. A case with {@code error:} expects a usage error whose message contains it.
 *
 * <pre>
 * - case: the header picks v2
 *   url: http://reviews.shop/
 *   from: workload:shop/productpage
 *   headers: ["end-user: jason"]
 *   expect:
 *     outcome: {result: routed}
 *     destinations: [{subset: v2, weight: 100}]
 * </pre>
 */
class TraceFixturesTest {
  static final Path ROOT = Path.of("src/test/resources/trace");

  record Case(Path manifests, JsonNode spec) {}

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT)) {
      for (Path expect : files.filter(p -> p.toString().endsWith(".expect.yaml")).sorted().toList()) {
        Path manifests = Path.of(expect.toString().replace(".expect.yaml", ".yaml"));
        assertTrue(Files.isRegularFile(manifests), "no manifests beside " + expect);
        for (JsonNode spec : read(expect).get(0)) {
          String name = manifests.getFileName() + ": " + spec.path("case").asText(spec.path("url").asText());
          out.add(Arguments.of(Named.of(name, new Case(manifests, spec))));
        }
      }
    }
    assertFalse(out.isEmpty(), "no trace fixtures under " + ROOT);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tracesAsExpected(Case c) {
    JsonNode spec = c.spec();
    List<String> headers = new ArrayList<>();
    spec.path("headers").forEach(h -> headers.add(h.asText()));
    Request request = Request.parse(spec.path("url").asText(), spec.path("method").asText("GET"), headers,
        spec.path("from").asText("gateway"));
    Tracer tracer = new Tracer(mesh(c.manifests()));
    if (spec.has("error")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tracer.trace(request));
      assertTrue(e.getMessage().contains(spec.path("error").asText()), e.getMessage());
      return;
    }
    JsonNode actual = TraceJson.of(tracer.trace(request));
    List<String> problems = new ArrayList<>();
    compare(spec.path("expect"), actual, "", problems);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\ntrace:\n" + actual.toPrettyString());
    }
  }

  /** Loads the manifests as lint does (no rules: only the mesh matters here). */
  static MeshIndex mesh(Path manifests) {
    Engine.Selection none = new Engine.Selection(Map.of(), java.util.Set.of(), java.util.Set.of(), p -> false);
    Linter linter = new Linter(List.of(), none, Settings.DEFAULT, null, YamlReader.Limits.DEFAULT);
    return linter.run(List.of(SourceFile.ofPath(manifests, manifests.toString())), List.of()).mesh();
  }

  private static void compare(JsonNode expected, JsonNode actual, String at, List<String> problems) {
    if (expected.isObject()) {
      if (!actual.isObject()) {
        problems.add(at + ": expected an object, got " + actual);
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!actual.has(e.getKey())) {
          problems.add(at + "." + e.getKey() + ": missing");
        } else {
          compare(e.getValue(), actual.get(e.getKey()), at + "." + e.getKey(), problems);
        }
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        problems.add(at + ": expected " + expected.size() + " elements, got " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(expected.get(i), actual.get(i), at + "[" + i + "]", problems);
      }
    } else if (expected.isTextual() && expected.asText().startsWith("~")) {
      if (!actual.isTextual() || !actual.asText().contains(expected.asText().substring(1))) {
        problems.add(at + ": expected text containing \"" + expected.asText().substring(1) + "\", got " + actual);
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        problems.add(at + ": expected " + expected + ", got " + actual);
      }
    } else if (!expected.equals(actual)) {
      problems.add(at + ": expected " + expected + ", got " + actual);
    }
  }

  private static List<JsonNode> read(Path file) {
    try {
      YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(Files.readString(file));
      assertEquals(List.of(), parsed.problems(), file + " is not valid YAML");
      return parsed.documents();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
