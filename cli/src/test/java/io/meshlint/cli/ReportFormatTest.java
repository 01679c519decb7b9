package io.meshlint.cli;

import static io.meshlint.cli.Cli.CLEAN;
import static io.meshlint.cli.Cli.TYPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** What a user reads in each output format. */
class ReportFormatTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void suggestionsAreInJsonAndUnderTheLineWithVerbose() throws Exception {
    String manifest = "../examples/pitfalls/app-insights.yaml";
    JsonNode report = JSON.readTree(Cli.run("lint", "--output", "json", manifest).out());
    JsonNode external = null;
    for (JsonNode f : report.get("findings")) {
      if (f.path("code").asText().equals("MSH1002")) {
        external = f;
      }
    }
    assertTrue(external != null, report.toPrettyString());
    assertTrue(external.path("suggestion").asText().contains("kind: ServiceEntry"), external.toPrettyString());
    assertTrue(external.path("suggestion").asText().contains("namespace: calc"), external.toPrettyString());

    List<String> verbose = Cli.run("lint", "--verbose", manifest).lines();
    int line = verbose.indexOf(verbose.stream().filter(l -> l.contains("[MSH1002]")).findFirst().orElseThrow());
    assertEquals("  Suggestion:", verbose.get(line + 1));
    assertEquals("    kind: ServiceEntry", verbose.get(line + 3));
    assertFalse(Cli.run("lint", manifest).out().contains("Suggestion:"), "only with --verbose");
  }

  @Test
  void textLineInIstioctlStyle() {
    Cli.Result r = Cli.run("lint", TYPO);
    assertTrue(r.lines().contains("Error [IST0101] (VirtualService dev/calcapp-dev-vs " + TYPO
        + ":26) Referenced gateway not found: \"calcapps-dev-gatway\""), r.out());
    assertEquals("", r.err());
  }

  @Test
  void textSaysSoWhenClean() {
    Cli.Result r = Cli.run("lint", CLEAN);
    assertTrue(r.out().startsWith("\u2714 No validation issues found when analyzing 3 files"), r.out());
  }

  @Test
  void jsonHoldsTheContractFields() throws IOException {
    Cli.Result r = Cli.run("lint", "--output", "json", TYPO);
    JsonNode root = JSON.readTree(r.out()); // fails when anything but JSON is on stdout
    JsonNode f = finding(root, "Referenced gateway not found: \"calcapps-dev-gatway\"");
    assertEquals("IST0101", f.get("code").asText());
    assertEquals("ReferencedResourceNotFound", f.get("name").asText());
    assertEquals("error", f.get("severity").asText());
    assertEquals("networking.istio.io/v1alpha3", f.at("/resource/apiVersion").asText());
    assertEquals("VirtualService", f.at("/resource/kind").asText());
    assertEquals("dev", f.at("/resource/namespace").asText());
    assertEquals("calcapp-dev-vs", f.at("/resource/name").asText());
    assertEquals(TYPO, f.at("/location/file").asText());
    assertEquals(26, f.at("/location/line").asInt());
    assertEquals(5, f.at("/location/column").asInt());
    assertTrue(f.get("docs").asText().startsWith("https://istio.io/"), f.get("docs").asText());

    JsonNode summary = root.get("summary");
    assertEquals(1, summary.get("files").asInt());
    assertEquals(2, summary.get("resources").asInt());
    assertEquals(2, summary.get("errors").asInt());
    assertEquals(2, summary.get("warnings").asInt(), "MSH1001, and IST0132 for the gateway that is not there");
    assertEquals(0, summary.get("infos").asInt());
    for (JsonNode each : root.get("findings")) {
      assertTrue(List.of("error", "warning", "info").contains(each.get("severity").asText()));
    }
  }

  @Test
  void jsonNamespaceIsTheEffectiveOne(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gw.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: gw
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["a.example.com"]
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: plain
        """);
    JsonNode root = JSON.readTree(Cli.run("lint", "--output", "json", "--default-namespace", "team", file.toString()).out());
    JsonNode gateway = byKind(root, "Gateway");
    assertEquals("team", gateway.at("/resource/namespace").asText());
    JsonNode namespace = byKind(root, "Namespace");
    assertTrue(namespace.get("resource").has("namespace"), "namespace key present");
    assertTrue(namespace.at("/resource/namespace").isNull(), namespace.toString());
  }

  @Test
  void jsonIsEmptyButCompleteWhenClean() throws IOException {
    JsonNode root = JSON.readTree(Cli.run("lint", "--output", "json", CLEAN).out());
    assertEquals(0, root.get("findings").size());
    assertEquals(3, root.at("/summary/files").asInt());
    assertEquals(0, root.at("/summary/errors").asInt());
  }

  @Test
  void junitIsWellFormedXmlWithFailuresCounted() throws Exception {
    Cli.Result r = Cli.run("lint", "--output", "junit", TYPO);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
    Element suites = doc.getDocumentElement();
    assertEquals("testsuites", suites.getTagName());
    assertEquals("4", suites.getAttribute("tests"));
    // the two errors fail; the MSH1001 and IST0132 warnings are below --fail-on error
    assertEquals("2", suites.getAttribute("failures"));
    assertEquals(2, doc.getElementsByTagName("failure").getLength());
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals(TYPO, suite.getAttribute("name"));
    assertEquals("2", suite.getAttribute("failures"));
  }

  @Test
  void junitFailOnWarningCountsTheWarningToo() throws Exception {
    Cli.Result r = Cli.run("lint", "--output", "junit", "--fail-on", "warning", TYPO);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
    assertEquals("4", doc.getDocumentElement().getAttribute("failures"));
  }

  @Test
  void junitCleanRunHasAPassingCasePerFile() throws Exception {
    Cli.Result r = Cli.run("lint", "--output", "junit", CLEAN);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
    assertEquals("0", doc.getDocumentElement().getAttribute("failures"));
    assertEquals(3, doc.getElementsByTagName("testcase").getLength());
  }

  @Test
  void githubAnnotations() {
    Cli.Result r = Cli.run("lint", "--output", "github", TYPO);
    assertTrue(r.lines().contains("::error file=" + TYPO + ",line=26,col=5,title=IST0101 ReferencedResourceNotFound::"
        + "VirtualService dev/calcapp-dev-vs: Referenced gateway not found: \"calcapps-dev-gatway\""), r.out());
    assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("::warning file=" + TYPO + ",line=15,")), r.out());
    assertTrue(r.lines().stream().allMatch(l -> l.startsWith("::")), r.out());
  }

  static JsonNode finding(JsonNode root, String message) {
    for (JsonNode f : root.get("findings")) {
      if (f.get("message").asText().equals(message)) {
        return f;
      }
    }
    throw new AssertionError("no finding " + message + " in " + root.toPrettyString());
  }

  static JsonNode byKind(JsonNode root, String kind) {
    for (JsonNode f : root.get("findings")) {
      if (kind.equals(f.at("/resource/kind").asText())) {
        return f;
      }
    }
    throw new AssertionError("no finding on a " + kind + " in " + root.toPrettyString());
  }
}
