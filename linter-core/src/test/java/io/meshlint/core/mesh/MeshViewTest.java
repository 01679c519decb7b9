package io.meshlint.core.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeshViewTest {
  private static final String MESH = """
      apiVersion: v1
      kind: Service
      metadata: {name: reviews, namespace: shop}
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: ext, namespace: shop}
      spec:
        hosts: ["*.example.com"]
        exportTo: ["."]
      """;

  private MeshIndex index() {
    Loader loader = new Loader("default", YamlReader.Limits.DEFAULT);
    return new MeshIndex(loader.load(List.of(SourceFile.ofText("m.yaml", MESH)), true).resources(),
        MeshConfig.DEFAULT, Settings.DEFAULT);
  }

  @Test
  void refusesKindsTheRuleDidNotDeclare() {
    MeshView view = index().view(Set.of(Kinds.VIRTUAL_SERVICE));
    assertThrows(MeshView.UndeclaredReadException.class, () -> view.service("reviews", "shop"));
    assertThrows(MeshView.UndeclaredReadException.class, () -> view.workloads("shop"));
  }

  @Test
  void resolvesServiceNamesInEveryFormIstioAccepts() {
    MeshView view = index().view(Set.of(Kinds.SERVICE));
    for (String host : List.of("reviews", "reviews.shop", "reviews.shop.svc", "reviews.shop.svc.cluster.local")) {
      assertNotNull(view.service(host, "shop"), host);
    }
    assertEquals(null, view.service("reviews", "other"));
  }

  @Test
  void matchesWildcardServiceEntriesWithinTheirExportTo() {
    MeshView view = index().view(Set.of(Kinds.SERVICE_ENTRY));
    assertEquals(1, view.serviceEntriesFor("api.example.com", "shop").size());
    assertEquals(0, view.serviceEntriesFor("api.example.com", "other").size());
    assertEquals(0, view.serviceEntriesFor("example.org", "shop").size());
  }

  /**
   * Counting the Gateways that share a certificate from the index, and listing the first of them,
   * agree with the whole list, on a state and on overlays that remove, replace and add Gateways and
   * define one twice.
   */
  @Test
  void countsAndListsTheFirstGatewaysSharingACertificateAsTheWholeListDoes() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      yaml.append(gateway("gw" + i, "team" + i, "wildcard")).append("---\n");
    }
    yaml.append(gateway("gw3", "team3", "wildcard"));
    Loader loader = new Loader("default", YamlReader.Limits.DEFAULT);
    List<Resource> state = loader.load(List.of(SourceFile.ofText("gw.yaml", yaml.toString())), true).resources();
    MeshIndex base = new MeshIndex(state, MeshConfig.DEFAULT, Settings.DEFAULT);
    List<Resource> changes = loader.load(List.of(SourceFile.ofText("change.yaml", gateway("gw1", "team1", "other")
        + "---\n" + gateway("new", "team20", "wildcard") + "---\n" + gateway("gw2", "team2", "wildcard"))), true)
        .resources();
    List<MeshIndex> indexes = List.of(base,
        base.overlay(List.of(state.get(0)), List.of()),
        base.overlay(List.of(state.get(1)), List.of(changes.get(0))),
        base.overlay(List.of(), List.of(changes.get(1), changes.get(2))),
        base.overlay(List.of(state.get(3), state.get(5)), List.of(changes.get(1))),
        base.overlay(List.of(state.get(12)), List.of(changes.get(2))));
    for (MeshIndex index : indexes) {
      MeshView view = index.view(Set.of(Kinds.GATEWAY));
      for (String label : new String[] {"istio=ingressgateway", null}) {
        List<Resource> listed = label == null ? view.gatewaysWithCertificate("credential:wildcard")
            : view.gatewaysWithCertificate("credential:wildcard", label);
        for (Resource except : state) {
          Set<ResourceKey> others = new HashSet<>();
          listed.forEach(r -> others.add(r.key()));
          others.remove(except.key());
          assertEquals(others.size(), view.countGatewaysWithCertificate("credential:wildcard", label, except.key()));
        }
        for (int limit = 0; limit <= listed.size() + 1; limit++) {
          assertEquals(listed.subList(0, Math.min(limit, listed.size())),
              view.firstGatewaysWithCertificate("credential:wildcard", label, limit, r -> true));
        }
        List<Resource> odd = new ArrayList<>();
        listed.stream().filter(r -> r.namespace().hashCode() % 2 != 0).limit(3).forEach(odd::add);
        assertEquals(odd, view.firstGatewaysWithCertificate("credential:wildcard", label, 3,
            r -> r.namespace().hashCode() % 2 != 0));
      }
    }
  }

  private static String gateway(String name, String namespace, String credential) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: %s}
            hosts: ["%s.example.com"]
        """.formatted(name, namespace, credential, namespace);
  }
}
