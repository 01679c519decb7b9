package io.meshlint.cli.graph;

import io.meshlint.core.graph.Edge;
import io.meshlint.core.graph.Graph;
import io.meshlint.core.graph.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.NodePlacementStrategy;
import org.eclipse.elk.alg.layered.options.OrderingStrategy;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.PortConstraints;
import org.eclipse.elk.core.options.PortSide;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkConnectableShape;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkPort;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Where the HTML page draws everything, computed with the Eclipse Layout Kernel's layered algorithm
 * (ELK Layered) when the page is written; the page's script only moves, shows and hides what is
 * placed here.
 *
 * <p>Two levels. Each group (namespace, or the hosts outside the mesh) is laid out once on its own,
 * the routing flowing left to right, as a <em>block</em>: an edge to or from another group ends at a
 * port on the block's border, one port per other group and direction (in at the top, out at the
 * bottom). Then the groups are laid out top to bottom, once per <em>frame</em> (which groups are open):
 * closed groups are small summary boxes, open ones their blocks with the ports fixed, and the edges
 * between two groups are drawn once, as a <em>link</em>. Rows of groups wider than the page would be
 * are wrapped (ELK partitions), so a mesh of many namespaces fills the page's width instead of a strip.
 * Frames: every group closed (the overview), each group alone open, every group open.
 */
final class GraphLayout {
  static final String OVERVIEW = "overview";
  static final String ALL = "all";
  /** Height of an open block's title bar. */
  static final double HEADER = 26;
  /** Landscape target of a frame's width to its height, for wrapping rows. */
  static final double ASPECT = 1.5;
  static final double BOX_GAP = 36;
  static final double ROW_GAP = 36;

  record Size(double width, double height) {}

  record Point(double x, double y) {}

  record Rect(double x, double y, double width, double height) {}

  /** A line as drawn: its points, and the top-left corner of its label (null when it has none). */
  record Route(List<Point> points, Point label) {}

  /**
   * One group open, coordinates relative to its top-left corner.
   *
   * @param routes by edge index: edges inside the group, and the part inside this group of edges that leave it
   * @param arrivals by edge index: the part inside this group of edges that come from another group
   * @param ports where edges cross the border: {@code in:GROUP} and {@code out:GROUP}
   */
  record Block(String group, double width, double height, Map<String, Rect> nodes, Map<Integer, Route> routes,
      Map<Integer, Route> arrivals, Map<String, Point> ports) {}

  /** Every edge from one group to another, drawn as one line between the two. */
  record Link(String from, String to, List<Integer> edges, Route route) {}

  /** One arrangement of the groups: where each group's top-left corner is, and the links. */
  record Frame(String name, Set<String> open, double width, double height, Map<String, Point> at, List<Link> links) {}

  /** Everything the page needs: each group's block and each frame. */
  record Layout(Map<String, Block> blocks, Map<String, Frame> frames) {}

  /** The sizes of what is drawn, decided by the page. */
  interface Sizes {
    Size node(Node n);

    /** A closed group's summary box: in full on the overview, compact beside an open group. */
    Size box(String group, boolean compact);

    /** The label of an edge, or null when the edge has none. */
    Size label(Edge e);

    /** The label of a link carrying {@code count} edges. */
    Size linkLabel(int count);
  }

  private final Graph graph;
  private final Sizes sizes;
  private final Map<String, String> groupOf = new HashMap<>();
  /** Edge indices by (from group, to group), for the edges between two groups. */
  private final Map<String, Map<String, List<Integer>>> between = new TreeMap<>();

  private GraphLayout(Graph graph, Sizes sizes) {
    this.graph = graph;
    this.sizes = sizes;
    graph.nodes().forEach(n -> groupOf.put(n.id(), Graph.groupOf(n)));
    for (int i = 0; i < graph.edges().size(); i++) {
      Edge e = graph.edges().get(i);
      String from = groupOf.get(e.from());
      String to = groupOf.get(e.to());
      if (!from.equals(to)) {
        between.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new ArrayList<>()).add(i);
      }
    }
  }

  static Layout of(Graph graph, Sizes sizes) {
    return new GraphLayout(graph, sizes).layout();
  }

  /** The blocks, then the frames; each is an ELK graph of its own, laid out on every core. */
  private Layout layout() {
    List<String> groups = graph.namespaces();
    Map<String, Block> blocks = new LinkedHashMap<>();
    groups.parallelStream().map(this::block).toList().forEach(b -> blocks.put(b.group(), b));
    Map<String, Set<String>> open = new LinkedHashMap<>();
    open.put(OVERVIEW, Set.of());
    if (groups.size() > 1) {
      groups.forEach(g -> open.put("ns:" + g, Set.of(g)));
    }
    open.put(ALL, new LinkedHashSet<>(groups));
    Map<String, Frame> frames = new LinkedHashMap<>();
    open.entrySet().parallelStream().map(f -> frame(f.getKey(), f.getValue(), blocks)).toList()
        .forEach(f -> frames.put(f.name(), f));
    return new Layout(blocks, frames);
  }

  // --- one group ------------------------------------------------------------------------------------

  private Block block(String group) {
    // ELK lays out a node's content with the node's ports as the border's ports: the block is a node
    // in a graph of its own
    ElkNode outer = newGraph(Direction.RIGHT);
    ElkNode root = ElkGraphUtil.createNode(outer);
    configure(root, Direction.RIGHT);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(HEADER + 18, 18, 18, 18));
    root.setProperty(CoreOptions.PORT_CONSTRAINTS, PortConstraints.FIXED_SIDE);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE, 10.0);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
    Map<String, ElkNode> nodes = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (groupOf.get(n.id()).equals(group)) {
        ElkNode node = ElkGraphUtil.createNode(root);
        Size size = sizes.node(n);
        node.setDimensions(size.width(), size.height());
        nodes.put(n.id(), node);
      }
    }
    Map<String, ElkPort> ports = new LinkedHashMap<>();
    Map<Integer, ElkEdge> edges = new LinkedHashMap<>();
    for (int i = 0; i < graph.edges().size(); i++) {
      Edge e = graph.edges().get(i);
      String from = groupOf.get(e.from());
      String to = groupOf.get(e.to());
      ElkConnectableShape source;
      ElkConnectableShape target;
      boolean labelled = true;
      if (from.equals(group) && to.equals(group)) {
        source = nodes.get(e.from());
        target = nodes.get(e.to());
      } else if (from.equals(group)) {
        source = nodes.get(e.from());
        target = ports.computeIfAbsent("out:" + to, k -> port(root, PortSide.SOUTH));
      } else if (to.equals(group)) {
        source = ports.computeIfAbsent("in:" + from, k -> port(root, PortSide.NORTH));
        target = nodes.get(e.to());
        labelled = false; // the part in the source group carries it
      } else {
        continue;
      }
      ElkEdge edge = ElkGraphUtil.createSimpleEdge(source, target);
      Size label = labelled ? sizes.label(e) : null;
      if (label != null) {
        ElkLabel l = ElkGraphUtil.createLabel(e.label(), edge);
        l.setDimensions(label.width(), label.height());
        l.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
      }
      edges.put(i, edge);
    }
    run(outer);

    Map<String, Rect> rects = new LinkedHashMap<>();
    nodes.forEach((id, n) -> rects.put(id, new Rect(n.getX(), n.getY(), n.getWidth(), n.getHeight())));
    Map<String, Point> portAt = new LinkedHashMap<>();
    ports.forEach((key, p) -> portAt.put(key, new Point(p.getX() + p.getWidth() / 2, p.getY() + p.getHeight() / 2)));
    Map<Integer, Route> routes = new LinkedHashMap<>();
    Map<Integer, Route> arrivals = new LinkedHashMap<>();
    edges.forEach((i, edge) -> {
      Edge e = graph.edges().get(i);
      (groupOf.get(e.from()).equals(group) ? routes : arrivals).put(i, route(edge));
    });
    return new Block(group, root.getWidth(), root.getHeight(), rects, routes, arrivals, portAt);
  }

  private static ElkPort port(ElkNode parent, PortSide side) {
    ElkPort p = ElkGraphUtil.createPort(parent);
    p.setDimensions(0, 0);
    p.setProperty(CoreOptions.PORT_SIDE, side);
    return p;
  }

  // --- the groups ------------------------------------------------------------------------------------

  /**
   * Lays out the groups with {@code open} open: a first pass finds ELK's rows (layers, top to
   * bottom) and their order; rows wider than the frame's target width are cut into several, and a
   * second pass lays them out as partitions in that order.
   */
  private Frame frame(String name, Set<String> open, Map<String, Block> blocks) {
    Map<String, Size> boxSize = new LinkedHashMap<>();
    for (String g : graph.namespaces()) {
      Block b = blocks.get(g);
      boxSize.put(g, open.contains(g) ? new Size(b.width(), b.height()) : sizes.box(g, !open.isEmpty()));
    }
    TopLevel top = topLevel(open, blocks, boxSize, null);
    List<List<String>> rows = rowsOf(top);
    // the few widths whose estimate comes closest to the page's shape, laid out for real: the one that
    // fits the page largest wins
    for (double width : widths(rows, boxSize)) {
      List<List<String>> cut = cut(rows, boxSize, width);
      if (cut.size() > rows.size()) {
        TopLevel wrapped = topLevel(open, blocks, boxSize, partitions(cut));
        if (fitScale(wrapped) > fitScale(top)) {
          top = wrapped;
        }
      }
    }
    Map<String, Point> at = new LinkedHashMap<>();
    top.boxes.forEach((g, n) -> at.put(g, new Point(n.getX(), n.getY())));
    List<Link> links = new ArrayList<>();
    top.links.forEach((link, edge) -> links.add(new Link(link.from(), link.to(), link.edges(), route(edge))));
    // an empty graph still gets a picture to fit
    return new Frame(name, open, Math.max(100, top.root.getWidth()), Math.max(60, top.root.getHeight()), at, links);
  }

  private record Pair(String from, String to, List<Integer> edges) {}

  private record TopLevel(ElkNode root, Map<String, ElkNode> boxes, Map<Pair, ElkEdge> links) {}

  private TopLevel topLevel(Set<String> open, Map<String, Block> blocks, Map<String, Size> boxSize,
      Map<String, Integer> partitions) {
    ElkNode root = newGraph(Direction.DOWN);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(16));
    root.setProperty(LayeredOptions.SPACING_NODE_NODE, BOX_GAP);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, ROW_GAP);
    // boxes centred in their rows: a compact frame that fits the page larger
    root.setProperty(LayeredOptions.NODE_PLACEMENT_STRATEGY, NodePlacementStrategy.SIMPLE);
    if (partitions == null) {
      root.setProperty(LayeredOptions.GENERATE_POSITION_AND_LAYER_IDS, true);
    } else {
      root.setProperty(CoreOptions.PARTITIONING_ACTIVATE, true);
    }
    Map<String, ElkNode> boxes = new LinkedHashMap<>();
    Map<String, ElkPort> ports = new HashMap<>();
    for (String g : graph.namespaces()) {
      ElkNode box = ElkGraphUtil.createNode(root);
      Size size = boxSize.get(g);
      box.setDimensions(size.width(), size.height());
      if (partitions != null) {
        box.setProperty(CoreOptions.PARTITIONING_PARTITION, partitions.get(g));
      }
      if (open.contains(g)) {
        box.setProperty(CoreOptions.PORT_CONSTRAINTS, PortConstraints.FIXED_POS);
        blocks.get(g).ports().forEach((key, p) -> {
          ElkPort port = port(box, key.startsWith("in:") ? PortSide.NORTH : PortSide.SOUTH);
          port.setLocation(p.x(), p.y());
          ports.put(g + "\n" + key, port);
        });
      }
      boxes.put(g, box);
    }
    Map<Pair, ElkEdge> links = new LinkedHashMap<>();
    between.forEach((from, targets) -> targets.forEach((to, edges) -> {
      ElkConnectableShape source = open.contains(from) ? ports.get(from + "\nout:" + to) : boxes.get(from);
      ElkConnectableShape target = open.contains(to) ? ports.get(to + "\nin:" + from) : boxes.get(to);
      ElkEdge edge = ElkGraphUtil.createSimpleEdge(source, target);
      // beside an open group the counts would take rows of their own: they are in the links' tooltips
      if (open.isEmpty() || open.size() == graph.namespaces().size()) {
        Size label = sizes.linkLabel(edges.size());
        ElkLabel l = ElkGraphUtil.createLabel(String.valueOf(edges.size()), edge);
        l.setDimensions(label.width(), label.height());
        l.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
      }
      links.put(new Pair(from, to, edges), edge);
    }));
    run(root);
    return new TopLevel(root, boxes, links);
  }

  /** The rows of a first pass: ELK's layers, each in ELK's order. */
  private static List<List<String>> rowsOf(TopLevel first) {
    Map<Integer, List<String>> byLayer = new TreeMap<>();
    first.boxes.forEach((g, n) -> byLayer.computeIfAbsent(n.getProperty(LayeredOptions.LAYERING_LAYER_ID), k -> new ArrayList<>()).add(g));
    List<List<String>> rows = new ArrayList<>();
    for (List<String> row : byLayer.values()) {
      row.sort(Comparator.comparingInt(g -> first.boxes.get(g).getProperty(LayeredOptions.CROSSING_MINIMIZATION_POSITION_ID)));
      rows.add(row);
    }
    return rows;
  }

  /** How large a frame is drawn on a page of the shape {@link #ASPECT} when fitted, up to a constant. */
  private static double fitScale(TopLevel top) {
    return Math.min(ASPECT / top.root.getWidth(), 1 / top.root.getHeight());
  }

  /**
   * The widths to wrap rows at (at a box's edge) whose frames, estimated, come closest to
   * {@link #ASPECT}; best first.
   */
  private static List<Double> widths(List<List<String>> rows, Map<String, Size> boxSize) {
    double widest = boxSize.values().stream().mapToDouble(Size::width).max().orElse(0);
    Set<Double> candidates = new LinkedHashSet<>(List.of(widest));
    for (List<String> row : rows) {
      double width = -BOX_GAP;
      for (String g : row) {
        width += BOX_GAP + boxSize.get(g).width();
        if (width >= widest) {
          candidates.add(width);
        }
      }
    }
    Map<Double, Double> score = new HashMap<>();
    for (double width : candidates) {
      double[] frame = frameOf(cut(rows, boxSize, width), boxSize);
      score.put(width, Math.abs(Math.log(frame[0] / frame[1] / ASPECT)));
    }
    return candidates.stream().sorted(Comparator.comparingDouble(score::get)).limit(3).toList();
  }

  private static Map<String, Integer> partitions(List<List<String>> rows) {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      for (String g : rows.get(i)) {
        partitions.put(g, i);
      }
    }
    return partitions;
  }

  /** The rows, each cut in its order into rows no wider than {@code width}. */
  private static List<List<String>> cut(List<List<String>> rows, Map<String, Size> boxSize, double width) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> row : rows) {
      List<String> current = new ArrayList<>();
      double w = 0;
      for (String g : row) {
        double bw = boxSize.get(g).width();
        if (!current.isEmpty() && w + BOX_GAP + bw > width) {
          out.add(current);
          current = new ArrayList<>();
          w = 0;
        }
        w += (current.isEmpty() ? 0 : BOX_GAP) + bw;
        current.add(g);
      }
      out.add(current);
    }
    return out;
  }

  /** An estimate of a frame's width and height from its rows; the space between rows holds the links and their labels. */
  private static double[] frameOf(List<List<String>> rows, Map<String, Size> boxSize) {
    double width = 0;
    double height = 0;
    for (List<String> row : rows) {
      width = Math.max(width, row.stream().mapToDouble(g -> boxSize.get(g).width()).sum() + BOX_GAP * (row.size() - 1));
      height += row.stream().mapToDouble(g -> boxSize.get(g).height()).max().orElse(0) + ROW_GAP;
    }
    return new double[] {width, height};
  }

  // --- ELK -------------------------------------------------------------------------------------------

  private static ElkNode newGraph(Direction direction) {
    ElkNode root = ElkGraphUtil.createGraph();
    configure(root, direction);
    return root;
  }

  private static void configure(ElkNode root, Direction direction) {
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, direction);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    // the order the graph gives (by kind, namespace, name) breaks ties: the same manifests give the same picture
    root.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES);
    root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
    root.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, 8.0);
    root.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 2.0);
  }

  private static void run(ElkNode root) {
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
  }

  /** An edge's points, in the coordinates of the graph it was laid out in, and its label's corner. */
  private static Route route(ElkEdge edge) {
    List<Point> points = new ArrayList<>();
    for (ElkEdgeSection s : edge.getSections()) {
      points.add(new Point(s.getStartX(), s.getStartY()));
      for (ElkBendPoint b : s.getBendPoints()) {
        points.add(new Point(b.getX(), b.getY()));
      }
      points.add(new Point(s.getEndX(), s.getEndY()));
    }
    Point label = edge.getLabels().isEmpty() ? null
        : new Point(edge.getLabels().get(0).getX(), edge.getLabels().get(0).getY());
    return new Route(points, label);
  }

  // --- text ------------------------------------------------------------------------------------------

  /**
   * The width of a line of text in a Helvetica-like sans-serif (Arial, Liberation Sans, Helvetica
   * share their metrics), from the width classes of its characters, with a little to spare.
   */
  static double textWidth(String s, double fontSize, boolean bold) {
    double em = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      em += switch (c) {
        case 'i', 'j', 'l', '.', ',', ':', ';', '\'', '|', '!' -> 0.24;
        case 'f', 't', 'r', 'I', ' ', '/', '(', ')', '[', ']', '-' -> 0.32;
        case 'm', 'w', 'M', 'W', '%', '@' -> 0.86;
        default -> Character.isUpperCase(c) ? 0.68 : Character.isDigit(c) ? 0.56 : c < 128 ? 0.54 : 0.9;
      };
    }
    return em * fontSize * (bold ? 1.08 : 1.0) * 1.04;
  }
}
