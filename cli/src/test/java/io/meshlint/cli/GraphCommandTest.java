package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code meshlint graph}: Mermaid and dot compared with golden files under
 * {@code src/test/resources/graph} (rewrite them with {@code -Dgraph.golden.update=true} and review
 * the diff), and the command reading inputs as lint does.
 */
class GraphCommandTest {
  static final String SHOP = "src/test/resources/graph/shop.yaml";
  static final Path GOLDEN = Path.of("src/test/resources/graph");

  static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("graph.golden.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "differs from " + file);
  }

  @Test
  void mermaidMatchesTheGoldenFile() throws IOException {
    Cli.Result r = Cli.run("graph", SHOP).assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    assertGolden("shop.mmd", r.out());
  }

  @Test
  void mermaidDrawsDanglingReferencesRed() {
    String out = Cli.run("graph", "--output", "mermaid", SHOP).out();
    List<String> links = out.lines().filter(l -> l.matches("  n\\d+ -(->|\\.->).*")).toList();
    List<Integer> red = out.lines().filter(l -> l.startsWith("  linkStyle "))
        .map(l -> Integer.parseInt(l.split(" ")[3])).toList();
    assertEquals(3, red.size(), out);
    for (int i : red) {
      assertTrue(links.get(i).contains("IST0101"), links.get(i));
    }
    assertTrue(out.contains("missing gateway shop-gatway"), out);
    assertTrue(Pattern.compile("class n\\d+ missing").matcher(out).find(), out);
    // the match alternative separator and quotes never break a label
    assertFalse(out.lines().anyMatch(l -> l.contains("|\"") && l.indexOf('|', l.indexOf("|\"") + 2) < l.lastIndexOf("\"|")), out);
  }

  @Test
  void dotMatchesTheGoldenFile() throws IOException {
    Cli.Result r = Cli.run("graph", "--output", "dot", SHOP).assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    assertGolden("shop.dot", r.out());
    assertTrue(r.out().startsWith("digraph meshlint {"));
    assertTrue(r.out().contains("subgraph cluster_0 {\n    label=\"namespace shop\""), r.out());
  }

  @Test
  void htmlIsOnePageThatLoadsNothing() {
    String html = Cli.run("graph", "--output", "html", SHOP).out();
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // no external resources: the only URL is the SVG namespace (the sample requests' URLs are data)
    String page = html.replaceFirst("(?s)<script type=\"application/json\" id=\"traces\">.*?</script>", "");
    Matcher urls = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(page);
    while (urls.find()) {
      assertEquals("http://www.w3.org", urls.group(), "external reference in the page");
    }
    assertFalse(page.contains("<link") || page.contains(" src="), "loads a resource");
    assertTrue(html.contains("data-id=\"missing:Gateway/shop/shop-gatway\""), "missing node drawn");
    assertTrue(html.contains("class=\"edge e-binds dangling\""), "dangling edge drawn");
    assertTrue(html.contains("IST0173"), "findings listed");
  }

  @Test
  void htmlOffersTheRoutesSampleRequestsWithTheirStoriesAndPaths() throws IOException {
    String html = Cli.run("graph", "--output", "html", "../examples").out();
    Matcher json = Pattern.compile("(?s)<script type=\"application/json\" id=\"traces\">(.*?)</script>").matcher(html);
    assertTrue(json.find(), "traces embedded");
    JsonNode traces = new ObjectMapper().readTree(json.group(1));
    JsonNode ingress = null;
    for (JsonNode t : traces) {
      if (t.path("label").asText().equals("GET http://me.example.com/ from gateway:dev/calcapps-dev-gateway")) {
        ingress = t;
      }
    }
    assertNotNull(ingress, traces.toString());
    assertEquals(List.of("Gateway/dev/calcapps-dev-gateway", "VirtualService/dev/calcapp-dev-vs", "Service/dev/calcfrontendsvc",
        "Deployment/dev/calcfrontend"), new ObjectMapper().convertValue(ingress.path("nodes"), List.class));
    assertEquals("routed: routed to calcfrontendsvc.dev.svc.cluster.local:80", ingress.path("outcome").asText());
    // the same story as the command line gives for the command the page shows
    assertEquals("--url 'http://me.example.com/' --from gateway:dev/calcapps-dev-gateway", ingress.path("command").asText());
    Cli.Result cli = Cli.run("trace", "../examples", "--url", "http://me.example.com/", "--from", "gateway:dev/calcapps-dev-gateway");
    List<String> story = new ArrayList<>();
    ingress.path("story").forEach(line -> story.add(line.asText()));
    story.add(ingress.path("outcome").asText());
    assertEquals(cli.lines(), story);
  }

  @Test
  void readsStandardInputAsLintDoes() throws IOException {
    String yaml = Files.readString(Path.of(SHOP));
    Cli.Result fromStdin = Cli.runWithStdin(yaml, "graph", "-");
    assertEquals(0, fromStdin.status(), fromStdin.err());
    assertEquals(Cli.run("graph", SHOP).out(), fromStdin.out());
  }

  @Test
  void contextResolvesReferencesWithoutDrawingEverything() {
    // the pitfall's VirtualService alone, with the seed example as context: its route resolves,
    // the rest of the context is not drawn
    Cli.Result r = Cli.run("graph", "--context", Cli.CLEAN, "../examples/pitfalls/gateway-typo.yaml").assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("Service calcfrontendsvc"), r.out());
    assertTrue(r.out().contains("missing gateway calcapps-dev-gatway"), r.out());
    assertFalse(r.out().contains("ServiceEntry"), r.out());
    assertTrue(r.out().contains("VirtualService calcapp-admin-vs"), r.out());
    assertFalse(r.out().contains("VirtualService calcapp-dev-vs"), r.out());
    assertFalse(r.out().contains("Deployment calcfrontend"), r.out());
  }

  @Test
  void focusDrawsWhatAResourceReachesAndWhatReachesIt() {
    String out = Cli.run("graph", "--focus", "Service/shop/frontend", SHOP).out();
    assertTrue(out.contains("Gateway shop-gateway"), out);
    assertTrue(out.contains("Deployment frontend"), out);
    assertTrue(out.contains("external host api.stripe.com"), out);
    assertFalse(out.contains("VirtualService admin"), out);
    assertFalse(out.contains("Deployment reviews-v1"), out);
    String host = Cli.run("graph", "--focus", "admin.example.com", "--output", "dot", SHOP).out();
    assertTrue(host.contains("VirtualService/shop/admin"), host);
  }

  @Test
  void usageErrors() {
    Cli.Result none = Cli.run("graph").assertNoStackTrace();
    assertEquals(Main.EXIT_USAGE, none.status());
    assertTrue(none.err().contains("PATH"), none.err());
    Cli.Result focus = Cli.run("graph", "--focus", "Service/shop/nothing", SHOP).assertNoStackTrace();
    assertEquals(Main.EXIT_USAGE, focus.status());
    assertTrue(focus.err().contains("--focus Service/shop/nothing matches nothing"), focus.err());
    Cli.Result output = Cli.run("graph", "--output", "png", SHOP).assertNoStackTrace();
    assertEquals(Main.EXIT_USAGE, output.status());
    Cli.Result missing = Cli.run("graph", "no-such-file.yaml").assertNoStackTrace();
    assertEquals(Main.EXIT_USAGE, missing.status());
  }
}
