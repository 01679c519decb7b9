package io.meshlint.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Dependents;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Checks that depend on other resources only under narrow conditions (TLS origination towards a
 * ServiceEntry host, a policy host that resolves nowhere, a subset of an egress gateway's host, a
 * mesh-wide DestinationRule against namespaces disabling mTLS) read them through index lookups: a
 * change to an unrelated resource of the same kind leaves them alone (the webhook re-runs a check
 * only when the change touches what it read), while a change to a resource they depend on does not.
 */
class IndexedReadsTest {
  private static final String MESH = """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: api, namespace: shop}
      spec:
        hosts: [api.example.com]
        ports:
        - {number: 80, name: http, protocol: HTTP}
        - {number: 443, name: https, protocol: HTTPS}
        resolution: DNS
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: api, namespace: shop}
      spec:
        host: api.example.com
        trafficPolicy:
          tls: {mode: SIMPLE}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: by-host, namespace: shop}
      spec:
        rules:
        - to:
          - operation: {hosts: [portal.example.com]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: egressgw, namespace: istio-system}
      spec:
        selector: {istio: egressgateway}
        ports: [{port: 443, name: tls}]
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: egressgw, namespace: istio-system}
      spec:
        host: egressgw.istio-system.svc.cluster.local
        subsets: [{name: api}]
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: default, namespace: istio-system}
      spec:
        host: "*.local"
        trafficPolicy:
          tls: {mode: ISTIO_MUTUAL}
      ---
      """;

  /** Resources a platform has many of, unrelated to the checks above. */
  private static String unrelated(int i) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: app%1$d, namespace: team%1$d}
        spec:
          hosts: [app%1$d, app%1$d.example.com]
          gateways: [istio-system/ingress, mesh]
          http:
          - route:
            - destination: {host: app%1$d, subset: v1}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: team%1$d}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: wildcard}
            hosts: ["app%1$d.example.com"]
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: team%1$d}
        spec:
          mtls: {mode: STRICT}
        ---
        """.formatted(i);
  }

  private final Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
      YamlReader.Limits.DEFAULT);

  @Test
  void unrelatedChangesDoNotReachTheNarrowChecks() {
    String yaml = MESH + IntStream.range(0, 20).mapToObj(IndexedReadsTest::unrelated).collect(Collectors.joining());
    Loader.Result state = linter.load(List.of(SourceFile.ofText("mesh.yaml", yaml)), true);
    Engine.Tracked tracked = engine().track(new MeshIndex(state.resources(), MeshConfig.DEFAULT, Settings.DEFAULT));

    for (String code : List.of("MSH1014", "MSH1015", "MSH1042", "MSH1043", "MSH1045")) {
      Set<String> reached = reached(tracked, code, unrelated(99));
      assertEquals(Set.of(), reached, code + " re-checks resources for an unrelated VirtualService, Gateway and "
          + "PeerAuthentication");
    }
  }

  @Test
  void relatedChangesReachThem() {
    Loader.Result state = linter.load(List.of(SourceFile.ofText("mesh.yaml", MESH)), true);
    Engine.Tracked tracked = engine().track(new MeshIndex(state.resources(), MeshConfig.DEFAULT, Settings.DEFAULT));

    String rewrite = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: api, namespace: shop}
        spec:
          hosts: [api.example.com]
          http:
          - match: [{port: 80}]
            route:
            - destination: {host: api.example.com, port: {number: 443}}
        """;
    assertTrue(reached(tracked, "MSH1014", rewrite).contains("DestinationRule shop/api"));
    assertTrue(reached(tracked, "MSH1015", rewrite).contains("DestinationRule shop/api"));
    String portal = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: portal, namespace: shop}
        spec:
          hosts: [portal.example.com]
          gateways: [istio-system/ingress]
          http:
          - route:
            - destination: {host: portal}
        """;
    assertEquals(Set.of("AuthorizationPolicy shop/by-host"), reached(tracked, "MSH1042", portal));
    String egressGateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: egress, namespace: istio-system}
        spec:
          selector: {istio: egressgateway}
          servers:
          - port: {number: 443, name: tls, protocol: TLS}
            hosts: [api.example.com]
            tls: {mode: ISTIO_MUTUAL}
        """;
    assertTrue(reached(tracked, "MSH1043", egressGateway).contains("DestinationRule istio-system/egressgw"));
    String disabled = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: legacy}
        spec:
          mtls: {mode: DISABLE}
        """;
    assertTrue(reached(tracked, "MSH1045", disabled).contains("DestinationRule istio-system/default"));
  }

  /**
   * Over every rule fixture: which rules read every resource of a kind (a scan, which the webhook
   * re-runs on any change of that kind). Only these may: IST0101 lists Namespaces to match a source
   * namespace pattern with a wildcard, IST0175 lists RequestAuthentications for the one istiod
   * Deployment, and IST0139/IST0146 read the injection webhook configurations (a cluster has a
   * handful). A rule that needs others must add an index lookup.
   */
  @Test
  void onlyKnownChecksReadEveryResourceOfAKind() {
    Map<Path, Loader.Result> states = new java.util.LinkedHashMap<>();
    Set<String> kinds = new TreeSet<>();
    for (Path fixture : Fixtures.all()) {
      Loader.Result state = linter.load(List.of(SourceFile.ofPath(fixture, fixture.toString())), true);
      states.put(fixture, state);
      state.resources().forEach(r -> kinds.add(r.kindKey()));
    }
    Map<String, Set<String>> scans = new TreeMap<>();
    states.forEach((fixture, state) -> {
      Engine.Tracked tracked = engine().track(new MeshIndex(state.resources(), MeshConfig.DEFAULT, Settings.DEFAULT));
      tracked.dependentsByRule().forEach((code, dependents) -> {
        for (String kind : kinds) {
          Set<Resource> readers = new HashSet<>();
          dependents.collect("kind|" + kind, readers);
          if (!readers.isEmpty()) {
            scans.computeIfAbsent(code, k -> new TreeSet<>()).add(kind);
          }
        }
      });
    });
    String injectors = "MutatingWebhookConfiguration.admissionregistration.k8s.io";
    assertEquals(Map.of("IST0101", Set.of(Kinds.NAMESPACE), "IST0175", Set.of(Kinds.REQUEST_AUTHENTICATION),
        "IST0139", Set.of(injectors), "IST0146", Set.of(injectors)), scans);
  }

  /** The resources whose checks of {@code code} read a key that creating {@code yaml}'s objects touches. */
  private Set<String> reached(Engine.Tracked tracked, String code, String yaml) {
    Dependents dependents = tracked.dependentsByRule().get(code);
    List<Resource> changed = linter.load(List.of(SourceFile.ofText("change.yaml", yaml)), true).resources();
    Set<Resource> out = new HashSet<>();
    dependents.collect(Dependents.keysOf(new MeshIndex(changed, MeshConfig.DEFAULT, Settings.DEFAULT)), out);
    return out.stream().map(r -> r.kind() + " " + r.namespace() + "/" + r.name()).collect(Collectors.toSet());
  }

  private static Engine engine() {
    return new Engine(BuiltinRules.all(), Engine.Selection.DEFAULTS, YamlReader.Limits.DEFAULT);
  }
}
