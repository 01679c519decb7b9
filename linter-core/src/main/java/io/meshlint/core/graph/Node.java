package io.meshlint.core.graph;

import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.Severity;
import java.util.List;

/**
 * One box of the graph.
 *
 * @param id stable identifier: {@code Kind/namespace/name} for resources, {@code Kind/namespace/name#subset}
 *     for DestinationRule subsets, {@code host:NAME} for hosts no resource provides, {@code missing:...}
 *     for what a dangling reference names
 * @param resource the resource drawn, null for hosts and missing nodes (a subset's is its DestinationRule)
 * @param namespace the namespace the node is grouped in; null for hosts outside the mesh
 * @param name what the node is called: the resource's name, {@code host subset} for subsets, the host
 * @param details lines shown under the name: hosts, ports, selectors, labels
 * @param hosts the host names the node answers to, for {@code --focus HOST}
 * @param external a ServiceEntry with {@code location: MESH_EXTERNAL}, or a host outside the cluster
 * @param reported from a reported file (not only context); missing and host nodes are not
 * @param standsFor for a missing node, the type of what was not found; else null
 * @param marks the findings on this node
 */
public record Node(String id, Type type, ResourceKey resource, String namespace, String name, List<String> details,
    List<String> hosts, boolean external, boolean reported, Type standsFor, List<Mark> marks) {

  /** The kinds of nodes, in the order the routing flows. */
  public enum Type {
    GATEWAY("Gateway"), VIRTUAL_SERVICE("VirtualService"), SUBSET("Subset"), SERVICE("Service"),
    SERVICE_ENTRY("ServiceEntry"), WORKLOAD("Workload"), HOST("Host"), MISSING("Missing");

    private final String display;

    Type(String display) {
      this.display = display;
    }

    public String display() {
      return display;
    }
  }

  public boolean missing() {
    return type == Type.MISSING;
  }

  /** What the node shows as its first line: the kind (the workload's own kind) and the name. */
  public String title() {
    String kind = switch (type) {
      case WORKLOAD -> resource.kind();
      case MISSING -> "missing " + standsFor.display().toLowerCase(java.util.Locale.ROOT);
      case HOST -> external ? "external host" : "host";
      default -> type.display();
    };
    return kind + " " + name;
  }

  /** The most severe mark, or null when the node has none. */
  public Severity worst() {
    return Graph.worst(marks);
  }
}
