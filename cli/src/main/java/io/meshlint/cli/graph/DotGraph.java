package io.meshlint.cli.graph;

import io.meshlint.core.graph.Edge;
import io.meshlint.core.graph.Graph;
import io.meshlint.core.graph.Mark;
import io.meshlint.core.graph.Node;
import io.meshlint.core.rule.Severity;
import java.util.ArrayList;
import java.util.List;

/** The graph in Graphviz dot: namespaces as clusters, findings as red and orange outlines and tooltips. */
public final class DotGraph {
  private DotGraph() {}

  public static String render(Graph graph) {
    StringBuilder out = new StringBuilder("digraph meshlint {\n")
        .append("  rankdir=LR;\n")
        .append("  graph [fontname=\"Helvetica\", fontsize=11];\n")
        .append("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5f6368\"];\n");
    List<String> namespaces = graph.namespaces();
    for (int g = 0; g < namespaces.size(); g++) {
      String ns = namespaces.get(g);
      out.append("  subgraph cluster_").append(g).append(" {\n")
          .append("    label=").append(quote(ns.equals(Graph.NO_NAMESPACE) ? "outside the mesh" : "namespace " + ns))
          .append("; style=\"rounded,dashed\"; color=\"#9aa0a6\";\n");
      for (Node n : graph.nodes()) {
        if (Graph.groupOf(n).equals(ns)) {
          out.append("    ").append(quote(n.id())).append(" [").append(attributes(n)).append("];\n");
        }
      }
      out.append("  }\n");
    }
    for (Edge e : graph.edges()) {
      List<String> attrs = new ArrayList<>();
      if (!e.label().isEmpty()) {
        attrs.add("label=" + quote(e.label()));
      }
      if (e.type() == Edge.Type.MIRROR) {
        attrs.add("style=dashed");
      } else if (e.type() == Edge.Type.CALLS) {
        attrs.add("style=dotted");
      }
      if (e.dangling()) {
        attrs.add("color=\"#d93025\", fontcolor=\"#d93025\", penwidth=2.5");
        attrs.add("tooltip=" + quote(String.join("\n", e.marks().stream().map(Mark::text).toList())));
      } else {
        switch (e.type()) {
          case MIRROR -> attrs.add("color=\"#8430ce\"");
          case BINDS -> attrs.add("color=\"#1a73e8\"");
          case SELECTS, SUBSET_OF -> attrs.add("color=\"#9aa0a6\", arrowsize=0.7");
          default -> { }
        }
      }
      out.append("  ").append(quote(e.from())).append(" -> ").append(quote(e.to()));
      if (!attrs.isEmpty()) {
        out.append(" [").append(String.join(", ", attrs)).append(']');
      }
      out.append(";\n");
    }
    return out.append("}\n").toString();
  }

  private static String attributes(Node n) {
    List<String> lines = new ArrayList<>();
    lines.add(n.title());
    lines.addAll(n.details());
    if (!n.marks().isEmpty()) {
      lines.add("! " + String.join(", ", n.marks().stream().map(Mark::code).distinct().toList()));
    }
    List<String> attrs = new ArrayList<>();
    attrs.add("label=" + quote(String.join("\n", lines)));
    attrs.add(switch (n.type()) {
      case GATEWAY -> "shape=hexagon, fillcolor=\"#e8f0fe\"";
      case VIRTUAL_SERVICE -> "fillcolor=\"#fef7e0\"";
      case SUBSET -> "shape=component, fillcolor=\"#f3e8fd\"";
      case SERVICE -> "shape=ellipse, fillcolor=\"#e6f4ea\"";
      case SERVICE_ENTRY -> "shape=parallelogram, fillcolor=" + (n.external() ? "\"#e0f7fa\"" : "\"#e6f4ea\"");
      case WORKLOAD -> "shape=box3d, fillcolor=\"#f1f3f4\"";
      case HOST -> "shape=cds, fillcolor=\"#e0f7fa\"";
      case MISSING -> "style=\"rounded,filled,dashed\", fillcolor=\"#fce8e6\", color=\"#d93025\", fontcolor=\"#a50e0e\"";
    });
    Severity worst = n.worst();
    if (!n.missing() && worst != null && worst != Severity.INFO) {
      attrs.add("color=" + (worst == Severity.ERROR ? "\"#d93025\"" : "\"#e37400\"") + ", penwidth=2.5");
    }
    if (!n.marks().isEmpty()) {
      attrs.add("tooltip=" + quote(String.join("\n", n.marks().stream().map(Mark::text).toList())));
    }
    return String.join(", ", attrs);
  }

  /** A dot string: quotes and backslashes escaped, line breaks as {@code \n}. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "\\n") + "\"";
  }
}
