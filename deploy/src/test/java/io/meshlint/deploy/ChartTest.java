package io.meshlint.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.meshlint.deploy.Chart.Rendered;
import io.meshlint.webhook.Enforcement;
import io.meshlint.webhook.WebhookConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's objects with default values and with each variant. */
class ChartTest {
  private static final String FULLNAME = "meshlint";
  private static final Set<String> READ = Set.of("get", "list", "watch");

  @Test
  void helmLintStrictPasses() {
    LintResult result = new Helm(Chart.CHART).lint().strict().call();
    assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
  }

  @Test
  void defaultsRenderTheWebhookWithCertManager() {
    Rendered r = Chart.render();
    assertEquals(List.of("Certificate", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "Issuer",
        "PodDisruptionBudget", "Service", "ServiceAccount", "ValidatingWebhookConfiguration"), r.kinds());
    assertEquals(2, r.all("Issuer").size(), "self-signed issuer and CA issuer");
    assertEquals(2, r.all("Certificate").size(), "CA and serving certificate");
    for (JsonNode o : r.objects()) {
      boolean clusterScoped = Set.of("ClusterRole", "ClusterRoleBinding", "ValidatingWebhookConfiguration")
          .contains(o.path("kind").asText());
      assertEquals(clusterScoped ? "" : Chart.NAMESPACE, o.path("metadata").path("namespace").asText(),
          () -> "namespace of " + o.path("kind").asText());
    }
  }

  @Test
  void deploymentIsHardenedProbedAndSpread() {
    Rendered r = Chart.render();
    JsonNode d = r.one("Deployment");
    assertEquals(2, d.path("spec").path("replicas").asInt());
    JsonNode pod = d.path("spec").path("template").path("spec");
    assertEquals("false", d.path("spec").path("template").path("metadata").path("labels").path("sidecar.istio.io/inject").asText());
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
    assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText());
    JsonNode c = pod.path("containers").get(0);
    JsonNode sc = c.path("securityContext");
    assertTrue(sc.path("runAsNonRoot").asBoolean());
    assertTrue(sc.path("readOnlyRootFilesystem").asBoolean());
    assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals("[\"ALL\"]", sc.path("capabilities").path("drop").toString());
    assertEquals("RuntimeDefault", sc.path("seccompProfile").path("type").asText());
    assertTrue(sc.path("runAsUser").asInt() > 0);
    assertEquals("/healthz", c.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("/readyz", c.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", c.path("readinessProbe").path("httpGet").path("port").asText());
    for (String k : List.of("requests", "limits")) {
      assertTrue(c.path("resources").path(k).has("cpu") && c.path("resources").path(k).has("memory"), k);
    }
    assertEquals("kubernetes.io/hostname", pod.path("topologySpreadConstraints").get(0).path("topologyKey").asText());
    assertTrue(mountPaths(c).contains("/tmp"), "a writable /tmp on a read-only root filesystem");
    assertEquals("metadata.namespace", c.path("env").get(0).path("valueFrom").path("fieldRef").path("fieldPath").asText());

    JsonNode pdb = r.one("PodDisruptionBudget");
    assertEquals(1, pdb.path("spec").path("minAvailable").asInt());
    assertEquals(d.path("spec").path("selector"), pdb.path("spec").path("selector"));
    assertTrue(r.all("HorizontalPodAutoscaler").isEmpty());
    assertTrue(r.all("NetworkPolicy").isEmpty());
  }

  @Test
  void terminationGraceCoversTheDrainTheGraceAndTheApiServersTimeout() {
    assertEquals(30, Chart.render().one("Deployment").path("spec").path("template").path("spec")
        .path("terminationGracePeriodSeconds").asInt());
    assertEquals(40, Chart.render("webhook.timeoutSeconds=15").one("Deployment").path("spec").path("template")
        .path("spec").path("terminationGracePeriodSeconds").asInt());
  }

  @Test
  void oneReplicaHasNoDisruptionBudgetThatWouldBlockDrains() {
    assertTrue(Chart.render("replicaCount=1").all("PodDisruptionBudget").isEmpty());
  }

  @Test
  void clusterRoleReadsExactlyTheKindsTheRulesRead() {
    Rendered r = Chart.render();
    JsonNode role = r.one("ClusterRole");
    Map<String, Set<String>> granted = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      assertEquals(READ, strings(rule.path("verbs")), () -> "verbs of " + rule);
      assertFalse(rule.has("resourceNames"));
      for (JsonNode g : rule.path("apiGroups")) {
        granted.computeIfAbsent(g.asText(), k -> new TreeSet<>()).addAll(strings(rule.path("resources")));
      }
    }
    Map<String, Set<String>> expected = new TreeMap<>(Map.ofEntries(
        Map.entry("", Set.of("namespaces", "services", "pods", "configmaps")),
        Map.entry("apps", Set.of("deployments", "statefulsets", "daemonsets", "replicasets")),
        Map.entry("batch", Set.of("jobs", "cronjobs")),
        Map.entry("admissionregistration.k8s.io",
            Set.of("mutatingwebhookconfigurations", "validatingwebhookconfigurations")),
        Map.entry("apiextensions.k8s.io", Set.of("customresourcedefinitions")),
        Map.entry("networking.istio.io", Set.of("virtualservices", "destinationrules", "gateways", "serviceentries",
            "sidecars", "workloadentries", "workloadgroups", "envoyfilters", "proxyconfigs")),
        Map.entry("security.istio.io", Set.of("authorizationpolicies", "peerauthentications", "requestauthentications")),
        Map.entry("telemetry.istio.io", Set.of("telemetries")),
        Map.entry("extensions.istio.io", Set.of("wasmplugins")),
        Map.entry("gateway.networking.k8s.io", Set.of("gatewayclasses", "gateways", "httproutes", "grpcroutes",
            "tlsroutes", "tcproutes", "udproutes", "referencegrants", "backendtlspolicies")),
        Map.entry("argoproj.io", Set.of("rollouts")),
        Map.entry("serving.knative.dev", Set.of("services")),
        Map.entry("apps.kruise.io", Set.of("clonesets", "statefulsets")),
        Map.entry("apps.openshift.io", Set.of("deploymentconfigs"))));
    Map<String, Set<String>> sorted = new TreeMap<>();
    expected.forEach((k, v) -> sorted.put(k, new TreeSet<>(v)));
    assertEquals(sorted.toString(), granted.toString());
    assertFalse(r.text().contains("secrets"), "no Secret access by default");
    JsonNode binding = r.one("ClusterRoleBinding");
    assertEquals(FULLNAME, binding.path("roleRef").path("name").asText());
    assertEquals(r.one("ServiceAccount").path("metadata").path("name").asText(),
        binding.path("subjects").get(0).path("name").asText());
  }

  @Test
  void secretsValueGrantsClusterWideSecretReads() {
    Rendered r = Chart.render("rbac.secrets=true");
    JsonNode role = r.named("ClusterRole", FULLNAME + "-secrets");
    assertEquals(1, role.path("rules").size());
    JsonNode rule = role.path("rules").get(0);
    assertEquals(Set.of("secrets"), strings(rule.path("resources")));
    assertEquals(READ, strings(rule.path("verbs")));
    r.named("ClusterRoleBinding", FULLNAME + "-secrets");
  }

  @Test
  void validatingWebhookConfiguration() {
    Rendered r = Chart.render();
    JsonNode vwc = r.one("ValidatingWebhookConfiguration");
    assertEquals(Chart.NAMESPACE + "/" + FULLNAME + "-tls",
        vwc.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText());
    r.named("Certificate", FULLNAME + "-tls");
    JsonNode w = vwc.path("webhooks").get(0);
    assertEquals(List.of("v1", "v1beta1"), list(w.path("admissionReviewVersions")));
    assertEquals("None", w.path("sideEffects").asText());
    assertEquals(5, w.path("timeoutSeconds").asInt());
    assertEquals("Ignore", w.path("failurePolicy").asText());
    assertEquals("Equivalent", w.path("matchPolicy").asText());
    JsonNode svc = w.path("clientConfig").path("service");
    assertEquals(r.one("Service").path("metadata").path("name").asText(), svc.path("name").asText());
    assertEquals("/validate", svc.path("path").asText());
    JsonNode expr = w.path("namespaceSelector").path("matchExpressions").get(0);
    assertEquals("kubernetes.io/metadata.name", expr.path("key").asText());
    assertEquals("NotIn", expr.path("operator").asText());
    assertEquals(Set.of("kube-system", Chart.NAMESPACE), strings(expr.path("values")));
    Set<String> covered = new HashSet<>();
    for (JsonNode rule : w.path("rules")) {
      assertEquals(List.of("CREATE", "UPDATE", "DELETE"), list(rule.path("operations")));
      for (JsonNode g : rule.path("apiGroups")) {
        for (JsonNode res : rule.path("resources")) {
          covered.add(g.asText() + "/" + res.asText());
        }
      }
    }
    assertEquals(Set.of("networking.istio.io/*", "security.istio.io/*", "telemetry.istio.io/*", "extensions.istio.io/*",
        "/services", "/namespaces"),
        covered);
    assertEquals("Fail", Chart.render("webhook.failurePolicy=Fail").one("ValidatingWebhookConfiguration")
        .path("webhooks").get(0).path("failurePolicy").asText());
  }

  @Test
  void certManagerObjectsChainACaToTheServingCertificate() {
    Rendered r = Chart.render();
    JsonNode serving = r.named("Certificate", FULLNAME + "-tls");
    assertEquals(FULLNAME + "-tls", serving.path("spec").path("secretName").asText());
    assertEquals(List.of(FULLNAME + "." + Chart.NAMESPACE + ".svc", FULLNAME + "." + Chart.NAMESPACE + ".svc.cluster.local"),
        list(serving.path("spec").path("dnsNames")));
    assertEquals(FULLNAME + "-ca", serving.path("spec").path("issuerRef").path("name").asText());
    assertTrue(r.named("Certificate", FULLNAME + "-ca").path("spec").path("isCA").asBoolean());
    assertTrue(r.named("Issuer", FULLNAME + "-selfsigned").path("spec").has("selfSigned"));
    assertEquals(FULLNAME + "-ca", r.named("Issuer", FULLNAME + "-ca").path("spec").path("ca").path("secretName").asText());
    assertEquals(FULLNAME + "-tls", secretVolume(r));

    Rendered own = Chart.render("certificates.certManager.issuerRef.name=corp-ca",
        "certificates.certManager.issuerRef.kind=ClusterIssuer");
    assertTrue(own.all("Issuer").isEmpty());
    assertEquals("ClusterIssuer", own.one("Certificate").path("spec").path("issuerRef").path("kind").asText());
  }

  @Test
  void existingSecretModeNeedsNoCertManager() {
    Rendered r = Chart.render("certificates.mode=existingSecret", "certificates.existingSecret.name=my-tls",
        "certificates.existingSecret.caBundle=Q0E=");
    assertTrue(r.all("Certificate").isEmpty() && r.all("Issuer").isEmpty());
    JsonNode vwc = r.one("ValidatingWebhookConfiguration");
    assertEquals("Q0E=", vwc.path("webhooks").get(0).path("clientConfig").path("caBundle").asText());
    assertTrue(vwc.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").isMissingNode());
    assertEquals("my-tls", secretVolume(r));
    assertThrows(RuntimeException.class, () -> Chart.render("certificates.mode=existingSecret"));
    assertThrows(RuntimeException.class, () -> Chart.render("certificates.mode=selfsigned"));
  }

  @Test
  void selfManagedModePassesTheOptionsAndGrantsOneSecretAndOneWebhookConfiguration() {
    Rendered r = Chart.render("certificates.mode=selfManaged");
    assertTrue(r.all("Certificate").isEmpty() && r.all("Issuer").isEmpty());
    String vwcName = r.one("ValidatingWebhookConfiguration").path("metadata").path("name").asText();
    JsonNode vwc = r.one("ValidatingWebhookConfiguration");
    assertTrue(vwc.path("webhooks").get(0).path("clientConfig").path("caBundle").isMissingNode(),
        "the webhook writes the caBundle; the chart must not reset it");
    assertTrue(vwc.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").isMissingNode());

    // the webhook's options; no certificate files, nothing mounted for TLS
    JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    List<String> args = list(container.path("args"));
    assertTrue(args.contains("--self-managed-certs=" + FULLNAME + "-tls"), args::toString);
    assertTrue(args.contains("--webhook-configuration=" + vwcName), args::toString);
    assertTrue(args.contains("--service=" + r.one("Service").path("metadata").path("name").asText()), args::toString);
    assertTrue(args.stream().noneMatch(a -> a.startsWith("--tls-")), args::toString);
    List<String> volumes = new ArrayList<>();
    pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
    assertFalse(volumes.contains("tls"), volumes::toString);
    pod.path("volumes").forEach(v -> assertTrue(v.path("secret").isMissingNode(), () -> "a Secret mounted: " + v));
    assertFalse(mountPaths(container).contains("/etc/meshlint/tls"));
    assertTrue(mountPaths(container).contains("/tmp"), "the certificate files go to the writable /tmp");
    assertTrue(container.path("env").toString().contains("POD_NAMESPACE"));
    assertTrue(pod.path("automountServiceAccountToken").asBoolean(true));

    // get and update on exactly the one Secret; the chart creates it, so no create (RBAC cannot limit create by name)
    JsonNode role = r.named("Role", FULLNAME + "-certs");
    assertEquals(1, role.path("rules").size(), role.toString());
    JsonNode rule = role.path("rules").get(0);
    assertEquals(List.of(""), list(rule.path("apiGroups")));
    assertEquals(List.of("secrets"), list(rule.path("resources")));
    assertEquals(List.of(FULLNAME + "-tls"), list(rule.path("resourceNames")));
    assertEquals(Set.of("get", "update"), strings(rule.path("verbs")));
    JsonNode binding = r.named("RoleBinding", FULLNAME + "-certs");
    assertEquals(FULLNAME + "-certs", binding.path("roleRef").path("name").asText());
    // get and patch on exactly the one ValidatingWebhookConfiguration
    JsonNode vwcRole = r.named("ClusterRole", FULLNAME + "-cabundle");
    assertEquals(1, vwcRole.path("rules").size(), vwcRole.toString());
    JsonNode vrule = vwcRole.path("rules").get(0);
    assertEquals(List.of("admissionregistration.k8s.io"), list(vrule.path("apiGroups")));
    assertEquals(List.of("validatingwebhookconfigurations"), list(vrule.path("resources")));
    assertEquals(List.of(vwcName), list(vrule.path("resourceNames")));
    assertEquals(Set.of("get", "patch"), strings(vrule.path("verbs")));
    assertEquals(FULLNAME + "-cabundle", r.named("ClusterRoleBinding", FULLNAME + "-cabundle").path("roleRef")
        .path("name").asText());
    // no other role grants anything on Secrets (rbac.secrets is off by default)
    for (String kind : List.of("Role", "ClusterRole")) {
      for (JsonNode other : r.all(kind)) {
        if (other == role) {
          continue;
        }
        other.path("rules").forEach(x -> assertFalse(strings(x.path("resources")).contains("secrets"), () -> other.toString()));
      }
    }

    JsonNode secret = r.one("Secret");
    assertEquals(FULLNAME + "-tls", secret.path("metadata").path("name").asText());
    assertFalse(secret.has("data"), "an upgrade must not reset what the webhook wrote");
    assertEquals("keep", secret.path("metadata").path("annotations").path("helm.sh/resource-policy").asText());

    Rendered named = Chart.render("certificates.mode=selfManaged", "certificates.selfManaged.secretName=own-certs");
    assertEquals(List.of("own-certs"), list(named.named("Role", FULLNAME + "-certs").path("rules").get(0).path("resourceNames")));
    assertTrue(list(named.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0).path("args"))
        .contains("--self-managed-certs=own-certs"));
  }

  /** helm template renders no NOTES: the texts themselves must no longer call the mode unimplemented. */
  @Test
  void selfManagedModeIsDocumentedAsImplemented() throws IOException {
    for (Path file : List.of(Chart.CHART.resolve("templates/NOTES.txt"), Chart.CHART.resolve("README.md"),
        Chart.CHART.resolve("values.yaml"), Chart.CHART.resolve("templates/rbac.yaml"))) {
      String text = Files.readString(file);
      assertFalse(text.contains("NOT IMPLEMENTED") || text.contains("not implemented"), file::toString);
    }
    String readme = Files.readString(Chart.CHART.resolve("README.md"));
    assertTrue(readme.contains("--self-managed-certs") && readme.contains("RBAC cannot restrict"),
        "the README explains the options and why the chart, not the webhook, creates the Secret");
  }

  @Test
  void autoscalingLeavesReplicasToTheHpa() {
    Rendered r = Chart.render("autoscaling.enabled=true");
    JsonNode hpa = r.one("HorizontalPodAutoscaler");
    assertEquals("Deployment", hpa.path("spec").path("scaleTargetRef").path("kind").asText());
    assertEquals(FULLNAME, hpa.path("spec").path("scaleTargetRef").path("name").asText());
    assertEquals(2, hpa.path("spec").path("minReplicas").asInt());
    assertTrue(r.one("Deployment").path("spec").path("replicas").isMissingNode());
    r.one("PodDisruptionBudget");
  }

  @Test
  void networkPolicyAdmitsTheApiServerAndTheScraperOnly() {
    Rendered r = Chart.render("networkPolicy.enabled=true");
    JsonNode np = r.one("NetworkPolicy");
    assertEquals(List.of("Ingress"), list(np.path("spec").path("policyTypes")));
    JsonNode ingress = np.path("spec").path("ingress");
    assertEquals(2, ingress.size());
    assertEquals(8443, ingress.get(0).path("ports").get(0).path("port").asInt());
    assertEquals(9090, ingress.get(1).path("ports").get(0).path("port").asInt());
    assertEquals("monitoring", ingress.get(1).path("from").get(0).path("namespaceSelector").path("matchLabels")
        .path("kubernetes.io/metadata.name").asText());
    JsonNode cidr = Chart.render("networkPolicy.enabled=true", "networkPolicy.apiServerCIDRs[0]=10.0.0.0/16")
        .one("NetworkPolicy").path("spec").path("ingress").get(0).path("from").get(0);
    assertEquals("10.0.0.0/16", cidr.path("ipBlock").path("cidr").asText());
  }

  @Test
  void monitoringObjects() {
    Rendered r = Chart.render("serviceMonitor.enabled=true", "grafanaDashboard.enabled=true");
    JsonNode sm = r.one("ServiceMonitor");
    String port = sm.path("spec").path("endpoints").get(0).path("port").asText();
    boolean found = false;
    for (JsonNode p : r.one("Service").path("spec").path("ports")) {
      found |= p.path("name").asText().equals(port) && p.path("targetPort").asText().equals("metrics");
    }
    assertTrue(found, "the ServiceMonitor scrapes the Service's metrics port");
    JsonNode dashboard = r.named("ConfigMap", FULLNAME + "-dashboard");
    assertEquals("1", dashboard.path("metadata").path("labels").path("grafana_dashboard").asText());
    assertTrue(dashboard.path("data").path("meshlint-webhook.json").asText().contains("meshlint_webhook_requests_total"));
  }

  @Test
  void ruleConfigurationIsWhatTheWebhookReads(@TempDir Path dir) throws IOException {
    WebhookConfig defaults = readConfig(Chart.render(), dir.resolve("a.yaml"));
    assertEquals(Enforcement.DENY, defaults.policy().enforcement().get("IST0101"));
    assertEquals(Enforcement.WARN, defaults.policy().of("IST0132"));
    assertFalse(defaults.policy().dryRun(), "the webhook reads the cluster itself: denials are real by default");
    assertEquals(Enforcement.DENY, defaults.policy().of("IST0101"));
    assertEquals(Set.of("kube-system", Chart.NAMESPACE), defaults.policy().excludedNamespaces());

    WebhookConfig changed = readConfig(Chart.render("config.enforcement.IST0132=deny", "config.enforcement.IST0101=warn",
        "config.dryRun=true", "config.excludedNamespaces[0]=legacy", "config.rules.IST0118=off"), dir.resolve("b.yaml"));
    assertEquals(Enforcement.DENY, changed.policy().enforcement().get("IST0132"));
    assertEquals(Enforcement.WARN, changed.policy().of("IST0101"));
    assertTrue(changed.policy().dryRun());
    assertEquals(Enforcement.WARN, changed.policy().of("IST0132"), "dry run turns every deny into a warning");
    assertEquals(Set.of("kube-system", Chart.NAMESPACE, "legacy"), changed.policy().excludedNamespaces());
    assertTrue(changed.project().rules().containsKey("IST0118"));

    String before = podChecksum(Chart.render());
    assertEquals(before, podChecksum(Chart.render("config.dryRun=true")),
        "rule settings do not roll the pods: the webhook reloads --config from the ConfigMap volume");
    assertFalse(before.equals(podChecksum(Chart.render("meshConfig=defaultConfig: {}\n"))),
        "a mesh config change rolls the pods (read at start)");
  }

  private static String podChecksum(Rendered r) {
    return r.one("Deployment").path("spec").path("template").path("metadata").path("annotations")
        .path("checksum/state").asText();
  }

  @Test
  void byDefaultTheWebhookReadsTheClusterNotAnOfflineState() {
    Rendered r = Chart.render();
    List<String> args = list(r.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0)
        .path("args"));
    assertTrue(args.stream().noneMatch(a -> a.startsWith("--state")), args::toString);
    assertTrue(r.all("ConfigMap").stream().noneMatch(c -> c.path("metadata").path("name").asText().endsWith("-state")));
    assertTrue(r.one("Deployment").path("spec").path("template").path("spec").path("automountServiceAccountToken")
        .asBoolean(true), "the informers authenticate with the service account token");
  }

  @Test
  void stateAndMeshConfigAreMounted() {
    Rendered r = Chart.render("state.manifests=apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n",
        "meshConfig=defaultConfig: {}\n");
    JsonNode state = r.named("ConfigMap", FULLNAME + "-state");
    assertTrue(state.path("data").path("state.yaml").asText().contains("name: dev"));
    List<String> args = list(r.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0)
        .path("args"));
    assertTrue(args.contains("--state=/etc/meshlint/state/state.yaml"), args::toString);
    assertTrue(args.contains("--mesh-config=/etc/meshlint/config/mesh.yaml"), args::toString);
    assertTrue(r.named("ConfigMap", FULLNAME + "-config").path("data").has("mesh.yaml"));

    Rendered existing = Chart.render("state.existingConfigMap=my-state");
    assertTrue(existing.all("ConfigMap").stream().noneMatch(c -> c.path("metadata").path("name").asText().endsWith("-state")));
    boolean mounted = false;
    for (JsonNode v : existing.one("Deployment").path("spec").path("template").path("spec").path("volumes")) {
      mounted |= v.path("configMap").path("name").asText().equals("my-state");
    }
    assertTrue(mounted);
  }

  // ---- helpers ----

  static WebhookConfig readConfig(Rendered r, Path file) throws IOException {
    Files.writeString(file, r.named("ConfigMap", FULLNAME + "-config").path("data").path("config.yaml").asText());
    return WebhookConfig.read(file, Chart.NAMESPACE);
  }

  static String secretVolume(Rendered r) {
    for (JsonNode v : r.one("Deployment").path("spec").path("template").path("spec").path("volumes")) {
      if (v.path("name").asText().equals("tls")) {
        return v.path("secret").path("secretName").asText();
      }
    }
    throw new AssertionError("no tls volume");
  }

  static Set<String> mountPaths(JsonNode container) {
    Set<String> out = new HashSet<>();
    container.path("volumeMounts").forEach(m -> out.add(m.path("mountPath").asText()));
    return out;
  }

  static List<String> list(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isValueNode() ? n.asText() : n.toString()));
    return out;
  }

  static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>(list(array));
    assertNotNull(out);
    return out;
  }
}
