package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.mesh.Dependents;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which checks read a key decides which checks an admission request runs again: none may be missed. */
class ReadersByKeyTest {
  private final List<Resource> subjects = new Loader("default", YamlReader.Limits.DEFAULT)
      .load(List.of(SourceFile.ofText("s.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n"
          + "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n---\n"
          + "apiVersion: v1\nkind: Service\nmetadata:\n  name: c\n")), true)
      .resources();

  /** The same readers as each rule's own record of its reads, for keys alone and for hosts. */
  @Test
  void everyKeyGivesEachRuleItsReaders() {
    Map<String, Dependents> byRule = new HashMap<>();
    for (int rule = 0; rule < 4; rule++) {
      Dependents d = new Dependents();
      for (int key = rule; key < 5_000; key += rule + 1) {
        Resource subject = subjects.get(key % subjects.size());
        if (key % 3 == 0) {
          d.logFor(subject).read("host|" + key, "svc" + key % 7 + ".example.com");
        } else {
          d.logFor(subject).read("key|" + key, null);
        }
      }
      byRule.put("R" + rule, d);
    }
    ReadersByKey readers = new ReadersByKey(byRule, Map.of());
    for (int key = 0; key < 5_100; key++) {
      for (String host : new String[] {null, "svc3.example.com", "*.example.com"}) {
        String name = (key % 3 == 0 ? "host|" : "key|") + key;
        Dependents.Key touched = new Dependents.Key(name, key % 3 == 0 ? host : null);
        for (Map.Entry<String, Dependents> rule : byRule.entrySet()) {
          Set<Resource> expected = identitySet();
          rule.getValue().collect(List.of(touched), expected);
          Set<Resource> found = identitySet();
          readers.of(name).stream().filter(r -> r.code().equals(rule.getKey()))
              .forEach(r -> r.all().addTo(touched.host(), found));
          assertEquals(expected, found, rule.getKey() + " " + touched);
        }
      }
    }
  }

  /** A rule reported once per subject also gives the readers it did not report, apart. */
  @Test
  void givesTheUnreportedReadersOfRulesReportedOncePerSubject() {
    Dependents all = new Dependents();
    subjects.forEach(s -> all.logFor(s).read("gatewayCertificate|wildcard", null));
    Dependents unreported = all.filtered(s -> s.name().equals("b"));
    ReadersByKey readers = new ReadersByKey(Map.of("IST0138", all), Map.of("IST0138", unreported));
    ReadersByKey.Reading read = readers.of("gatewayCertificate|wildcard").get(0);
    Set<Resource> found = identitySet();
    read.unreported().addTo(null, found);
    assertEquals(List.of("b"), found.stream().map(Resource::name).toList());
    found.clear();
    read.all().addTo(null, found);
    assertEquals(3, found.size());
  }

  /** Keys of one hash share their readers: a check too many is run again, none is left out. */
  @Test
  void keysOfOneHashGiveTheReadersOfBoth() {
    assertEquals("Aa".hashCode(), "BB".hashCode());
    Dependents first = new Dependents();
    first.logFor(subjects.get(0)).read("Aa", null);
    Dependents second = new Dependents();
    second.logFor(subjects.get(1)).read("BB", null);
    ReadersByKey readers = new ReadersByKey(Map.of("R1", first, "R2", second), Map.of());
    for (String key : List.of("Aa", "BB")) {
      List<String> codes = new ArrayList<>();
      readers.of(key).forEach(r -> codes.add(r.code()));
      assertTrue(codes.containsAll(List.of("R1", "R2")), key + ": " + codes);
    }
    assertEquals(List.of(), readers.of("never read"));
  }

  private static Set<Resource> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
