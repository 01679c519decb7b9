package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where input comes from: standard input, context directories, helm output, and broken files. */
class InputTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A VirtualService bound to gateway "web-gw", routing to Service "frontend", both in namespace shop. */
  static final String VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: shop-vs
        namespace: shop
      spec:
        hosts: ["shop.example.com"]
        gateways: ["web-gw"]
        http:
        - route:
          - destination:
              host: frontend
              port: {number: 80}
      """;

  static final String GATEWAY_AND_SERVICE = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: web-gw
        namespace: shop
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["shop.example.com"]
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: frontend
        namespace: shop
      spec:
        selector: {app: frontend}
        ports:
        - {name: http, port: 80}
      """;

  @Test
  void standardInputIsReportedAsStdin() throws IOException {
    String manifest = Files.readString(Path.of(Cli.TYPO));
    Cli.Result r = Cli.runWithStdin(manifest, "lint", "-");
    assertEquals(1, r.status());
    assertTrue(r.lines().contains("Error [IST0101] (VirtualService dev/calcapp-dev-vs <stdin>:26) "
        + "Referenced gateway not found: \"calcapps-dev-gatway\""), r.out());
  }

  @Test
  void contextResolvesReferencesWithoutReportingOnIt(@TempDir Path dir) throws IOException {
    Path vs = Files.writeString(dir.resolve("vs.yaml"), VS);
    Path context = Files.createDirectory(dir.resolve("context"));
    Files.writeString(context.resolve("infra.yaml"), GATEWAY_AND_SERVICE);
    // a broken manifest among the context files: not ours to report
    Files.writeString(context.resolve("other.yaml"), Files.readString(Path.of(Cli.TYPO)));

    Cli.Result alone = Cli.run("lint", vs.toString());
    assertEquals(1, alone.status());
    assertTrue(alone.out().contains("Referenced gateway not found: \"web-gw\""), alone.out());

    Cli.Result withContext = Cli.run("lint", "--context", context.toString(), vs.toString());
    assertEquals(0, withContext.status(), withContext.out());
    assertTrue(withContext.out().startsWith("\u2714 No validation issues found"), withContext.out());
    assertTrue(!withContext.out().contains("other.yaml"), withContext.out());
  }

  @Test
  void helmSourceCommentIsReported(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("rendered.yaml"), """
        ---
        # Source: mychart/templates/vs.yaml
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: vs
        spec:
          hosts: ["x.example.com"]
          gateways: ["nogw"]
          http:
          - route:
            - destination: {host: x.example.com}
        """);
    JsonNode root = JSON.readTree(Cli.run("lint", "--output", "json", file.toString()).out());
    JsonNode f = ReportFormatTest.finding(root, "Referenced gateway not found: \"nogw\"");
    assertEquals("mychart/templates/vs.yaml", f.at("/location/source").asText());
    assertEquals(9, f.at("/location/line").asInt());
  }

  @Test
  void invalidYamlIsAFindingNotACrash(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
        data:
          k: "unclosed
          other: x
        """);
    Cli.Result r = Cli.run("lint", "--output", "json", file.toString()).assertNoStackTrace();
    assertEquals(1, r.status());
    JsonNode f = JSON.readTree(r.out()).get("findings").get(0);
    assertEquals("error", f.get("severity").asText());
    assertEquals(file.toString(), f.at("/location/file").asText());
    int line = f.at("/location/line").asInt();
    assertTrue(line >= 6 && line <= 7, "line " + line + " of a 7-line file: " + f);
  }

  @Test
  void unclosedFlowSequencePointsInsideTheFile(@TempDir Path dir) throws IOException {
    // the file has 6 lines; the parser only notices at the end of the stream
    Path file = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
        + "data:\n  k: [unclosed\n");
    Cli.Result r = Cli.run("lint", "--output", "json", file.toString()).assertNoStackTrace();
    assertEquals(1, r.status());
    int line = JSON.readTree(r.out()).at("/findings/0/location/line").asInt();
    assertEquals(6, line, r.out());
  }

  @Test
  void documentWithoutKindIsAFinding(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("nokind.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: ok
        spec:
          host: ok.example.com
        ---
        apiVersion: v1
        metadata:
          name: x
        """);
    Cli.Result r = Cli.run("lint", file.toString()).assertNoStackTrace();
    assertEquals(1, r.status());
    assertTrue(r.out().contains("(" + file + ":8) document is not a Kubernetes object: it has no kind"), r.out());
  }

  @Test
  void hostsOfTheWrongTypeIsAFinding(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("hosts.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: vs
        spec:
          hosts: foo
        """);
    Cli.Result r = Cli.run("lint", "--output", "json", file.toString()).assertNoStackTrace();
    assertEquals(1, r.status(), r.out());
    assertEquals("IST0106", JSON.readTree(r.out()).at("/findings/0/code").asText(), r.out());
    assertEquals(6, JSON.readTree(r.out()).at("/findings/0/location/line").asInt(), r.out());
  }

  @Test
  void hostsOfTheWrongTypeNeverCrashes(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("hosts.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: vs
        spec:
          hosts: foo
          http:
          - route:
            - destination: {host: foo}
        """);
    Cli.Result r = Cli.run("lint", file.toString()).assertNoStackTrace();
    assertEquals(1, r.status(), r.out());
    assertTrue(r.out().contains(file + ":9) Referenced host not found: \"foo\""), r.out());
  }
}
