package io.meshlint.core.rules.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotationCatalogueTest {
  private final AnnotationCatalogue istio = AnnotationCatalogue.istio();

  @Test
  void loadsTheBundledCatalogue() {
    assertEquals("1.28", istio.release());
    assertTrue(istio.names().size() > 60, "annotations: " + istio.names().size());
    AnnotationCatalogue.Annotation inject = istio.find("sidecar.istio.io/inject");
    assertEquals(List.of("Pod"), inject.kinds());
    assertEquals(AnnotationCatalogue.Status.BETA, inject.status());
    assertTrue(inject.deprecated());
    assertFalse(inject.description().isBlank());
    assertEquals(List.of("Service", "ServiceEntry"), istio.find("networking.istio.io/traffic-distribution").kinds());
    assertNull(istio.find("sidecar.istio.io/proxyCpu"));
  }

  @Test
  void anyFitsEveryKind() {
    AnnotationCatalogue.Annotation suppress = istio.find("galley.istio.io/analyze-suppress");
    assertTrue(suppress.fits("Deployment"));
    assertTrue(istio.find("sidecar.istio.io/proxyCPU").fits("Pod"));
    assertFalse(istio.find("sidecar.istio.io/proxyCPU").fits("Deployment"));
  }

  @Test
  void istioDomainsAreThoseIstiosAnalyzerChecks() {
    assertTrue(AnnotationCatalogue.inIstioDomain("sidecar.istio.io/anything"));
    assertTrue(AnnotationCatalogue.inIstioDomain("istio.io/rev"));
    assertTrue(AnnotationCatalogue.inIstioDomain("kubernetes.io/ingress.class"));
    assertFalse(AnnotationCatalogue.inIstioDomain("kubernetes.io/change-cause"));
    assertFalse(AnnotationCatalogue.inIstioDomain("example.com/istio.io"));
    assertFalse(AnnotationCatalogue.inIstioDomain("istio.io.example.com/x"));
  }

  @Test
  void rejectsMalformedCatalogues() {
    assertThrows(IllegalArgumentException.class, () -> AnnotationCatalogue.parse("""
        release: "1.0"
        annotations:
        - {name: a.istio.io/x, kinds: [Pod], status: Alpha}
        - {name: a.istio.io/x, kinds: [Pod], status: Beta}
        """));
    assertThrows(IllegalArgumentException.class, () -> AnnotationCatalogue.parse("""
        release: "1.0"
        annotations:
        - {name: a.istio.io/x, status: Alpha}
        """));
    assertThrows(IllegalArgumentException.class, () -> AnnotationCatalogue.parse("""
        annotations:
        - {name: a.istio.io/x, kinds: [Pod], status: Alpha}
        """));
  }
}
