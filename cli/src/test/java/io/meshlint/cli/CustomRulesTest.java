package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A team's own CEL rules from .meshlint.yaml, as the contract describes them. */
class CustomRulesTest {
  private static final String CONFIG = """
      customRules:
      - code: ACME001
        severity: error
        match: {kinds: [VirtualService], namespaces: [prod]}
        expression: "has(object.spec.http) && object.spec.http.all(r, has(r.timeout))"
        message: every route must set a timeout
      """;

  private static String virtualService(String name, String namespace, String timeout) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %s, namespace: %s}
        spec:
          hosts: [%s]
          http:
          - %sroute:
            - destination: {host: %s}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          ports: [{name: http, port: 80}]
        """.formatted(name, namespace, name, timeout == null ? "" : "timeout: " + timeout + "\n    ", name, name, namespace);
  }

  @Test
  void reportsResourcesThatBreakTheTeamsConvention(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), CONFIG);
    Path manifests = Files.writeString(dir.resolve("vs.yaml"), virtualService("no-timeout", "prod", null)
        + "---\n" + virtualService("with-timeout", "prod", "2s") + "---\n" + virtualService("elsewhere", "dev", null));
    Cli.Result r = Cli.run("lint", "--config", config.toString(), "--output", "json", manifests.toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.out().contains("\"code\" : \"ACME001\""), r.out());
    assertTrue(r.out().contains("\"name\" : \"no-timeout\""), r.out());
    assertFalse(r.out().contains("\"name\" : \"with-timeout\""), "compliant: " + r.out());
    assertFalse(r.out().contains("\"name\" : \"elsewhere\""), "other namespaces are not matched: " + r.out());
  }

  @Test
  void aMalformedExpressionIsAConfigurationErrorWithItsPosition(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), CONFIG.replace("has(r.timeout))", "has(r.timeout)"));
    Cli.Result r = Cli.run("lint", "--config", config.toString(), Cli.CLEAN).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains(config + ":5:"), r.err());
    assertTrue(r.err().contains("custom rule ACME001: invalid expression"), r.err());
  }

  @Test
  void refsLetARuleLookAtWhatTheResourceRefersTo(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), """
        customRules:
        - code: ACME002
          severity: warning
          match: {kinds: [VirtualService]}
          expression: "refs.gateways.all(g, g.metadata.namespace == 'istio-system')"
          message: VirtualServices bind only the shared gateways in istio-system
        """);
    String gateways = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: shared, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: own, namespace: prod}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
        """;
    Path manifests = Files.writeString(dir.resolve("all.yaml"), gateways + "---\n"
        + virtualService("good", "prod", "1s").replace("hosts: [good]", "hosts: [good]\n  gateways: [istio-system/shared]")
        + "---\n" + virtualService("bad", "prod", "1s").replace("hosts: [bad]", "hosts: [bad]\n  gateways: [own]"));
    Cli.Result r = Cli.run("lint", "--config", config.toString(), "--output", "json", manifests.toString());
    assertTrue(r.out().contains("\"code\" : \"ACME002\""), r.out());
    assertTrue(r.out().contains("\"name\" : \"bad\""), r.out());
    assertEquals(1, r.out().split("\"code\" : \"ACME002\"", -1).length - 1, "only the VirtualService on its own gateway: " + r.out());
  }

  @Test
  void customCodesCanBeSwitchedOffLikeBuiltInOnes(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve(".meshlint.yaml"), CONFIG);
    Path manifests = Files.writeString(dir.resolve("vs.yaml"), virtualService("no-timeout", "prod", null));
    Cli.Result r = Cli.run("lint", "--config", config.toString(), "--disable", "ACME001", manifests.toString());
    assertFalse(r.out().contains("ACME001"), r.out());
  }
}
