package io.meshlint.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import io.meshlint.deploy.Chart.Rendered;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every variant of the chart renders objects that bind to the fabric8 model of their kind without a
 * field the model does not know, and that meshlint itself finds nothing in; the plain manifests are
 * the default rendering.
 */
class ManifestsTest {
  /** Set {@code -Dmeshlint.regenerate=true} to rewrite deploy/manifests/meshlint.yaml instead of failing. */
  private static final boolean REGENERATE = Boolean.getBoolean("meshlint.regenerate");

  private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class));

  /** Kinds of CRDs that the fabric8 model used here does not type: checked as generic resources. */
  private static final List<String> GENERIC = List.of("cert-manager.io/v1/Issuer", "cert-manager.io/v1/Certificate",
      "monitoring.coreos.com/v1/ServiceMonitor");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<List<String>> variants() {
    return Stream.of(
        List.of(),
        List.of("autoscaling.enabled=true"),
        List.of("networkPolicy.enabled=true"),
        List.of("rbac.secrets=true"),
        List.of("certificates.mode=selfManaged"),
        List.of("certificates.mode=existingSecret", "certificates.existingSecret.name=tls",
            "certificates.existingSecret.caBundle=Q0E="),
        List.of("serviceMonitor.enabled=true", "grafanaDashboard.enabled=true",
            "state.manifests=apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void objectsAreValidKubernetesObjectsOfTheirKinds(List<String> sets) throws Exception {
    Rendered r = Chart.render(sets.toArray(String[]::new));
    for (JsonNode o : r.objects()) {
      String key = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
      Class<? extends HasMetadata> type = TYPED.get(key);
      HasMetadata typed;
      if (type != null) {
        typed = MAPPER.treeToValue(o, type);
        List<String> unknown = new ArrayList<>();
        unknownFields(typed, key, unknown);
        assertTrue(unknown.isEmpty(), () -> "fields the model does not know: " + unknown);
      } else if (GENERIC.contains(key)) {
        typed = MAPPER.treeToValue(o, GenericKubernetesResource.class);
      } else {
        throw new AssertionError("a kind the test does not know: " + key);
      }
      assertTrue(typed.getMetadata().getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), key);
      assertTrue(typed.getMetadata().getName().length() <= 63, key);
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void meshlintFindsNothingInTheChart(List<String> sets) {
    Rendered r = Chart.render(sets.toArray(String[]::new));
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
        YamlReader.Limits.DEFAULT);
    List<Finding> findings = linter.lint(List.of(SourceFile.ofText("meshlint.yaml", r.text())), List.of()).findings();
    assertEquals(List.of(), findings.stream().map(f -> f.rule().code() + " " + f.resource() + ": " + f.message()).toList());
  }

  @Test
  void plainManifestsAreTheDefaultRendering() throws Exception {
    String rendered = Chart.render().text();
    if (REGENERATE) {
      Files.writeString(Chart.MANIFESTS, rendered);
    }
    String onDisk = Files.exists(Chart.MANIFESTS) ? Files.readString(Chart.MANIFESTS) : "";
    if (!rendered.equals(onDisk)) {
      fail("deploy/manifests/meshlint.yaml differs from the chart's default rendering; regenerate it with\n"
          + "  mvn -B -pl deploy -am test -Dtest=ManifestsTest -Dsurefire.failIfNoSpecifiedTests=false -Dmeshlint.regenerate=true\n"
          + "or: helm template meshlint deploy/helm/meshlint --namespace meshlint > deploy/manifests/meshlint.yaml");
    }
  }

  /** Collects every non-empty additionalProperties: a field the fabric8 model of that kind does not have. */
  static void unknownFields(Object o, String path, List<String> out) throws Exception {
    if (o == null) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), out);
      }
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object v : c) {
        unknownFields(v, path + "[" + i++ + "]", out);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v = m.invoke(o);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": " + extra.keySet());
        }
      } else {
        unknownFields(v, path + "." + m.getName().substring(3), out);
      }
    }
  }
}
