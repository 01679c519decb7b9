package io.meshlint.cli.graph;

import io.meshlint.core.graph.Edge;
import io.meshlint.core.graph.Graph;
import io.meshlint.core.graph.Mark;
import io.meshlint.core.graph.Node;
import io.meshlint.core.rule.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph as a Mermaid flowchart, which GitHub and Azure DevOps render in markdown. Only long-supported
 * syntax is used (Azure DevOps ships an older Mermaid): {@code graph} rather than {@code flowchart},
 * quoted labels, classic shapes, classDef, linkStyle. Namespaces are subgraphs; dangling edges and missing nodes are red.
 */
public final class MermaidGraph {
  private MermaidGraph() {}

  public static String render(Graph graph) {
    StringBuilder out = new StringBuilder("graph LR\n");
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < graph.nodes().size(); i++) {
      ids.put(graph.nodes().get(i).id(), "n" + i);
    }
    List<String> namespaces = graph.namespaces();
    for (int g = 0; g < namespaces.size(); g++) {
      String ns = namespaces.get(g);
      out.append("  subgraph ns").append(g).append("[\"")
          .append(escape(ns.equals(Graph.NO_NAMESPACE) ? "outside the mesh" : "namespace " + ns)).append("\"]\n");
      for (Node n : graph.nodes()) {
        if (Graph.groupOf(n).equals(ns)) {
          out.append("    ").append(ids.get(n.id())).append(shape(n, label(n))).append('\n');
        }
      }
      out.append("  end\n");
    }
    List<Integer> red = new ArrayList<>();
    for (int i = 0; i < graph.edges().size(); i++) {
      Edge e = graph.edges().get(i);
      String arrow = e.type() == Edge.Type.MIRROR || e.type() == Edge.Type.CALLS ? "-.->" : "-->";
      out.append("  ").append(ids.get(e.from())).append(' ').append(arrow);
      String label = e.label();
      if (!label.isEmpty()) {
        out.append("|\"").append(escape(label)).append("\"|");
      }
      out.append(' ').append(ids.get(e.to())).append('\n');
      if (e.dangling()) {
        red.add(i);
      }
    }
    out.append("  classDef gateway fill:#e8f0fe,stroke:#1a73e8\n")
        .append("  classDef vs fill:#fef7e0,stroke:#b06000\n")
        .append("  classDef subset fill:#f3e8fd,stroke:#8430ce\n")
        .append("  classDef service fill:#e6f4ea,stroke:#188038\n")
        .append("  classDef external fill:#e0f7fa,stroke:#007b83\n")
        .append("  classDef workload fill:#f1f3f4,stroke:#5f6368\n")
        .append("  classDef warning fill:#fef7e0,stroke:#e37400,stroke-width:3px\n")
        .append("  classDef error fill:#fce8e6,stroke:#d93025,stroke-width:3px\n")
        .append("  classDef missing fill:#fce8e6,stroke:#d93025,stroke-width:2px,stroke-dasharray:5 3,color:#a50e0e\n");
    for (Node n : graph.nodes()) {
      out.append("  class ").append(ids.get(n.id())).append(' ').append(cssClass(n)).append('\n');
    }
    for (int i : red) {
      out.append("  linkStyle ").append(i).append(" stroke:#d93025,stroke-width:3px,color:#d93025\n");
    }
    return out.toString();
  }

  private static String label(Node n) {
    List<String> lines = new ArrayList<>();
    lines.add("<b>" + escape(n.title()) + "</b>");
    n.details().forEach(d -> lines.add(escape(d)));
    if (!n.marks().isEmpty()) {
      lines.add("⚠ " + escape(String.join(", ", n.marks().stream().map(Mark::code).distinct().toList())));
    }
    return String.join("<br/>", lines);
  }

  private static String shape(Node n, String label) {
    String q = "\"" + label + "\"";
    return switch (n.type()) {
      case GATEWAY -> "{{" + q + "}}";
      case SUBSET -> "[[" + q + "]]";
      case SERVICE -> "([" + q + "])";
      case SERVICE_ENTRY -> "[/" + q + "/]";
      case WORKLOAD -> "(" + q + ")";
      case HOST -> ">" + q + "]";
      default -> "[" + q + "]";
    };
  }

  private static String cssClass(Node n) {
    if (n.missing()) {
      return "missing";
    }
    Severity worst = n.worst();
    if (worst == Severity.ERROR) {
      return "error";
    }
    if (worst == Severity.WARNING) {
      return "warning";
    }
    return switch (n.type()) {
      case GATEWAY -> "gateway";
      case VIRTUAL_SERVICE -> "vs";
      case SUBSET -> "subset";
      case SERVICE -> "service";
      case SERVICE_ENTRY, HOST -> n.external() ? "external" : "service";
      default -> "workload";
    };
  }

  /** Mermaid entity codes for what would end a quoted label or be read as markup. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '#' -> sb.append("#35;");
        case '"' -> sb.append("#quot;");
        case '|' -> sb.append("#124;");
        case '<' -> sb.append("#lt;");
        case '>' -> sb.append("#gt;");
        case '`' -> sb.append("'");
        case '\n', '\r' -> sb.append(' ');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
