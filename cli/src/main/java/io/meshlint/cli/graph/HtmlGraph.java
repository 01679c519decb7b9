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
import java.util.TreeMap;

/**
 * The graph as one self-contained HTML page: an inline SVG placed by {@link GraphLayout} (ELK Layered),
 * inline script for opening and closing namespaces, zoom, pan, a namespace filter and highlighting, and
 * the findings listed beside the picture. The page loads nothing: its Content-Security-Policy forbids it.
 *
 * <p>A graph of more than {@link #OPEN_LIMIT} nodes opens on the overview (one summary box per
 * namespace, the edges between namespaces drawn once with their count), and its nodes show their
 * title alone and its edges no label (the rest is in their tooltips) so that an open namespace fits
 * the page; a smaller one opens with every namespace open, its nodes and edges labelled in full.
 */
public final class HtmlGraph {
  /** The most nodes a graph may have to open with every namespace open. */
  public static final int OPEN_LIMIT = 50;
  static final int LINE = 14;
  static final int MAX_CHARS = 34;
  static final int MAX_DETAILS = 3;
  static final double TITLE_SIZE = 12;
  static final double TEXT_SIZE = 11;
  static final double LABEL_SIZE = 10;
  /** A closed namespace's text is larger than a node's: the overview is read from further away. */
  static final double SUMMARY_TITLE_SIZE = 14;
  static final double SUMMARY_SIZE = 12;
  static final int SUMMARY_LINE = 16;
  static final int MAX_LABEL_CHARS = 40;
  static final double BOX_WIDTH = 250;

  private HtmlGraph() {}

  public static String render(Graph graph, String title, List<GraphTraces.Option> traces) {
    boolean small = graph.nodes().size() <= OPEN_LIMIT;
    Map<String, List<String>> cards = new HashMap<>();
    graph.nodes().forEach(n -> cards.put(n.id(), small ? lines(n) : List.of(cut(n.title(), MAX_CHARS))));
    Map<String, Summary> summaries = new LinkedHashMap<>();
    graph.namespaces().forEach(g -> summaries.put(g, Summary.of(graph, g)));
    GraphLayout.Layout layout = GraphLayout.of(graph, new GraphLayout.Sizes() {
      @Override
      public GraphLayout.Size node(Node n) {
        return nodeSize(cards.get(n.id()), !n.marks().isEmpty());
      }

      @Override
      public GraphLayout.Size box(String group, boolean compact) {
        return summaries.get(group).size(compact);
      }

      @Override
      public GraphLayout.Size label(Edge e) {
        String label = edgeLabel(e);
        return label.isEmpty() || !small ? null : new GraphLayout.Size(GraphLayout.textWidth(label, LABEL_SIZE, false) + 4, 13);
      }

      @Override
      public GraphLayout.Size linkLabel(int count) {
        return new GraphLayout.Size(GraphLayout.textWidth(String.valueOf(count), LABEL_SIZE, true) + 12, 15);
      }
    });
    String initial = small ? GraphLayout.ALL : GraphLayout.OVERVIEW;
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
        .replace("{{SVG}}", svg(graph, layout, cards, summaries, initial))
        .replace("{{TRACES}}", traceJson(traces))
        .replace("{{FRAMES}}", frames(layout));
  }

  // --- node cards ------------------------------------------------------------------------------------

  /** The text lines of a node's box: title, details, then the codes of its findings; cut to fit. */
  static List<String> lines(Node n) {
    List<String> out = new ArrayList<>();
    out.add(cut(n.title(), MAX_CHARS));
    n.details().stream().limit(MAX_DETAILS).forEach(d -> out.add(cut(d, MAX_CHARS)));
    if (!n.marks().isEmpty()) {
      out.add(cut("⚠ " + String.join(", ", n.marks().stream().map(Mark::code).distinct().toList()), MAX_CHARS));
    }
    return out;
  }

  /** A node's box: its lines, and room on the title's line for the badge counting its findings. */
  static GraphLayout.Size nodeSize(List<String> lines, boolean badge) {
    double width = GraphLayout.textWidth(lines.get(0), TITLE_SIZE, true) + (badge ? 24 : 0);
    for (String line : lines.subList(1, lines.size())) {
      width = Math.max(width, GraphLayout.textWidth(line, TEXT_SIZE, false));
    }
    return new GraphLayout.Size(Math.max(120, Math.ceil(width) + 22), 12 + lines.size() * LINE);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** An edge's label as drawn; the tooltip has all of it. */
  static String edgeLabel(Edge e) {
    return cut(e.label(), MAX_LABEL_CHARS);
  }

  // --- namespace summaries ----------------------------------------------------------------------------

  /** What a closed namespace shows: how many nodes of each kind, how many findings of each severity. */
  record Summary(String group, List<String> counts, int missing, Map<Severity, Integer> findings) {
    static Summary of(Graph graph, String group) {
      Map<String, Integer> kinds = new LinkedHashMap<>();
      int missing = 0;
      Map<Severity, Integer> findings = new TreeMap<>(Comparator.reverseOrder());
      for (Node n : graph.nodes()) {
        if (!Graph.groupOf(n).equals(group)) {
          continue;
        }
        if (n.missing()) {
          missing++;
        } else {
          kinds.merge(kindLabel(n), 1, Integer::sum);
        }
        n.marks().forEach(m -> findings.merge(m.severity(), 1, Integer::sum));
      }
      List<String> counts = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (Map.Entry<String, Integer> k : kinds.entrySet()) {
        String part = k.getValue() + " " + k.getKey() + (k.getValue() == 1 || k.getKey().endsWith("s") ? "" : "s");
        if (line.length() > 0 && GraphLayout.textWidth(line + " · " + part, SUMMARY_SIZE, false) > BOX_WIDTH - 24) {
          counts.add(line.toString());
          line.setLength(0);
        }
        line.append(line.length() == 0 ? "" : " · ").append(part);
      }
      if (line.length() > 0) {
        counts.add(line.toString());
      }
      return new Summary(group, counts, missing, findings);
    }

    String title() {
      return group.equals(Graph.NO_NAMESPACE) ? "outside the mesh" : "namespace " + group;
    }

    /** Compact: the name and the badges on one line. */
    GraphLayout.Size size(boolean compact) {
      if (compact) {
        return new GraphLayout.Size(GraphLayout.textWidth(name(), SUMMARY_SIZE, true) + 24 + badgesWidth(), 30);
      }
      double width = Math.max(BOX_WIDTH, GraphLayout.textWidth(title(), SUMMARY_TITLE_SIZE, true) + 24 + badgesWidth());
      return new GraphLayout.Size(width, 36 + (counts.size() + (missing > 0 ? 1 : 0)) * SUMMARY_LINE + 6);
    }

    String name() {
      return group.equals(Graph.NO_NAMESPACE) ? "outside the mesh" : group;
    }

    double badgesWidth() {
      return findings.values().stream().mapToDouble(n -> badgeWidth(String.valueOf(n)) + 4).sum();
    }
  }

  private static String kindLabel(Node n) {
    return switch (n.type()) {
      case WORKLOAD -> "workload";
      case SUBSET -> "subset";
      case HOST -> n.external() ? "external host" : "host";
      default -> n.type().display();
    };
  }

  // --- SVG ----------------------------------------------------------------------------------------------

  static String svg(Graph graph, GraphLayout.Layout layout, Map<String, List<String>> cards,
      Map<String, Summary> summaries, String initial) {
    GraphLayout.Frame first = layout.frames().get(initial);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "<svg id=\"graph\"%s xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" data-frame=\"%s\">%n",
        first.open().isEmpty() ? "" : " class=\"compact\"", first.width(), first.height(), initial));
    out.append("<defs>")
        .append(marker("arrow", "#5f6368")).append(marker("arrow-red", "#d93025"))
        .append(marker("arrow-blue", "#1a73e8")).append(marker("arrow-purple", "#8430ce"))
        .append("</defs>\n<g id=\"viewport\">\n");
    for (String g : graph.namespaces()) {
      GraphLayout.Point at = first.at().get(g);
      out.append(String.format(Locale.ROOT, "<g class=\"ns%s\" data-ns=\"%s\" transform=\"translate(%.1f,%.1f)\">%n",
          first.open().contains(g) ? " open" : "", esc(g), at.x(), at.y()));
      summaryBox(out, summaries.get(g), false);
      summaryBox(out, summaries.get(g), true);
      block(out, graph, layout.blocks().get(g), cards, summaries.get(g));
      out.append("</g>\n");
    }
    for (GraphLayout.Frame f : layout.frames().values()) {
      out.append("<g class=\"links").append(f == first ? "" : " hidden").append("\" data-frame=\"")
          .append(esc(f.name())).append("\">\n");
      f.links().forEach(l -> link(out, graph, l));
      out.append("</g>\n");
    }
    return out.append("</g>\n</svg>").toString();
  }

  private static String marker(String id, String color) {
    return "<marker id=\"" + id + "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
        + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" + color + "\"/></marker>";
  }

  /**
   * A closed namespace: its name, its counts and its findings as badges; compact (beside an open
   * namespace), its name and badges alone, the counts in its tooltip.
   */
  private static void summaryBox(StringBuilder out, Summary s, boolean compact) {
    GraphLayout.Size size = s.size(compact);
    List<String> tip = new ArrayList<>(List.of(s.title() + " (click to open)"));
    tip.addAll(s.counts());
    if (s.missing() > 0) {
      tip.add(missing(s));
    }
    out.append("<g class=\"summary ").append(compact ? "pill" : "full").append(s.missing() > 0 ? " has-missing" : "")
        .append("\" role=\"button\"><title>").append(esc(String.join("\n", tip))).append("</title>");
    out.append(String.format(Locale.ROOT, "<rect class=\"frame\" width=\"%.0f\" height=\"%.0f\" rx=\"8\"/>",
        size.width(), size.height()));
    double top = compact ? 5.5 : 8;
    out.append(String.format(Locale.ROOT, "<text class=\"name\" x=\"12\" y=\"%.0f\">%s</text>", compact ? 20 : 23.0,
        esc(compact ? s.name() : s.title())));
    double x = size.width() - 8;
    for (Map.Entry<Severity, Integer> f : s.findings().entrySet()) {
      String sev = f.getKey().name().toLowerCase(Locale.ROOT);
      String n = String.valueOf(f.getValue());
      double w = badgeWidth(n);
      x -= w;
      out.append(String.format(Locale.ROOT,
          "<g class=\"sev-badge sev-%s\"><title>%s %s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"19\" rx=\"9.5\"/>"
              + "<text x=\"%.1f\" y=\"%.1f\">%s</text></g>",
          sev, n, f.getValue() == 1 ? sev : plural(sev), x, top, w, x + w / 2, top + 14, n));
      x -= 4;
    }
    if (!compact) {
      double y = 23 + SUMMARY_LINE + 4;
      for (String line : s.counts()) {
        out.append(String.format(Locale.ROOT, "<text class=\"counts\" x=\"12\" y=\"%.0f\">%s</text>", y, esc(line)));
        y += SUMMARY_LINE;
      }
      if (s.missing() > 0) {
        out.append(String.format(Locale.ROOT, "<text class=\"counts missing-count\" x=\"12\" y=\"%.0f\">%s</text>",
            y, esc(missing(s))));
      }
    }
    out.append("</g>\n");
  }

  private static String missing(Summary s) {
    return s.missing() + " missing (dangling " + (s.missing() == 1 ? "reference" : "references") + ")";
  }

  private static double badgeWidth(String count) {
    return Math.max(22, GraphLayout.textWidth(count, SUMMARY_SIZE, true) + 10);
  }

  private static String plural(String severity) {
    return severity.equals("info") ? "infos" : severity + "s";
  }

  /** An open namespace: a frame with a title bar, its edges, its nodes, and the ports of edges to and from other groups. */
  private static void block(StringBuilder out, Graph graph, GraphLayout.Block b, Map<String, List<String>> cards, Summary s) {
    out.append("<g class=\"block\">");
    out.append(String.format(Locale.ROOT, "<rect class=\"frame\" width=\"%.1f\" height=\"%.1f\" rx=\"8\"/>", b.width(), b.height()));
    out.append(String.format(Locale.ROOT, "<g class=\"header\" role=\"button\"><title>%s (click to close)</title>"
        + "<rect width=\"%.1f\" height=\"%.0f\" rx=\"8\"/><text x=\"12\" y=\"18\">%s</text></g>%n",
        esc(s.title()), b.width(), GraphLayout.HEADER, esc(s.title())));
    b.ports().forEach((key, p) -> {
      boolean in = key.startsWith("in:");
      String other = key.substring(key.indexOf(':') + 1);
      out.append(String.format(Locale.ROOT, "<circle class=\"port\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>%s %s</title></circle>%n",
          p.x(), p.y(), in ? "edges from" : "edges to", esc(other.equals(Graph.NO_NAMESPACE) ? "outside the mesh" : "namespace " + other)));
    });
    b.arrivals().forEach((i, r) -> edge(out, graph, i, r, "edge-end", true));
    b.routes().forEach((i, r) -> {
      Edge e = graph.edges().get(i);
      boolean leaves = !Graph.groupOf(graph.node(e.from())).equals(Graph.groupOf(graph.node(e.to())));
      edge(out, graph, i, r, "edge", !leaves);
    });
    for (Map.Entry<String, GraphLayout.Rect> n : b.nodes().entrySet()) {
      node(out, graph.node(n.getKey()), n.getValue(), cards.get(n.getKey()));
    }
    out.append("</g>\n");
  }

  private static void node(StringBuilder out, Node n, GraphLayout.Rect r, List<String> lines) {
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
        String.join(" ", classes), esc(n.id()), esc(Graph.groupOf(n)), n.type().name(), r.x(), r.y()));
    out.append("<title>").append(esc(tooltip(n))).append("</title>");
    out.append(String.format(Locale.ROOT, "<rect width=\"%.0f\" height=\"%.0f\" rx=\"%d\"/>", r.width(), r.height(),
        n.type() == Node.Type.SERVICE || n.type() == Node.Type.WORKLOAD ? 14 : 4));
    for (int i = 0; i < lines.size(); i++) {
      String cls = i == 0 ? "title" : (i == lines.size() - 1 && !n.marks().isEmpty()) ? "codes" : "detail";
      out.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"10\" y=\"%d\">%s</text>", cls, 18 + i * LINE,
          esc(lines.get(i))));
    }
    if (!n.marks().isEmpty()) {
      out.append(String.format(Locale.ROOT, "<circle class=\"badge\" cx=\"%.1f\" cy=\"13\" r=\"9\"/>"
          + "<text class=\"badge-text\" x=\"%.1f\" y=\"17\">%d</text>", r.width() - 13, r.width() - 13, n.marks().size()));
    }
    out.append("</g>\n");
  }

  /**
   * An edge, or the part of it inside one namespace: {@code edge} carries the label (the whole edge, or
   * the part from its source to the border), {@code edge-end} is the part from the border to the target.
   */
  private static void edge(StringBuilder out, Graph graph, int index, GraphLayout.Route r, String kind, boolean arrow) {
    Edge e = graph.edges().get(index);
    List<String> classes = new ArrayList<>(List.of(kind, "e-" + e.type().name().toLowerCase(Locale.ROOT).replace('_', '-')));
    if (e.dangling()) {
      classes.add("dangling");
    }
    String d = path(r.points());
    out.append(String.format(Locale.ROOT, "<g class=\"%s\" data-edge=\"e%d\" data-from=\"%s\" data-to=\"%s\">",
        String.join(" ", classes), index, esc(e.from()), esc(e.to())));
    out.append("<title>").append(esc(edgeTooltip(e, graph))).append("</title>");
    out.append("<path class=\"hit\" d=\"").append(d).append("\"/>");
    out.append("<path class=\"line\" d=\"").append(d).append('"');
    if (arrow) {
      out.append(" marker-end=\"url(#").append(marker(e)).append(")\"");
    }
    out.append("/>");
    String label = edgeLabel(e);
    if (kind.equals("edge") && r.label() != null && !label.isEmpty()) {
      out.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\">%s</text>",
          r.label().x() + 2, r.label().y() + 10, esc(label)));
    }
    out.append("</g>\n");
  }

  private static String marker(Edge e) {
    return e.dangling() ? "arrow-red" : switch (e.type()) {
      case BINDS -> "arrow-blue";
      case MIRROR -> "arrow-purple";
      default -> "arrow";
    };
  }

  /** The edges between two namespaces, drawn once with their count. */
  private static void link(StringBuilder out, Graph graph, GraphLayout.Link l) {
    List<Edge> edges = l.edges().stream().map(graph.edges()::get).toList();
    boolean dangling = edges.stream().anyMatch(Edge::dangling);
    Map<String, Integer> types = new TreeMap<>();
    edges.forEach(e -> types.merge(e.type().name().toLowerCase(Locale.ROOT).replace('_', ' '), 1, Integer::sum));
    List<String> tip = new ArrayList<>();
    tip.add(edges.size() + (edges.size() == 1 ? " edge" : " edges") + " from " + groupName(l.from()) + " to " + groupName(l.to()) + ": "
        + String.join(", ", types.entrySet().stream().map(t -> t.getValue() + " " + t.getKey()).toList()));
    edges.stream().limit(12).forEach(e -> tip.add(title(graph, e.from()) + " → " + title(graph, e.to())
        + (e.label().isEmpty() ? "" : " (" + e.label() + ")")));
    if (edges.size() > 12) {
      tip.add("…");
    }
    String ids = String.join(" ", l.edges().stream().map(i -> "e" + i).toList());
    String d = path(l.route().points());
    out.append(String.format(Locale.ROOT, "<g class=\"link%s\" data-from=\"%s\" data-to=\"%s\" data-edges=\"%s\">",
        dangling ? " dangling" : "", esc(l.from()), esc(l.to()), ids));
    out.append("<title>").append(esc(String.join("\n", tip))).append("</title>");
    out.append("<path class=\"hit\" d=\"").append(d).append("\"/>");
    out.append("<path class=\"line\" d=\"").append(d).append("\" marker-end=\"url(#")
        .append(dangling ? "arrow-red" : "arrow").append(")\"/>");
    if (l.route().label() != null) {
      String n = String.valueOf(edges.size());
      double w = GraphLayout.textWidth(n, LABEL_SIZE, true) + 12;
      out.append(String.format(Locale.ROOT, "<rect class=\"count\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"15\" rx=\"7.5\"/>"
          + "<text class=\"count\" x=\"%.1f\" y=\"%.1f\">%s</text>",
          l.route().label().x(), l.route().label().y(), w, l.route().label().x() + w / 2, l.route().label().y() + 11, n));
    }
    out.append("</g>\n");
  }

  private static String groupName(String group) {
    return group.equals(Graph.NO_NAMESPACE) ? "outside the mesh" : group;
  }

  private static String title(Graph graph, String id) {
    Node n = graph.node(id);
    return n == null ? id : n.title();
  }

  private static String path(List<GraphLayout.Point> points) {
    StringBuilder d = new StringBuilder();
    for (GraphLayout.Point p : points) {
      d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", p.x(), p.y()));
    }
    return d.toString();
  }

  /** Each frame's size, open namespaces and where each namespace goes, as JSON for the script. */
  static String frames(GraphLayout.Layout layout) {
    StringBuilder out = new StringBuilder("{");
    for (GraphLayout.Frame f : layout.frames().values()) {
      out.append(out.length() == 1 ? "" : ",").append(json(f.name())).append(String.format(Locale.ROOT,
          ":{\"width\":%.0f,\"height\":%.0f,\"open\":[", f.width(), f.height()));
      out.append(String.join(",", f.open().stream().map(HtmlGraph::json).toList())).append("],\"at\":{");
      out.append(String.join(",", f.at().entrySet().stream()
          .map(a -> json(a.getKey()) + String.format(Locale.ROOT, ":[%.1f,%.1f]", a.getValue().x(), a.getValue().y())).toList()));
      out.append("}}");
    }
    return out.append('}').toString();
  }

  /** The requests to follow, as the page's script reads them. */
  static String traceJson(List<GraphTraces.Option> traces) {
    List<String> items = new ArrayList<>();
    for (GraphTraces.Option t : traces) {
      items.add("{\"label\":" + json(t.label()) + ",\"command\":" + json(t.command()) + ",\"story\":" + jsonList(t.story())
          + ",\"outcome\":" + json(t.outcome()) + ",\"nodes\":" + jsonList(t.nodes()) + "}");
    }
    return "[" + String.join(",", items) + "]";
  }

  private static String jsonList(List<String> values) {
    return "[" + String.join(",", values.stream().map(HtmlGraph::json).toList()) + "]";
  }

  /** A JSON string that is also safe inside a script element. */
  private static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
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
