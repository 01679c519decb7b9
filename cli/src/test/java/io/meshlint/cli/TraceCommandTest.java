package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code meshlint trace} as the contract fixes it: the JSON object (validated against
 * {@code trace-output.schema.json} for every trace fixture), the text story, the exit status of
 * each outcome, usage errors, and lint's findings on the objects the request passes.
 */
class TraceCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FIXTURES = Path.of("../linter-core/src/test/resources/trace");

  private static JsonSchema schema() throws IOException {
    try (InputStream in = TraceCommandTest.class.getResourceAsStream("/trace-output.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
    }
  }

  /** Every request of every trace fixture, as command-line arguments. */
  static Stream<Arguments> fixtureRequests() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path expect : files.filter(p -> p.toString().endsWith(".expect.yaml")).sorted().toList()) {
        String manifests = expect.toString().replace(".expect.yaml", ".yaml");
        JsonNode cases = new YamlReader(YamlReader.Limits.DEFAULT).parse(Files.readString(expect)).documents().get(0);
        for (JsonNode c : cases) {
          List<String> args = new ArrayList<>(List.of("trace", manifests, "--url", c.path("url").asText(),
              "--method", c.path("method").asText("GET"), "--from", c.path("from").asText("gateway"), "--output", "json"));
          c.path("headers").forEach(h -> args.addAll(List.of("--header", h.asText())));
          out.add(Arguments.of(Named.of(expect.getFileName() + ": " + c.path("case").asText(), args), c.has("error")));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtureRequests")
  void everyFixtureRequestGivesTheContractsJsonAndExitStatus(List<String> args, boolean usageError) throws Exception {
    Cli.Result r = Cli.run(args.toArray(String[]::new)).assertNoStackTrace();
    if (usageError) {
      assertEquals(2, r.status(), r.err());
      assertEquals("", r.out());
      assertTrue(r.err().startsWith("meshlint: "), r.err());
      return;
    }
    JsonNode trace = JSON.readTree(r.out());
    Set<ValidationMessage> errors = schema().validate(trace);
    assertEquals(Set.of(), errors, "schema violations in\n" + r.out());
    String result = trace.path("outcome").path("result").asText();
    int expected = Set.of("routed", "redirect", "direct-response").contains(result) ? 0 : 1;
    assertEquals(expected, r.status(), result + ": " + r.err());
  }

  @Test
  void theSchemaCheckCatchesAMissingField() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode trace = (com.fasterxml.jackson.databind.node.ObjectNode)
        JSON.readTree(Cli.run("trace", Cli.CLEAN, "--url", "http://me.example.com/", "--output", "json").out());
    ((com.fasterxml.jackson.databind.node.ObjectNode) trace.path("destinations").get(0)).remove("tls");
    assertFalse(schema().validate(trace).isEmpty());
  }

  @Test
  void theSeedsIngressRouteAsTheContractShowsIt() throws Exception {
    Cli.Result r = Cli.run("trace", Cli.CLEAN, "--url", "http://me.example.com/", "--output", "json").assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    JsonNode expected = JSON.readTree("""
        {"request": {"method": "GET", "scheme": "http", "host": "me.example.com", "port": 80, "path": "/",
                     "headers": {}, "from": {"kind": "Gateway", "namespace": "dev", "name": "calcapps-dev-gateway"}},
         "outcome": {"result": "routed", "status": null,
                     "reason": "routed to calcfrontendsvc.dev.svc.cluster.local:80"},
         "hops": [
           {"kind": "Gateway", "namespace": "dev", "name": "calcapps-dev-gateway", "field": "spec.servers[0]",
            "note": "port 80 HTTP, hosts [\\"me.example.com\\"] take me.example.com"},
           {"kind": "VirtualService", "namespace": "dev", "name": "calcapp-dev-vs", "field": "spec.http[0]",
            "note": "match[0] (uri prefix \\"/\\") takes the request"}],
         "destinations": [
           {"host": "calcfrontendsvc.dev.svc.cluster.local", "port": 80, "subset": null, "weight": 100,
            "target": {"kind": "Service", "namespace": "dev", "name": "calcfrontendsvc"},
            "destinationRule": null,
            "workloads": [{"kind": "Deployment", "namespace": "dev", "name": "calcfrontend"}],
            "tls": "ISTIO_MUTUAL",
            "authorization": {"decision": "allow", "policy": null}}],
         "effects": {"fault": null, "mirrors": [], "timeout": null, "retries": null, "rewrite": null,
                     "redirect": null, "directResponse": null},
         "findings": []}""");
    assertEquals(expected, JSON.readTree(r.out()));
  }

  @Test
  void theTextToldHopByHopEndsWithTheOutcome() {
    Cli.Result r = Cli.run("trace", Cli.CLEAN, "--url", "http://me.example.com/cart").assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    assertEquals(List.of(
        "GET http://me.example.com/cart from Gateway dev/calcapps-dev-gateway",
        "  Gateway dev/calcapps-dev-gateway spec.servers[0] (../examples/mesh/ingress.yaml:12): port 80 HTTP, hosts"
            + " [\"me.example.com\"] take me.example.com",
        "  VirtualService dev/calcapp-dev-vs spec.http[0] (../examples/mesh/ingress.yaml:30): match[0] (uri prefix \"/\")"
            + " takes the request",
        "  -> calcfrontendsvc.dev.svc.cluster.local:80 100%: Service dev/calcfrontendsvc, Deployment dev/calcfrontend,"
            + " tls ISTIO_MUTUAL, authorization allow",
        "routed: routed to calcfrontendsvc.dev.svc.cluster.local:80"), r.lines());
  }

  @Test
  void findingsAreLintsOnTheObjectsTheRequestPasses() throws Exception {
    String chaos = "src/test/resources/chaos.yaml";
    Cli.Result r = Cli.run("trace", chaos, "--url", "http://calcbackendsvc/", "--from", "workload:dev/calcfrontend",
        "--output", "json").assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    JsonNode trace = JSON.readTree(r.out());
    assertEquals("routed", trace.path("outcome").path("result").asText());
    assertTrue(trace.path("outcome").path("reason").asText().contains("the mirror host "
        + "calcbackendsvc-canary.dev.svc.cluster.local resolves to no Service or ServiceEntry: the copies are dropped"), r.out());
    List<String> findings = new ArrayList<>();
    for (JsonNode f : trace.path("findings")) {
      findings.add(f.path("code").asText() + " " + f.path("resource").path("kind").asText() + " "
          + f.path("resource").path("name").asText() + " " + f.path("location").path("line").asInt());
      assertTrue(f.has("docs") && f.has("message") && f.path("resource").has("apiVersion"), f.toString());
    }
    assertEquals(List.of("MSH1010 VirtualService calcbackend-chaos 13", "IST0101 VirtualService calcbackend-chaos 18"),
        findings);
    List<String> lines = Cli.run("trace", chaos, "--url", "http://calcbackendsvc/", "--from", "workload:dev/calcfrontend")
        .lines();
    assertTrue(lines.contains("  Error [IST0101] (VirtualService dev/calcbackend-chaos " + chaos + ":18) Referenced mirror host"
        + " not found: \"calcbackendsvc-canary\""), String.join("\n", lines));
    assertTrue(lines.contains("  effects: fault abort 503 for 10%, mirror to calcbackendsvc-canary.dev.svc.cluster.local for 100%"),
        String.join("\n", lines));
    assertTrue(lines.get(lines.size() - 1).startsWith("routed: "), String.join("\n", lines));
  }

  @Test
  void objectsTheRequestDoesNotPassBringNoFindings() throws Exception {
    // examples/ has the typo'd VirtualService and the pitfalls; the ingress route passes none of them.
    Cli.Result r = Cli.run("trace", "../examples", "--url", "http://me.example.com/", "--output", "json");
    assertEquals(0, r.status(), r.err());
    assertEquals(0, JSON.readTree(r.out()).path("findings").size(), r.out());
  }

  @Test
  void withContextFindingsComeOnlyFromThePathsGiven() throws Exception {
    Cli.Result r = Cli.run("trace", "../examples/mesh/ingress.yaml", "--context", "../examples", "--url",
        "http://me.example.com/", "--output", "json").assertNoStackTrace();
    assertEquals(0, r.status(), r.err());
    JsonNode trace = JSON.readTree(r.out());
    assertEquals("Deployment", trace.path("destinations").get(0).path("workloads").get(0).path("kind").asText());
    assertEquals(0, trace.path("findings").size(), r.out());
  }

  @Test
  void aDeniedRequestExitsOne() {
    Cli.Result r = Cli.run("trace", FIXTURES.resolve("authorization.yaml").toString(), "--url", "http://reviews/reviews/1",
        "--method", "POST", "--from", "workload:shop/productpage").assertNoStackTrace();
    assertEquals(1, r.status(), r.out());
    assertTrue(r.lines().get(r.lines().size() - 1).startsWith("denied 403: "), r.out());
  }

  @Test
  void noGatewayExposingTheHostIsAUsageError() {
    Cli.Result r = Cli.run("trace", Cli.CLEAN, "--url", "http://shop.example.com/").assertNoStackTrace();
    assertEquals(2, r.status());
    assertEquals("", r.out());
    assertTrue(r.err().contains("no Gateway exposes shop.example.com:80"), r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://me.example.com/", "http://", "tcp://db.example.com", "http://me.example.com:99999/",
      "me.example.com"})
  void aMalformedUrlIsAUsageError(String url) {
    Cli.Result r = Cli.run("trace", Cli.CLEAN, "--url", url).assertNoStackTrace();
    assertEquals(2, r.status(), r.out());
    assertTrue(r.err().startsWith("meshlint: --url "), r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"pod", "workload:dev", "workload:dev/nothing", "gateway:dev/nothing", "namespace:",
      "namespace:nowhere"})
  void anUnknownOrMalformedSourceIsAUsageError(String from) {
    Cli.Result r = Cli.run("trace", Cli.CLEAN, "--url", "http://me.example.com/", "--from", from).assertNoStackTrace();
    assertEquals(2, r.status(), r.out());
    assertTrue(r.err().startsWith("meshlint: "), r.err());
  }

  @Test
  void aMalformedHeaderIsAUsageError() {
    Cli.Result r = Cli.run("trace", Cli.CLEAN, "--url", "http://me.example.com/", "--header", "no-colon").assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--header no-colon: expected NAME:VALUE"), r.err());
  }

  @Test
  void missingUrlPathOrFileIsAUsageError() {
    assertEquals(2, Cli.run("trace", Cli.CLEAN).assertNoStackTrace().status());
    assertEquals(2, Cli.run("trace", "--url", "http://me.example.com/").assertNoStackTrace().status());
    Cli.Result missing = Cli.run("trace", "no/such/file.yaml", "--url", "http://me.example.com/").assertNoStackTrace();
    assertEquals(2, missing.status());
  }

  @Test
  void helpExitsZero() {
    Cli.Result r = Cli.run("trace", "--help");
    assertEquals(0, r.status());
    assertTrue(r.out().contains("--url") && r.out().contains("--from") && r.out().contains("--context")
        && r.out().contains("--mesh-config"), r.out());
  }

  @Test
  void theMeshConfigOptionDecidesTheOutboundPolicy() {
    String meshConfig = "src/test/resources/registry-only-mesh.yaml";
    Cli.Result allowAny = Cli.run("trace", Cli.CLEAN, "--url", "https://api.example.com/", "--from", "workload:dev/calcfrontend");
    assertEquals(0, allowAny.status(), allowAny.out());
    Cli.Result blocked = Cli.run("trace", Cli.CLEAN, "--mesh-config", meshConfig, "--url", "https://api.example.com/",
        "--from", "workload:dev/calcfrontend");
    assertEquals(1, blocked.status(), blocked.out());
    assertTrue(blocked.lines().get(blocked.lines().size() - 1).startsWith("blocked: "), blocked.out());
  }
}
