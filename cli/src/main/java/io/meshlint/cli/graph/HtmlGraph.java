package io.meshlint.cli.graph;

import io.meshlint.core.graph.Edge;
import io.meshlint.core.graph.Graph;
import io.meshlint.core.graph.Mark;
import io.meshlint.core.graph.Node;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The graph as one self-contained HTML page: an inline SVG laid out here (namespaces as bands, the
 * routing flowing left to right in columns by kind, nodes ordered in their column by the position of
 * their neighbours), inline script for zoom, pan, a namespace filter and highlighting, and the findings
 * listed beside the picture. The page loads nothing: its Content-Security-Policy forbids it.
 */
public final class HtmlGraph {
  static final int NODE_WIDTH = 220;
  static final int COLUMN_GAP = 90;
  static final int LINE = 14;
  static final int NODE_GAP = 14;
  static final int BAND_PAD = 30;
  static final int BAND_GAP = 18;
  static final int MARGIN = 20;
  static final int MAX_CHARS = 34;

  private HtmlGraph() {}

  /** Where a node is drawn. */
  record Box(Node node, double x, double y, double width, double height, List<String> lines) {
    double midY() {
      return y + height / 2;
    }
  }

  /** A namespace band. */
  record Band(String namespace, double y, double height) {}

  /** The laid-out picture. */
  record Layout(Map<String, Box> boxes, List<Band> bands, double width, double height) {}

  public static String render(Graph graph, String title) {
    Layout layout = layout(graph);
    String template = resource("graph.html");
    String style = resource("graph.css");
    String script = resource("graph.js");
    return template
        .replace("/*STYLE*/", style)
        .replace("/*SCRIPT*/", script)
        .replace("{{TITLE}}", esc(title))
        .replace("{{SUMMARY}}", esc(summary(graph)))
        .replace("{{NAMESPACES}}", namespaceFilter(graph))
        .replace("{{LEGEND}}", legend())
        .replace("{{FINDINGS}}", findings(graph))
        .replace("{{SVG}}", svg(graph, layout));
  }

  // --- layout ----------------------------------------------------------------------------------------

  /** The column of a node: the routing flows Gateway, VirtualService, subset, Service, workload, outside. */
  static int column(Node n) {
    return switch (n.type()) {
      case GATEWAY -> 0;
      case VIRTUAL_SERVICE -> 1;
      case SUBSET -> 2;
      case SERVICE -> 3;
      case SERVICE_ENTRY -> n.external() ? 5 : 3;
      case WORKLOAD -> 4;
      case HOST -> 5;
      case MISSING -> switch (n.standsFor()) {
        case GATEWAY -> 0;
        case SUBSET -> 2;
        default -> 3;
      };
    };
  }

  static Layout layout(Graph graph) {
    // columns in use, compacted
    boolean[] used = new boolean[6];
    graph.nodes().forEach(n -> used[column(n)] = true);
    int[] x = new int[6];
    int next = 0;
    for (int c = 0; c < 6; c++) {
      x[c] = MARGIN + 20 + next * (NODE_WIDTH + COLUMN_GAP);
      if (used[c]) {
        next++;
      }
    }
    double width = MARGIN * 2 + 20 + Math.max(1, next) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP;

    Map<String, List<String>> neighbours = new HashMap<>();
    for (Edge e : graph.edges()) {
      neighbours.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
      neighbours.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
    }
    // per band and column, the nodes in graph order; then a few sweeps ordering each column by the
    // mean position of each node's neighbours
    Map<String, List<List<Node>>> cells = new LinkedHashMap<>();
    for (String ns : graph.namespaces()) {
      List<List<Node>> cols = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        cols.add(new ArrayList<>());
      }
      cells.put(ns, cols);
    }
    graph.nodes().forEach(n -> cells.get(Graph.groupOf(n)).get(column(n)).add(n));
    Map<String, Double> rank = new HashMap<>();
    for (int sweep = 0; sweep < 4; sweep++) {
      assignRanks(cells, rank);
      for (List<List<Node>> cols : cells.values()) {
        for (List<Node> col : cols) {
          Map<String, Double> key = new HashMap<>();
          for (Node n : col) {
            List<String> ns = neighbours.getOrDefault(n.id(), List.of());
            key.put(n.id(), ns.isEmpty() ? rank.get(n.id())
                : ns.stream().mapToDouble(id -> rank.getOrDefault(id, 0.0)).average().orElse(0));
          }
          col.sort(Comparator.comparingDouble((Node n) -> key.get(n.id())));
        }
      }
    }

    Map<String, Box> boxes = new LinkedHashMap<>();
    List<Band> bands = new ArrayList<>();
    double y = MARGIN;
    for (Map.Entry<String, List<List<Node>>> band : cells.entrySet()) {
      double bandHeight = 0;
      for (int c = 0; c < 6; c++) {
        double cy = y + BAND_PAD;
        for (Node n : band.getValue().get(c)) {
          List<String> lines = lines(n);
          double h = 12 + lines.size() * LINE;
          boxes.put(n.id(), new Box(n, x[c], cy, NODE_WIDTH, h, lines));
          cy += h + NODE_GAP;
        }
        bandHeight = Math.max(bandHeight, cy - y);
      }
      bandHeight += 4;
      bands.add(new Band(band.getKey(), y, bandHeight));
      y += bandHeight + BAND_GAP;
    }
    return new Layout(boxes, bands, width, y - BAND_GAP + MARGIN);
  }

  /** Each node's rank: its index in its column, bands stacked, for the ordering sweeps. */
  private static void assignRanks(Map<String, List<List<Node>>> cells, Map<String, Double> rank) {
    double offset = 0;
    for (List<List<Node>> cols : cells.values()) {
      int tallest = 0;
      for (List<Node> col : cols) {
        for (int i = 0; i < col.size(); i++) {
          rank.put(col.get(i).id(), offset + i);
        }
        tallest = Math.max(tallest, col.size());
      }
      offset += tallest + 1;
    }
  }

  /** The text lines of a node's box: title, details, then the codes of its findings; cut to fit. */
  static List<String> lines(Node n) {
    List<String> out = new ArrayList<>();
    out.add(cut(n.title()));
    n.details().stream().limit(4).forEach(d -> out.add(cut(d)));
    if (!n.marks().isEmpty()) {
      out.add(cut("⚠ " + String.join(", ", n.marks().stream().map(Mark::code).distinct().toList())));
    }
    return out;
  }

  private static String cut(String s) {
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - 1) + "…";
  }

  // --- SVG ----------------------------------------------------------------------------------------------

  static String svg(Graph graph, Layout layout) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" data-width=\"%.0f\" data-height=\"%.0f\">%n",
        layout.width(), layout.height(), layout.width(), layout.height()));
    out.append("<defs>")
        .append(marker("arrow", "#5f6368")).append(marker("arrow-red", "#d93025"))
        .append(marker("arrow-blue", "#1a73e8")).append(marker("arrow-purple", "#8430ce"))
        .append("</defs>\n<g id=\"viewport\">\n");
    for (Band b : layout.bands()) {
      String label = b.namespace().equals(Graph.NO_NAMESPACE) ? "outside the mesh" : "namespace " + b.namespace();
      out.append(String.format(Locale.ROOT,
          "<g class=\"band\" data-ns=\"%s\"><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"8\"/>"
              + "<text x=\"%d\" y=\"%.1f\">%s</text></g>%n",
          esc(b.namespace()), MARGIN, b.y(), layout.width() - 2 * MARGIN, b.height(), MARGIN + 10, b.y() + 18,
          esc(label)));
    }
    for (Edge e : graph.edges()) {
      edge(out, e, layout.boxes().get(e.from()), layout.boxes().get(e.to()), graph);
    }
    for (Box b : layout.boxes().values()) {
      node(out, b);
    }
    return out.append("</g>\n</svg>").toString();
  }

  private static String marker(String id, String color) {
    return "<marker id=\"" + id + "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
        + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" + color + "\"/></marker>";
  }

  private static void node(StringBuilder out, Box b) {
    Node n = b.node();
    List<String> classes = new ArrayList<>(List.of("node", "t-" + n.type().name().toLowerCase(Locale.ROOT).replace('_', '-')));
    if (n.external()) {
      classes.add("external");
    }
    if (n.missing()) {
      classes.add("missing");
    }
    Severity worst = n.worst();
    if (worst != null) {
      classes.add("sev-" + worst.name().toLowerCase(Locale.ROOT));
    }
    if (!n.reported()) {
      classes.add("context");
    }
    out.append(String.format(Locale.ROOT,
        "<g class=\"%s\" data-id=\"%s\" data-ns=\"%s\" data-kind=\"%s\" transform=\"translate(%.1f,%.1f)\">",
        String.join(" ", classes), esc(n.id()), esc(Graph.groupOf(n)), n.type().name(), b.x(), b.y()));
    out.append("<title>").append(esc(tooltip(n))).append("</title>");
    out.append(String.format(Locale.ROOT, "<rect width=\"%.0f\" height=\"%.0f\" rx=\"%d\"/>", b.width(), b.height(),
        n.type() == Node.Type.SERVICE || n.type() == Node.Type.WORKLOAD ? 14 : 4));
    for (int i = 0; i < b.lines().size(); i++) {
      String cls = i == 0 ? "title" : (i == b.lines().size() - 1 && !n.marks().isEmpty()) ? "codes" : "detail";
      out.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"10\" y=\"%d\">%s</text>", cls, 18 + i * LINE,
          esc(b.lines().get(i))));
    }
    if (!n.marks().isEmpty()) {
      out.append(String.format(Locale.ROOT, "<circle class=\"badge\" cx=\"%.0f\" cy=\"0\" r=\"9\"/>"
          + "<text class=\"badge-text\" x=\"%.0f\" y=\"4\">%d</text>", b.width(), b.width(), n.marks().size()));
    }
    out.append("</g>\n");
  }

  private static void edge(StringBuilder out, Edge e, Box from, Box to, Graph graph) {
    if (from == null || to == null) {
      return;
    }
    double sx;
    double tx;
    double c1;
    double c2;
    if (to.x() > from.x()) {
      sx = from.x() + from.width();
      tx = to.x();
      double d = Math.max(40, (tx - sx) / 2);
      c1 = sx + d;
      c2 = tx - d;
    } else if (to.x() < from.x()) {
      sx = from.x();
      tx = to.x() + to.width();
      double d = Math.max(40, (sx - tx) / 2);
      c1 = sx - d;
      c2 = tx + d;
    } else {
      sx = from.x() + from.width();
      tx = to.x() + to.width();
      c1 = sx + 50;
      c2 = tx + 50;
    }
    double sy = from.midY();
    double ty = to.midY();
    String d = String.format(Locale.ROOT, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", sx, sy, c1, sy, c2, ty, tx, ty);
    List<String> classes = new ArrayList<>(List.of("edge", "e-" + e.type().name().toLowerCase(Locale.ROOT).replace('_', '-')));
    if (e.dangling()) {
      classes.add("dangling");
    }
    String marker = e.dangling() ? "arrow-red" : switch (e.type()) {
      case BINDS -> "arrow-blue";
      case MIRROR -> "arrow-purple";
      default -> "arrow";
    };
    out.append(String.format(Locale.ROOT, "<g class=\"%s\" data-from=\"%s\" data-to=\"%s\">", String.join(" ", classes),
        esc(e.from()), esc(e.to())));
    out.append("<title>").append(esc(edgeTooltip(e, graph))).append("</title>");
    out.append("<path class=\"hit\" d=\"").append(d).append("\"/>");
    out.append("<path class=\"line\" d=\"").append(d).append("\" marker-end=\"url(#").append(marker).append(")\"/>");
    String label = e.label();
    if (!label.isEmpty()) {
      // the bezier's midpoint
      double mx = 0.125 * sx + 0.375 * c1 + 0.375 * c2 + 0.125 * tx;
      double my = 0.5 * sy + 0.5 * ty;
      out.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\">%s</text>", mx, my - 3,
          esc(label.length() > 44 ? label.substring(0, 43) + "…" : label)));
    }
    out.append("</g>\n");
  }

  private static String tooltip(Node n) {
    List<String> lines = new ArrayList<>();
    lines.add(n.title() + (n.namespace() == null ? "" : " (namespace " + n.namespace() + ")"));
    lines.addAll(n.details());
    if (!n.reported() && !n.missing() && n.type() != Node.Type.HOST) {
      lines.add("from --context");
    }
    n.marks().forEach(m -> lines.add(m.text()));
    return String.join("\n", lines);
  }

  private static String edgeTooltip(Edge e, Graph graph) {
    Node from = graph.node(e.from());
    Node to = graph.node(e.to());
    List<String> lines = new ArrayList<>();
    lines.add(e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
        + (from == null ? e.from() : from.title()) + " → " + (to == null ? e.to() : to.title()));
    if (!e.label().isEmpty()) {
      lines.add(e.label());
    }
    if (e.route() != null) {
      lines.add("at " + e.route().path());
    }
    e.marks().forEach(m -> lines.add(m.text()));
    return String.join("\n", lines);
  }

  // --- side panels ----------------------------------------------------------------------------------

  private static String summary(Graph graph) {
    long dangling = graph.edges().stream().filter(Edge::dangling).count();
    return graph.nodes().size() + " nodes, " + graph.edges().size() + " edges, " + graph.findings().size()
        + " findings" + (dangling == 0 ? "" : ", " + dangling + " dangling references");
  }

  private static String namespaceFilter(Graph graph) {
    StringBuilder out = new StringBuilder();
    for (String ns : graph.namespaces()) {
      long count = graph.nodes().stream().filter(n -> Graph.groupOf(n).equals(ns)).count();
      out.append("<label><input type=\"checkbox\" class=\"ns-toggle\" checked data-ns=\"").append(esc(ns))
          .append("\"> ").append(esc(ns)).append(" <span class=\"count\">").append(count).append("</span></label>\n");
    }
    return out.toString();
  }

  private static String legend() {
    StringBuilder out = new StringBuilder();
    String[][] kinds = {{"t-gateway", "Gateway"}, {"t-virtual-service", "VirtualService"}, {"t-subset", "DestinationRule subset"},
        {"t-service", "Service"}, {"t-service-entry external", "ServiceEntry (external)"}, {"t-workload", "workload"},
        {"t-host external", "external host"}, {"missing", "missing (dangling reference)"}};
    for (String[] k : kinds) {
      out.append("<li><svg width=\"18\" height=\"12\"><g class=\"node ").append(k[0])
          .append("\"><rect width=\"18\" height=\"12\" rx=\"3\"/></g></svg> ").append(k[1]).append("</li>\n");
    }
    out.append("<li><svg width=\"28\" height=\"10\"><g class=\"edge e-route\"><path class=\"line\" d=\"M0,5 L28,5\"/></g></svg> route</li>\n")
        .append("<li><svg width=\"28\" height=\"10\"><g class=\"edge e-mirror\"><path class=\"line\" d=\"M0,5 L28,5\"/></g></svg> mirror</li>\n")
        .append("<li><svg width=\"28\" height=\"10\"><g class=\"edge e-calls\"><path class=\"line\" d=\"M0,5 L28,5\"/></g></svg> calls</li>\n")
        .append("<li><svg width=\"28\" height=\"10\"><g class=\"edge dangling\"><path class=\"line\" d=\"M0,5 L28,5\"/></g></svg> dangling</li>\n");
    return out.toString();
  }

  private static String findings(Graph graph) {
    if (graph.findings().isEmpty()) {
      return "<p class=\"none\">No findings.</p>";
    }
    Map<String, String> nodeOf = new HashMap<>();
    for (Node n : graph.nodes()) {
      if (n.resource() != null) {
        nodeOf.putIfAbsent(n.resource().toString(), n.id());
      }
    }
    StringBuilder out = new StringBuilder("<ol>\n");
    for (Finding f : graph.findings()) {
      String sev = f.severity().name().toLowerCase(Locale.ROOT);
      String node = f.resource() == null ? null : nodeOf.get(f.resource().toString());
      out.append("<li class=\"finding sev-").append(sev).append('"');
      if (node != null) {
        out.append(" data-node=\"").append(esc(node)).append('"');
      }
      out.append("><span class=\"sev\">").append(sev).append("</span> <b>").append(esc(f.rule().code())).append("</b> ");
      if (f.resource() != null) {
        out.append("<span class=\"res\">").append(esc(f.resource().toString())).append("</span> ");
      }
      out.append("<span class=\"loc\">").append(esc(f.location().file() + ":" + f.location().line())).append("</span>")
          .append("<div class=\"msg\">").append(esc(f.message())).append("</div></li>\n");
    }
    return out.append("</ol>").toString();
  }

  // --- helpers ---------------------------------------------------------------------------------------

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String resource(String name) {
    try (InputStream in = HtmlGraph.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
