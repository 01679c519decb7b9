package io.meshlint.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleRequestsTest {
  private static final String MESH = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: edge, namespace: shop}
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*.example.com"]
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["shop/shop.example.com"]
          tls: {mode: SIMPLE, credentialName: shop-cert}
        - port: {number: 9000, name: tcp, protocol: TCP}
          hosts: ["*"]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: shop, namespace: shop}
      spec:
        hosts: [shop.example.com, "*.shop.example.com"]
        gateways: [edge]
        http:
        - match:
          - uri: {exact: /cart}
            method: {exact: POST}
            headers: {x-user: {exact: alice}}
          route: [{destination: {host: cart}}]
        - match:
          - uri: {regex: "/items/[0-9]+"}
          route: [{destination: {host: items}}]
        - match:
          - uri: {prefix: /search}
            queryParams: {q: {exact: shoes}}
          route: [{destination: {host: search}}]
        - route: [{destination: {host: web}}]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews, namespace: shop}
      spec:
        hosts: [reviews]
        http:
        - match:
          - port: 9080
          route: [{destination: {host: reviews}}]
        - route: [{destination: {host: reviews, subset: v1}}]
      """;

  @Test
  void oneRequestPerRuleThroughEachServerThatExposesTheHost() {
    List<String> requests = SampleRequests.of(mesh(), 100).stream()
        .map(r -> r.describe() + " from " + r.from().kind() + " " + r.from().namespace()).toList();
    assertEquals(List.of(
        // VirtualServices by namespace and name. A mesh VirtualService is entered from its namespace's
        // sidecars; its port match, which no sample on port 80 meets, is left out
        "GET http://reviews/ from NAMESPACE shop",
        // the exact match's method and header; the regex rule has no sample; the TCP server takes no HTTP
        "POST http://shop.example.com/cart from GATEWAY shop",
        "POST https://shop.example.com/cart from GATEWAY shop",
        "GET http://shop.example.com/search?q=shoes from GATEWAY shop",
        "GET https://shop.example.com/search?q=shoes from GATEWAY shop",
        "GET http://shop.example.com/ from GATEWAY shop",
        "GET https://shop.example.com/ from GATEWAY shop"), requests);
  }

  @Test
  void theLimitBoundsThePage() {
    assertEquals(2, SampleRequests.of(mesh(), 2).size());
  }

  private static MeshIndex mesh() {
    Engine.Selection none = new Engine.Selection(Map.of(), Set.of(), Set.of(), p -> false);
    Linter linter = new Linter(List.of(), none, Settings.DEFAULT, null, YamlReader.Limits.DEFAULT);
    return linter.run(List.of(SourceFile.ofText("mesh.yaml", MESH)), List.of()).mesh();
  }
}
