package io.meshlint.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.BuiltinRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A manifest whose keys all share one {@code String.hashCode} (as bench/hostile.py writes, 90,000
 * of them in 2.7 MB) is read, checked and located in time linear in its size: the maps keyed by
 * field names or paths hash them with a seed of their own.
 */
class CollidingKeysTest {
  private static final String[] PAIRS = {"Aa", "BB", "C#"};

  /** {@code n} distinct keys of 11 pairs, all of one Java hash code. */
  static List<String> collidingKeys(int n) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder key = new StringBuilder();
      for (int j = 0, rest = i; j < 11; j++, rest /= 3) {
        key.append(PAIRS[rest % 3]);
      }
      keys.add(key.toString());
    }
    return keys;
  }

  @Test
  void theKeysCollide() {
    List<String> keys = collidingKeys(1000);
    assertEquals(1000, new HashSet<>(keys).size());
    assertEquals(1, keys.stream().map(String::hashCode).distinct().count());
  }

  @Test
  void aDocumentOf90000CollidingKeysLintsWithItsUsualFinding() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: hostile
          namespace: default
          labels:
        """);
    collidingKeys(90_000).forEach(k -> yaml.append("    ").append(k).append(": xx\n"));
    int gatewaysLine = (int) yaml.chars().filter(c -> c == '\n').count() + 3;
    yaml.append("spec:\n  hosts: [reviews]\n  gateways: [missing-gateway]\n");
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
        YamlReader.Limits.DEFAULT);
    // Quadratic maps took minutes here; the whole run takes a few seconds on a busy machine.
    List<Finding> findings = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> linter.lint(List.of(SourceFile.ofText("hostile.yaml", yaml.toString())), List.of()).findings());
    Finding gateway = findings.stream().filter(f -> f.message().contains("missing-gateway")).findFirst().orElseThrow();
    assertEquals("IST0101", gateway.rule().code());
    assertEquals(gatewaysLine, gateway.location().line());
  }

  @Test
  void aLargeFieldMapFindsUpdatesAndRemovesCollidingKeys() {
    FieldMap<JsonNode> map = new FieldMap<>();
    List<String> keys = collidingKeys(100);
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), IntNode.valueOf(i));
    }
    assertEquals(100, map.size());
    assertEquals(IntNode.valueOf(42), map.get(keys.get(42)));
    assertEquals(IntNode.valueOf(42), map.put(keys.get(42), IntNode.valueOf(-1)));
    assertEquals(IntNode.valueOf(-1), map.remove(keys.get(42)));
    assertNull(map.get(keys.get(42)));
    assertEquals(IntNode.valueOf(43), map.get(keys.get(43)));
    List<String> order = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : map.entrySet()) {
      order.add(e.getKey());
    }
    List<String> expected = new ArrayList<>(keys);
    expected.remove(42);
    assertEquals(expected, order);
  }
}
