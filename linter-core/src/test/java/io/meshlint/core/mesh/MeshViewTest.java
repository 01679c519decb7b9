package io.meshlint.core.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
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
}
