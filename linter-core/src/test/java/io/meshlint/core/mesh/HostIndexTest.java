package io.meshlint.core.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HostIndexTest {
  private static final List<String> HOSTS = List.of("a.example.com", "b.example.com", "*.example.com",
      "*.shop.example.com", "shop.example.com", "x.shop.example.com", "example.org", "*", "*.org");

  /** The index must answer exactly what comparing the host with every indexed host would. */
  @Test
  void agreesWithPairwiseMatching() {
    HostIndex<String> index = new HostIndex<>();
    HOSTS.forEach(h -> index.add(h, h));
    List<String> queries = List.of("a.example.com", "*.example.com", "*.shop.example.com", "x.shop.example.com",
        "example.com", "*.com", "*", "other.net", "*.net", "example.org", "*.example.org");
    for (String q : queries) {
      Set<String> expected = new TreeSet<>();
      HOSTS.stream().filter(h -> Hosts.intersect(h, q)).forEach(expected::add);
      assertEquals(expected, new TreeSet<>(index.intersecting(q)), q);
    }
  }

  /** Rules name what matches in the order it was indexed: a wildcard question lists hosts in the order added. */
  @Test
  void answersAWildcardInTheOrderValuesWereAdded() {
    HostIndex<String> index = new HostIndex<>();
    index.add("a.x.com", "A");
    index.add("b.x.com", "B");
    index.add("a.x.com", "C");
    assertEquals(List.of("A", "B", "C"), List.copyOf(index.intersecting("*.x.com")));
    index.add("c.x.com", "D");
    assertEquals(List.of("A", "B", "C", "D"), List.copyOf(index.intersecting("*.com")));
  }
}
