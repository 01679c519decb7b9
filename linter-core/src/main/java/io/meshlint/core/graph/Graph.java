package io.meshlint.core.graph;

import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routing the manifests configure, with the findings of the run on it; built by
 * {@link GraphBuilder}. Nodes are in a stable order (by type, namespace, name), edges in the order
 * the resources define them.
 *
 * @param findings every finding of the run (of the resources drawn, after {@link #focus}), also those drawn
 *     nowhere, for a list beside the picture
 */
public record Graph(List<Node> nodes, List<Edge> edges, List<Finding> findings) {
  /** The group name of nodes outside every namespace (external hosts). */
  public static final String NO_NAMESPACE = "(external)";

  public Graph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    findings = List.copyOf(findings);
  }

  public Node node(String id) {
    for (Node n : nodes) {
      if (n.id().equals(id)) {
        return n;
      }
    }
    return null;
  }

  /** The namespaces nodes are grouped in, sorted, {@link #NO_NAMESPACE} last when some node has none. */
  public List<String> namespaces() {
    Set<String> named = new TreeSet<>();
    boolean none = false;
    for (Node n : nodes) {
      if (n.namespace() == null) {
        none = true;
      } else {
        named.add(n.namespace());
      }
    }
    List<String> out = new ArrayList<>(named);
    if (none) {
      out.add(NO_NAMESPACE);
    }
    return out;
  }

  /** The group a node is drawn in. */
  public static String groupOf(Node n) {
    return n.namespace() == null ? NO_NAMESPACE : n.namespace();
  }

  /**
   * Only what {@code focus} reaches and what reaches it. {@code focus} is {@code KIND/NAMESPACE/NAME}
   * (kind case-insensitive; a DestinationRule stands for its subsets, a Deployment for its workload)
   * or a host (matched as Istio matches hosts, so a short Service name also works).
   *
   * @throws IllegalArgumentException when nothing in the graph matches
   */
  public Graph focus(String focus) {
    Set<String> seeds = new LinkedHashSet<>();
    String[] parts = focus.split("/", -1);
    for (Node n : nodes) {
      if (parts.length == 3 ? matchesResource(n, parts) : matchesHost(n, focus)) {
        seeds.add(n.id());
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("--focus " + focus + " matches nothing in the graph; give a host or "
          + "KIND/NAMESPACE/NAME, e.g. VirtualService/default/reviews");
    }
    Set<String> keep = new LinkedHashSet<>(seeds);
    keep.addAll(reach(seeds, true));
    keep.addAll(reach(seeds, false));
    List<Edge> keptEdges = edges.stream().filter(e -> keep.contains(e.from()) && keep.contains(e.to())).toList();
    List<Node> keptNodes = nodes.stream().filter(n -> keep.contains(n.id())).toList();
    Set<ResourceKey> resources = new LinkedHashSet<>();
    keptNodes.stream().filter(n -> n.resource() != null).forEach(n -> resources.add(n.resource()));
    return new Graph(keptNodes, keptEdges, findings.stream().filter(f -> resources.contains(f.resource())).toList());
  }

  private static boolean matchesResource(Node n, String[] kindNsName) {
    if (n.resource() == null) {
      return n.missing() && n.standsFor().display().equalsIgnoreCase(kindNsName[0])
          && kindNsName[1].equals(n.namespace()) && kindNsName[2].equals(n.name());
    }
    return n.resource().kind().equalsIgnoreCase(kindNsName[0]) && kindNsName[1].equals(n.resource().namespace())
        && kindNsName[2].equals(n.resource().name());
  }

  private static boolean matchesHost(Node n, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String own : n.hosts()) {
      if (Hosts.intersect(own.toLowerCase(Locale.ROOT), h)) {
        return true;
      }
    }
    return false;
  }

  /** Node ids reachable from the seeds following edges forwards (or backwards). */
  private Set<String> reach(Set<String> seeds, boolean forwards) {
    Map<String, List<String>> next = new LinkedHashMap<>();
    for (Edge e : edges) {
      String a = forwards ? e.from() : e.to();
      String b = forwards ? e.to() : e.from();
      next.computeIfAbsent(a, k -> new ArrayList<>()).add(b);
    }
    Set<String> seen = new LinkedHashSet<>(seeds);
    Deque<String> todo = new ArrayDeque<>(seeds);
    while (!todo.isEmpty()) {
      for (String b : next.getOrDefault(todo.pop(), List.of())) {
        if (seen.add(b)) {
          todo.add(b);
        }
      }
    }
    return seen;
  }

  static Severity worst(List<Mark> marks) {
    Severity worst = null;
    for (Mark m : marks) {
      if (worst == null || m.severity().atLeast(worst)) {
        worst = m.severity();
      }
    }
    return worst;
  }
}
