package io.meshlint.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The graph model on fixtures under {@code src/test/resources/graph}: nodes, edges and markings. */
class GraphTest {
  static final Path DIR = Path.of("src/test/resources/graph");

  /** Builds the graph as {@code meshlint graph} does: every rule on, the run's index and findings. */
  static Graph graph(List<Path> reported, List<Path> context) {
    Set<String> everyCode = BuiltinRules.catalogue().stream().map(RuleInfo::code).collect(Collectors.toSet());
    Engine.Selection selection = new Engine.Selection(Map.of(), everyCode, Set.of(), p -> false);
    Linter linter = new Linter(BuiltinRules.all(), selection, Settings.DEFAULT, null, YamlReader.Limits.DEFAULT);
    Linter.Run run = linter.run(sources(reported), sources(context));
    return GraphBuilder.build(run.mesh(), run.report().findings());
  }

  private static List<SourceFile> sources(List<Path> paths) {
    return paths.stream().map(p -> SourceFile.ofPath(p, p.toString())).toList();
  }

  /** {@code from -> to TYPE "label"}, one line per edge. */
  static List<String> edges(Graph g) {
    return g.edges().stream().map(e -> e.from() + " -> " + e.to() + " " + e.type() + " \"" + e.label() + "\""
        + (e.dangling() ? " DANGLING" : "")).toList();
  }

  static List<String> codes(Node n) {
    return n.marks().stream().map(Mark::code).toList();
  }

  static Node node(Graph g, String id) {
    Node n = g.node(id);
    assertNotNull(n, () -> id + " not among " + g.nodes().stream().map(Node::id).toList());
    return n;
  }

  /**
   * Built once before the tests, not in a static initializer: the engine runs rules on worker
   * threads that would wait for this class's initialization (the ignore matcher is a lambda here).
   */
  static Graph ROUTING;

  @BeforeAll
  static void buildRoutingFixture() {
    ROUTING = graph(List.of(DIR.resolve("routing.yaml")), List.of());
  }

  @Test
  void nodesOfEveryKindGroupedByNamespace() {
    assertEquals(List.of(
        "Gateway/shop/shop-gateway",
        "VirtualService/shop/admin",
        "VirtualService/shop/shop",
        "DestinationRule/shop/reviews#v1",
        "DestinationRule/shop/reviews#v2",
        "DestinationRule/shop/reviews#v9",
        "Service/shop/frontend",
        "Service/shop/reviews",
        "Service/shop/reviews-shadow",
        "ServiceEntry/shop/search",
        "Deployment/shop/frontend",
        "Deployment/shop/reviews-v1",
        "Deployment/shop/reviews-v2",
        "host:api.stripe.com",
        "missing:Host/shop/ratings",
        "missing:Gateway/shop/shop-gatway",
        "missing:Subset/shop/v3 of reviews"), ROUTING.nodes().stream().map(Node::id).toList());
    assertEquals(List.of("shop", Graph.NO_NAMESPACE), ROUTING.namespaces());
    assertEquals(List.of("HTTP 80: shop.example.com, admin.example.com", "selector istio=ingressgateway"),
        node(ROUTING, "Gateway/shop/shop-gateway").details());
    assertEquals(List.of("shop.example.com", "admin.example.com"), node(ROUTING, "Gateway/shop/shop-gateway").hosts());
    Node search = node(ROUTING, "ServiceEntry/shop/search");
    assertTrue(search.external());
    assertEquals(List.of("external: search.example.org", "ports 443/HTTPS"), search.details());
    assertEquals("Subset v1 of reviews", node(ROUTING, "DestinationRule/shop/reviews#v1").title());
    assertEquals("Deployment reviews-v1", node(ROUTING, "Deployment/shop/reviews-v1").title());
    Node stripe = node(ROUTING, "host:api.stripe.com");
    assertTrue(stripe.external());
    assertEquals(null, stripe.namespace());
  }

  @Test
  void edgesCarryBindingRoutesMirrorsSelectionAndCalls() {
    assertEquals(List.of(
        "DestinationRule/shop/reviews#v1 -> Service/shop/reviews SUBSET_OF \"\"",
        "DestinationRule/shop/reviews#v2 -> Service/shop/reviews SUBSET_OF \"\"",
        "DestinationRule/shop/reviews#v9 -> Service/shop/reviews SUBSET_OF \"\"",
        "Gateway/shop/shop-gateway -> VirtualService/shop/shop BINDS \"shop.example.com:80\"",
        "VirtualService/shop/shop -> DestinationRule/shop/reviews#v1 ROUTE \"80% · subset v1 · prefix /reviews · retries · timeout · mirror\"",
        "VirtualService/shop/shop -> DestinationRule/shop/reviews#v2 ROUTE \"20% · subset v2 · prefix /reviews · retries · timeout · mirror\"",
        "VirtualService/shop/shop -> Service/shop/reviews-shadow MIRROR \"mirror 10% · prefix /reviews\"",
        "VirtualService/shop/shop -> Service/shop/frontend ROUTE \":80\"",
        "missing:Gateway/shop/shop-gatway -> VirtualService/shop/admin BINDS \"IST0101\" DANGLING",
        "VirtualService/shop/admin -> missing:Subset/shop/v3 of reviews ROUTE \"subset v3 · fault · IST0101\" DANGLING",
        "VirtualService/shop/admin -> missing:Host/shop/ratings ROUTE \"fault · IST0101\" DANGLING",
        "Service/shop/reviews -> Deployment/shop/reviews-v1 SELECTS \"\"",
        "Service/shop/reviews -> Deployment/shop/reviews-v2 SELECTS \"\"",
        "Service/shop/reviews-shadow -> Deployment/shop/reviews-v2 SELECTS \"\"",
        "Service/shop/frontend -> Deployment/shop/frontend SELECTS \"\"",
        "Deployment/shop/frontend -> host:api.stripe.com CALLS \"URL :443\"",
        "Deployment/shop/frontend -> ServiceEntry/shop/search CALLS \"URL :443\""), edges(ROUTING));
    Edge v1 = ROUTING.edges().get(4);
    assertEquals(new Edge.Route("http", 80, "v1", null, "prefix /reviews",
        Set.of(Edge.Flag.RETRIES, Edge.Flag.TIMEOUT, Edge.Flag.MIRROR), "spec.http[0].route[0].destination"), v1.route());
    assertEquals(Edge.Type.MIRROR, ROUTING.edges().get(6).type());
    assertEquals(10, ROUTING.edges().get(6).route().weight());
  }

  @Test
  void danglingReferencesLeadToMissingNodesMarkedWithTheirCode() {
    for (String id : List.of("missing:Host/shop/ratings", "missing:Gateway/shop/shop-gatway",
        "missing:Subset/shop/v3 of reviews")) {
      Node missing = node(ROUTING, id);
      assertTrue(missing.missing());
      assertEquals(List.of("IST0101"), codes(missing), id);
    }
    assertEquals("missing gateway shop-gatway", node(ROUTING, "missing:Gateway/shop/shop-gatway").title());
    assertEquals("Referenced host not found: \"ratings\"", node(ROUTING, "missing:Host/shop/ratings").marks().get(0).message());
    List<Edge> dangling = ROUTING.edges().stream().filter(Edge::dangling).toList();
    assertEquals(3, dangling.size());
    dangling.forEach(e -> assertEquals("IST0101", e.marks().get(0).code()));
    assertEquals("spec.http[0].route[1].destination.host", dangling.get(2).marks().get(0).path());
    // the VirtualService keeps its other findings, not the dangling references
    assertFalse(codes(node(ROUTING, "VirtualService/shop/admin")).contains("IST0101"));
  }

  @Test
  void findingsMarkTheirNodes() {
    Node gateway = node(ROUTING, "Gateway/shop/shop-gateway");
    assertEquals(List.of("MSH1001"), codes(gateway));
    assertTrue(gateway.marks().get(0).message().contains("admin.example.com"));
    assertEquals("spec.servers[0].hosts[1]", gateway.marks().get(0).path());
    assertEquals(List.of("IST0173"), codes(node(ROUTING, "DestinationRule/shop/reviews#v9")));
    assertEquals(List.of(), codes(node(ROUTING, "DestinationRule/shop/reviews#v1")));
    Node stripe = node(ROUTING, "host:api.stripe.com");
    assertEquals(List.of("MSH1002"), codes(stripe));
    assertTrue(stripe.marks().get(0).message().startsWith("External host \"api.stripe.com\""));
    // a host with its ServiceEntry is no finding, and the workload does not carry MSH1002 itself
    assertEquals(List.of(), codes(node(ROUTING, "ServiceEntry/shop/search")));
    assertFalse(codes(node(ROUTING, "Deployment/shop/frontend")).contains("MSH1002"));
    assertTrue(ROUTING.findings().stream().anyMatch(f -> f.rule().code().equals("MSH1001")));
  }

  @Test
  void contextResourcesAreDrawnOnlyWhereReportedOnesTouchThem() {
    Graph g = graph(List.of(DIR.resolve("context-vs.yaml")), List.of(DIR.resolve("context/services.yaml")));
    assertEquals(List.of("VirtualService/shop/reviews", "Service/shop/reviews", "missing:Host/shop/reviewz"),
        g.nodes().stream().map(Node::id).toList());
    assertTrue(node(g, "VirtualService/shop/reviews").reported());
    assertFalse(node(g, "Service/shop/reviews").reported());
    assertEquals(List.of(
        "VirtualService/shop/reviews -> Service/shop/reviews ROUTE \"\"",
        "VirtualService/shop/reviews -> missing:Host/shop/reviewz ROUTE \"IST0101\" DANGLING"), edges(g));
  }

  @Test
  void focusOnAResourceKeepsWhatItReachesAndWhatReachesIt() {
    Graph admin = ROUTING.focus("VirtualService/shop/admin");
    assertEquals(List.of("VirtualService/shop/admin", "missing:Host/shop/ratings", "missing:Gateway/shop/shop-gatway",
        "missing:Subset/shop/v3 of reviews"), admin.nodes().stream().map(Node::id).toList());
    assertEquals(3, admin.edges().size());
    Graph deployment = ROUTING.focus("deployment/shop/reviews-v1");
    assertEquals(List.of("Gateway/shop/shop-gateway", "VirtualService/shop/shop", "DestinationRule/shop/reviews#v1",
        "DestinationRule/shop/reviews#v2", "DestinationRule/shop/reviews#v9", "Service/shop/reviews",
        "Deployment/shop/reviews-v1"), deployment.nodes().stream().map(Node::id).toList());
  }

  @Test
  void focusOnAHost() {
    Graph ingress = ROUTING.focus("shop.example.com");
    assertTrue(ingress.node("Gateway/shop/shop-gateway") != null);
    assertTrue(ingress.node("Deployment/shop/frontend") != null);
    assertTrue(ingress.node("host:api.stripe.com") != null);
    assertTrue(ingress.node("VirtualService/shop/admin") == null);
    Graph stripe = ROUTING.focus("api.stripe.com");
    assertEquals(List.of("Gateway/shop/shop-gateway", "VirtualService/shop/shop", "Service/shop/frontend",
        "Deployment/shop/frontend", "host:api.stripe.com"), stripe.nodes().stream().map(Node::id).toList());
    // a short Service name, as a route writes it
    assertTrue(ROUTING.focus("reviews.shop.svc.cluster.local").node("missing:Subset/shop/v3 of reviews") != null);
    assertThrows(IllegalArgumentException.class, () -> ROUTING.focus("nothing.example.net"));
    assertThrows(IllegalArgumentException.class, () -> ROUTING.focus("Service/shop/nothing"));
  }
}
