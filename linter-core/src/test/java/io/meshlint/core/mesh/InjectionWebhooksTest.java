package io.meshlint.core.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InjectionWebhooksTest {
  /** The webhooks Istio's charts install for the default revision and for revision canary. */
  private static final String WEBHOOKS = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: MutatingWebhookConfiguration
      metadata: {name: istio-sidecar-injector}
      webhooks:
      - name: namespace.sidecar-injector.istio.io
        namespaceSelector:
          matchExpressions: [{key: istio-injection, operator: In, values: [enabled]}]
        objectSelector:
          matchExpressions: [{key: sidecar.istio.io/inject, operator: NotIn, values: ["false"]}]
      - name: object.sidecar-injector.istio.io
        namespaceSelector:
          matchExpressions:
          - {key: istio-injection, operator: DoesNotExist}
          - {key: istio.io/rev, operator: DoesNotExist}
        objectSelector:
          matchExpressions:
          - {key: sidecar.istio.io/inject, operator: In, values: ["true"]}
          - {key: istio.io/rev, operator: DoesNotExist}
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: MutatingWebhookConfiguration
      metadata:
        name: istio-sidecar-injector-canary
        labels: {istio.io/rev: canary}
      webhooks:
      - name: rev.namespace.sidecar-injector.istio.io
        namespaceSelector:
          matchExpressions:
          - {key: istio.io/rev, operator: In, values: [canary]}
          - {key: istio-injection, operator: DoesNotExist}
        objectSelector:
          matchExpressions: [{key: sidecar.istio.io/inject, operator: NotIn, values: ["false"]}]
      - name: rev.object.sidecar-injector.istio.io
        namespaceSelector:
          matchExpressions:
          - {key: istio.io/rev, operator: DoesNotExist}
          - {key: istio-injection, operator: DoesNotExist}
        objectSelector:
          matchExpressions:
          - {key: sidecar.istio.io/inject, operator: NotIn, values: ["false"]}
          - {key: istio.io/rev, operator: In, values: [canary]}
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: MutatingWebhookConfiguration
      metadata: {name: other-injector}
      webhooks:
      - name: inject.example.com
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: istio-sidecar-injector-canary, namespace: istio-system}
      data:
        values: '{"global": {"hub": "docker.io/istio", "tag": "1.22.0", "proxy": {"image": "proxyv2"}},
          "sidecarInjectorWebhook": {"enableNamespacesByDefault": true}}'
      """;

  private static MeshView view() {
    Loader loader = new Loader("default", YamlReader.Limits.DEFAULT);
    MeshIndex index = new MeshIndex(loader.load(List.of(SourceFile.ofText("w.yaml", WEBHOOKS)), true).resources(),
        MeshConfig.DEFAULT, Settings.DEFAULT);
    return index.view(Set.of(InjectionWebhooks.KIND, Kinds.CONFIG_MAP));
  }

  @Test
  void findsTheRevisionThatInjectsAPod() {
    InjectionWebhooks webhooks = view().injectionWebhooks();
    assertEquals("default", webhooks.injectingRevision("shop", Map.of("istio-injection", "enabled"), Map.of()));
    assertEquals("canary", webhooks.injectingRevision("shop", Map.of("istio.io/rev", "canary"), Map.of()));
    assertEquals("canary", webhooks.injectingRevision("shop", Map.of(), Map.of("istio.io/rev", "canary")));
    assertEquals("default", webhooks.injectingRevision("shop", Map.of(), Map.of("sidecar.istio.io/inject", "true")));
    assertNull(webhooks.injectingRevision("shop", Map.of(), Map.of()));
    assertNull(webhooks.injectingRevision("shop", Map.of("istio-injection", "enabled"),
        Map.of("sidecar.istio.io/inject", "false")));
    // The legacy namespace label beats a pod's revision label.
    assertEquals(List.of("istio-sidecar-injector/namespace.sidecar-injector.istio.io"),
        webhooks.injecting("shop", Map.of("istio-injection", "enabled"), Map.of("istio.io/rev", "canary"))
            .stream().map(InjectionWebhooks.Webhook::fullName).toList());
  }

  @Test
  void countsOnlyIstiosWebhooks() {
    InjectionWebhooks webhooks = view().injectionWebhooks();
    assertEquals(3, webhooks.configurations().size());
    assertEquals(4, webhooks.istioWebhooks().size());
  }

  @Test
  void evaluatesSelectorsAsTheApiServerDoes() throws Exception {
    ObjectMapper json = new ObjectMapper();
    LabelSelector selector = LabelSelector.parse(json.readTree("""
        {"matchLabels": {"app": "web"},
         "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]},
                              {"key": "env", "operator": "Exists"}]}"""));
    assertTrue(selector.matches(Map.of("app", "web", "env", "prod")));
    assertFalse(selector.matches(Map.of("app", "web", "env", "prod", "tier", "db")));
    assertFalse(selector.matches(Map.of("app", "web")));
    assertTrue(LabelSelector.parse(null).matches(Map.of()));
    assertTrue(LabelSelector.parse(json.readTree("{}")).matches(Map.of("a", "b")));
    LabelSelector invalid = LabelSelector.parse(json.readTree("""
        {"matchExpressions": [{"key": "env", "operator": "In", "values": []}]}"""));
    assertFalse(invalid.matches(Map.of("env", "prod")));
  }

  @Test
  void readsTheInjectorValuesOfARevision() {
    InjectorValues canary = view().injectorValues("canary");
    assertEquals("docker.io/istio/proxyv2:1.22.0", canary.proxyImage());
    assertTrue(canary.enableNamespacesByDefault());
    assertNull(view().injectorValues("default"));
  }
}
