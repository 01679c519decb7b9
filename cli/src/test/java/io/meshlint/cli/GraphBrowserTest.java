package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshlint.core.Linter;
import io.meshlint.core.graph.Edge;
import io.meshlint.core.graph.Graph;
import io.meshlint.core.graph.GraphBuilder;
import io.meshlint.core.graph.Node;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The {@code --output html} page in a real browser: Debian's headless Chromium driven through its
 * chromedriver (nothing is downloaded). Skips only where /usr/bin/chromium or /usr/bin/chromedriver
 * is absent; {@code .ci/run} installs them. Leaves target/graph-screenshot.png (the test fixture) and
 * target/graph-example.png (the repository's examples/, as in the README) behind.
 */
class GraphBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String SHOP = GraphCommandTest.SHOP;

  static ChromeDriverService service;
  static WebDriver driver;
  static Path profile;

  @BeforeAll
  static void startChromium() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
            + " not installed (apt-get install -y chromium chromium-driver; .ci/run does it)");
    profile = Files.createTempDirectory("meshlint-chromium");
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=1920,1080");
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().window().setSize(new Dimension(1920, 1080));
  }

  @AfterAll
  static void stopChromium() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** The model the page must show, built as the command builds it with default settings. */
  static Graph model(String path) {
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
        YamlReader.Limits.DEFAULT);
    List<SourceFile> files = RunOptions.sources(List.of(path));
    Linter.Run run = linter.run(files, List.of());
    return GraphBuilder.build(run.mesh(), run.report().findings());
  }

  /** Writes the page for PATH under target/ and opens it from the file. */
  static Path open(String path, String name) throws IOException {
    Cli.Result r = Cli.run("graph", "--output", "html", path);
    assertEquals(0, r.status(), r.err());
    Path page = Path.of("target", name).toAbsolutePath();
    Files.writeString(page, r.out(), StandardCharsets.UTF_8);
    driver.get(page.toUri().toString());
    return page;
  }

  static void screenshot(String name) throws IOException {
    File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  static List<WebElement> css(String selector) {
    return driver.findElements(By.cssSelector(selector));
  }

  @Test
  void everyNodeAndTheRedDanglingEdgesAreDrawn() throws IOException {
    Graph graph = model(SHOP);
    open(SHOP, "graph-test.html");
    Set<String> expected = graph.nodes().stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    Set<String> drawn = css("svg#graph g.node").stream().map(e -> e.getAttribute("data-id"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, drawn);
    for (WebElement node : css("svg#graph g.node")) {
      assertTrue(node.isDisplayed(), node.getAttribute("data-id") + " not displayed");
      org.openqa.selenium.Rectangle box = node.findElement(By.tagName("rect")).getRect();
      assertTrue(box.getWidth() > 20 && box.getHeight() > 10, node.getAttribute("data-id") + " too small: " + box);
    }
    assertEquals(graph.edges().size(), css("svg#graph g.edge").size());

    List<WebElement> dangling = css("svg#graph g.edge.dangling");
    assertEquals(graph.edges().stream().filter(Edge::dangling).count(), dangling.size());
    assertFalse(dangling.isEmpty());
    for (WebElement edge : dangling) {
      WebElement line = edge.findElement(By.cssSelector("path.line"));
      assertTrue(line.isDisplayed());
      assertEquals("rgb(217, 48, 37)", line.getCssValue("stroke"), "dangling edge is red");
      assertTrue(edge.getAttribute("data-from").startsWith("missing:") || edge.getAttribute("data-to").startsWith("missing:"));
      assertTrue(edge.findElement(By.cssSelector("text.label")).getText().contains("IST0101"));
    }
    WebElement missingGateway = driver.findElement(By.cssSelector("g.node[data-id='missing:Gateway/shop/shop-gatway']"));
    assertTrue(missingGateway.getAttribute("class").contains("missing"));
    assertEquals("rgb(217, 48, 37)", missingGateway.findElement(By.tagName("rect")).getCssValue("stroke"));
    // hover titles carry the finding's message
    String title = (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
        "return document.querySelector(\"g.node[data-id='missing:Gateway/shop/shop-gatway'] > title\").textContent");
    assertTrue(title.contains("IST0101 (error): Referenced gateway not found: \"shop-gatway\""), title);
    // the findings are listed beside the picture
    assertEquals(graph.findings().size(), css("#findings li.finding").size());
    screenshot("graph-screenshot.png");
  }

  @Test
  void namespaceFilterHidesTheNamespaceAndItsEdges() throws IOException {
    open(SHOP, "graph-test.html");
    WebElement shop = driver.findElement(By.cssSelector("input.ns-toggle[data-ns='shop']"));
    shop.click();
    for (WebElement node : css("svg#graph g.node[data-ns='shop']")) {
      assertFalse(node.isDisplayed(), node.getAttribute("data-id") + " still shown");
    }
    List<WebElement> outside = css("svg#graph g.node[data-ns='(external)']");
    assertFalse(outside.isEmpty());
    outside.forEach(n -> assertTrue(n.isDisplayed(), n.getAttribute("data-id") + " hidden with shop"));
    for (WebElement edge : css("svg#graph g.edge")) {
      assertFalse(edge.isDisplayed(), "edge into a hidden namespace shown: " + edge.getAttribute("data-from"));
    }
    assertFalse(driver.findElement(By.cssSelector("g.ns[data-ns='shop']")).isDisplayed());
    shop.click();
    css("svg#graph g.node").forEach(n -> assertTrue(n.isDisplayed()));
  }

  @Test
  void zoomChangesTheViewAndFitRestoresIt() throws IOException {
    open(SHOP, "graph-test.html");
    WebElement svg = driver.findElement(By.id("graph"));
    String initial = svg.getDomAttribute("viewBox");
    driver.findElement(By.id("zoom-in")).click();
    String zoomed = svg.getDomAttribute("viewBox");
    assertNotEquals(initial, zoomed);
    assertTrue(Double.parseDouble(zoomed.split(" ")[2]) < Double.parseDouble(initial.split(" ")[2]));
    driver.findElement(By.id("zoom-reset")).click();
    assertEquals(initial, svg.getDomAttribute("viewBox"));
  }

  /** The 300-resource mesh: eight team namespaces behind a shared ingress Gateway. */
  static Path mesh300() throws IOException {
    Path dir = Path.of("target", "mesh-300").toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      assertEquals(300, GeneratedMesh.write(dir, 300, 8));
    }
    return dir;
  }

  @Test
  void aLargeMeshOpensOnALegibleOverviewThatOpensANamespaceInPlace() throws IOException {
    Path mesh = mesh300();
    Graph graph = model(mesh.toString());
    assertTrue(graph.nodes().size() > io.meshlint.cli.graph.HtmlGraph.OPEN_LIMIT, graph.nodes().size() + " nodes");
    open(mesh.toString(), "graph-mesh.html");

    // the overview: one summary box per namespace, nothing inside them shown
    Set<String> groups = new TreeSet<>(graph.namespaces());
    assertEquals(groups, displayed("g.ns > g.summary").stream().map(e -> parentNs(e)).collect(Collectors.toCollection(TreeSet::new)));
    assertTrue(displayed("g.node").isEmpty());
    driver.findElement(By.id("zoom-reset")).click();
    screenshot("graph-mesh-overview.png");
    assertLegibleAndApart(displayed("g.ns > g.summary"));
    // the overview uses the page's width rather than a strip
    assertTrue(drawnWidth(displayed("g.ns > g.summary")) > 0.6 * driver.findElement(By.id("canvas")).getRect().getWidth());
    // dangling references stay visible: the namespaces holding missing nodes say so in red, as do their links
    for (Node missing : graph.nodes().stream().filter(Node::missing).toList()) {
      WebElement box = driver.findElement(By.cssSelector("g.ns[data-ns='" + missing.namespace() + "'] > g.summary"));
      assertTrue(box.findElement(By.cssSelector("text.missing-count")).getText().contains("missing"));
    }
    assertFalse(displayed("g.link.dangling").isEmpty(), "the gateway typo's link is red");
    // the links between namespaces carry every edge between them once
    long crossing = graph.edges().stream()
        .filter(e -> !Graph.groupOf(graph.node(e.from())).equals(Graph.groupOf(graph.node(e.to())))).count();
    assertEquals(crossing, displayed("g.link").stream().mapToLong(l -> l.getAttribute("data-edges").split(" ").length).sum());

    // open the largest team namespace in place, then fit: its nodes legible and apart, the others still closed
    String largest = graph.namespaces().stream().filter(g -> g.startsWith("team-"))
        .max(java.util.Comparator.comparingLong(g -> graph.nodes().stream().filter(n -> Graph.groupOf(n).equals(g)).count()))
        .orElseThrow();
    driver.findElement(By.cssSelector("g.ns[data-ns='" + largest + "'] > g.summary")).click();
    driver.findElement(By.id("zoom-reset")).click();
    Set<String> inside = graph.nodes().stream().filter(n -> Graph.groupOf(n).equals(largest)).map(Node::id)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(inside, displayed("g.node").stream().map(e -> e.getAttribute("data-id")).collect(Collectors.toCollection(TreeSet::new)));
    assertEquals(groups.size() - 1, displayed("g.ns > g.summary").size());
    screenshot("graph-mesh-open.png");
    List<WebElement> shown = new java.util.ArrayList<>(displayed("g.node"));
    shown.addAll(displayed("g.ns > g.summary"));
    assertLegibleAndApart(shown);

    // its title bar closes it again
    driver.findElement(By.cssSelector("g.ns[data-ns='" + largest + "'] g.header")).click();
    assertTrue(displayed("g.node").isEmpty());
    assertEquals(groups.size(), displayed("g.ns > g.summary").size());

    // every namespace open: all nodes drawn, none on another
    driver.findElement(By.id("open-all")).click();
    assertEquals(graph.nodes().size(), displayed("g.node").size());
    assertApart(displayed("g.node"));
  }

  /** Rendered font size in screen pixels of the smallest text of the elements. */
  static double smallestText(List<WebElement> elements) {
    return ((Number) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
        var min = Infinity;
        arguments[0].forEach(function (el) {
          el.querySelectorAll('text').forEach(function (t) {
            var m = t.getScreenCTM();
            min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(m.a * m.a + m.b * m.b));
          });
        });
        return min;""", elements)).doubleValue();
  }

  /**
   * Legible: every text of the elements is drawn at 9 screen pixels or more and inside the element's
   * box; and no two boxes overlap.
   */
  static void assertLegibleAndApart(List<WebElement> elements) {
    assertFalse(elements.isEmpty());
    double smallest = smallestText(elements);
    assertTrue(smallest >= 9, "smallest text " + smallest + " px");
    Object overflow = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
        var out = [];
        arguments[0].forEach(function (el) {
          var box = el.querySelector('rect').getBoundingClientRect();
          el.querySelectorAll(':scope > text').forEach(function (t) {
            var r = t.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1) { out.push(t.textContent); }
          });
        });
        return out;""", elements);
    assertEquals(List.of(), overflow, "text wider than its box");
    assertApart(elements);
  }

  /** No two of the elements' boxes (their first rect) overlap on screen. */
  static void assertApart(List<WebElement> elements) {
    Object overlaps = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
        var boxes = arguments[0].map(function (el) {
          var r = el.querySelector('rect').getBoundingClientRect();
          return { id: el.getAttribute('data-id') || el.parentNode.getAttribute('data-ns'), r: r };
        });
        var out = [];
        for (var i = 0; i < boxes.length; i++) {
          for (var j = i + 1; j < boxes.length; j++) {
            var a = boxes[i].r, b = boxes[j].r;
            if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
              out.push(boxes[i].id + ' / ' + boxes[j].id);
            }
          }
        }
        return out;""", elements);
    assertEquals(List.of(), overlaps, "overlapping boxes");
  }

  static double drawnWidth(List<WebElement> elements) {
    return ((Number) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
        var left = Infinity, right = -Infinity;
        arguments[0].forEach(function (el) {
          var r = el.getBoundingClientRect();
          left = Math.min(left, r.left);
          right = Math.max(right, r.right);
        });
        return right - left;""", elements)).doubleValue();
  }

  static List<WebElement> displayed(String selector) {
    return css("svg#graph " + selector).stream().filter(WebElement::isDisplayed).toList();
  }

  static String parentNs(WebElement summary) {
    return (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
        "return arguments[0].parentNode.getAttribute('data-ns')", summary);
  }

  @Test
  void highlightMarksAPathAndTheClosedNamespacesAndLinksItCrosses() throws IOException {
    Path mesh = mesh300();
    open(mesh.toString(), "graph-mesh.html");
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) driver;
    // the shared Gateway and a VirtualService of team-c bound to it: both namespaces are closed
    js.executeScript("meshlintGraph.highlight(['Gateway/istio-system/public', 'VirtualService/team-c/app0'])");
    assertEquals(Set.of("istio-system", "team-c"), displayed("g.ns.highlight").stream()
        .map(e -> e.getAttribute("data-ns")).collect(Collectors.toSet()));
    List<WebElement> links = displayed("g.link.highlight");
    assertEquals(1, links.size());
    assertEquals("istio-system", links.get(0).getAttribute("data-from"));
    assertEquals("team-c", links.get(0).getAttribute("data-to"));
    // opened, the path's own nodes and the edge's two parts are highlighted
    driver.findElement(By.cssSelector("g.ns[data-ns='team-c'] > g.summary.pill, g.ns[data-ns='team-c'] > g.summary.full")).click();
    assertEquals(List.of("VirtualService/team-c/app0"), displayed("g.node.highlight").stream()
        .map(e -> e.getAttribute("data-id")).toList());
    assertEquals(1, displayed("g.edge-end.highlight").size());
    js.executeScript("meshlintGraph.highlight([])");
    assertTrue(displayed("g.node.highlight").isEmpty());
    assertFalse(driver.findElement(By.id("graph")).getAttribute("class").contains("highlighting"));
  }

  @Test
  void followingASampleRequestShowsItsStoryAndLightsItsPath() throws IOException {
    Path mesh = mesh300();
    open(mesh.toString(), "graph-mesh.html");
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) driver;
    String label = (String) js.executeScript("""
        return JSON.parse(document.getElementById('traces').textContent)
            .map(function (t) { return t.label; })
            .filter(function (l) { return l.indexOf('://app0.team-c.example.com/ from gateway:istio-system/public') > 0; })[0];""");
    assertNotNull(label);
    WebElement input = driver.findElement(By.id("trace-request"));
    input.sendKeys(label);
    input.sendKeys(org.openqa.selenium.Keys.TAB); // leaving the field commits the change, as picking from the list does
    String story = driver.findElement(By.id("trace-story")).getText();
    assertTrue(story.contains("VirtualService team-c/app0"), story);
    assertTrue(story.contains("meshlint trace PATH --url"), story);
    // the destination's namespace opens with the route's nodes lit; the Gateway's closed namespace lights up
    assertTrue(displayed("g.node.highlight").stream().map(e -> e.getAttribute("data-id")).toList()
        .contains("VirtualService/team-c/app0"));
    assertTrue(displayed("g.ns.highlight").stream().anyMatch(e -> e.getAttribute("data-ns").equals("istio-system")));
    input.clear();
    input.sendKeys("GET http://nowhere.example.com/");
    input.sendKeys(org.openqa.selenium.Keys.TAB);
    assertTrue(driver.findElement(By.id("trace-story")).getText().startsWith("Not one of the sample requests"));
    assertTrue(displayed("g.node.highlight").isEmpty());
  }

  @Test
  void theRepositoryExamplesRender() throws IOException {
    Graph graph = model("../examples");
    open("../examples", "graph-example.html");
    assertEquals(graph.nodes().size(), css("svg#graph g.node").size());
    assertFalse(css("svg#graph g.edge.dangling").isEmpty());
    screenshot("graph-example.png");
  }
}
