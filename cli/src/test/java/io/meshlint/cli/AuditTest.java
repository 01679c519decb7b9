package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlint audit} against fabric8's Kubernetes mock server in CRUD mode, through a kubeconfig
 * file, as a user runs it: the cluster holds the seed tutorial's Gateway and a VirtualService whose
 * gateway name has a typo.
 */
class AuditTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubernetesMockServer server;
  private KubernetesClient client;
  @TempDir
  Path dir;
  private Path kubeconfig;

  @BeforeEach
  void start() throws IOException {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    client = server.createClient();
    kubeconfig = kubeconfig("http://" + server.getHostName() + ":" + server.getPort(), "dev");

    crd("networking.istio.io", "VirtualService", "virtualservices");
    crd("networking.istio.io", "Gateway", "gateways");
    crd("networking.istio.io", "DestinationRule", "destinationrules");
    create(yaml("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: dev
          labels: {istio-injection: enabled}
        """));
    create(yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: calcfrontendsvc, namespace: dev}
        spec:
          selector: {app: calcfrontend}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        """));
    createCustom("networking.istio.io", "v1", "Gateway", "gateways", yaml("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: calcapps-dev-gateway, namespace: dev}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["me.example.com"]
        """));
    createCustom("networking.istio.io", "v1", "VirtualService", "virtualservices", yaml(virtualService("calcapps-dev-gatway")));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void reportsTheTypoInTheGatewayNameOnTheClusterObject() throws IOException {
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "--output", "json")
        .assertNoStackTrace();
    assertEquals(1, r.status(), r.out() + r.err());
    JsonNode finding = only(JSON.readTree(r.out()), "IST0101");
    assertEquals("VirtualService", finding.path("resource").path("kind").asText());
    assertEquals("dev", finding.path("resource").path("namespace").asText());
    assertEquals("calcapp-dev-vs", finding.path("resource").path("name").asText());
    assertTrue(finding.path("message").asText().contains("calcapps-dev-gatway"), finding.toString());
    String file = finding.path("location").path("file").asText();
    assertEquals("cluster:networking.istio.io/v1/VirtualService/dev/calcapp-dev-vs", file);
    // The line is within the object's YAML as `kubectl get -o yaml` lays it out: keys sorted.
    int line = finding.path("location").path("line").asInt();
    assertTrue(line > 1, finding.toString());
    assertTrue(r.err().contains("read "), r.err());
  }

  @Test
  void textOutputNamesTheClusterObject() {
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "--output", "text");
    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("Error [IST0101] (VirtualService dev/calcapp-dev-vs cluster:networking.istio.io/v1/VirtualService/dev/calcapp-dev-vs:"),
        r.out());
  }

  @Test
  void localManifestReplacesTheClusterObject() throws IOException {
    Path fixed = dir.resolve("fixed.yaml");
    Files.writeString(fixed, virtualService("calcapps-dev-gateway"));
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "--output", "json",
        "-f", fixed.toString()).assertNoStackTrace();
    assertEquals(0, r.status(), r.out() + r.err());
    for (JsonNode f : JSON.readTree(r.out()).path("findings")) {
      assertFalse(f.path("code").asText().equals("IST0101"), f.toString());
    }
  }

  @Test
  void localManifestIsReportedWithItsFileAndLine() throws IOException {
    Path broken = dir.resolve("other.yaml");
    Files.writeString(broken, virtualService("calcapps-dev-gatway").replace("calcapp-dev-vs", "other-vs"));
    Path fixed = dir.resolve("fixed.yaml");
    Files.writeString(fixed, virtualService("calcapps-dev-gateway"));
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "--output", "json",
        "-f", fixed.toString(), "-f", broken.toString());
    assertEquals(1, r.status(), r.out() + r.err());
    JsonNode finding = only(JSON.readTree(r.out()), "IST0101");
    assertEquals("other-vs", finding.path("resource").path("name").asText());
    assertTrue(finding.path("location").path("file").asText().endsWith("other.yaml"), finding.toString());
    assertEquals(8, finding.path("location").path("line").asInt(), finding.toString());
  }

  @Test
  void kindsWhoseCrdIsMissingAreSkippedWithANote() {
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "--output", "json")
        .assertNoStackTrace();
    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("meshlint: note: not served by this cluster (CRD not installed), "
        + "skipped: networking.istio.io ") && l.contains("Sidecar") && !l.contains("VirtualService")), r.err());
    assertTrue(r.err().contains("skipped: telemetry.istio.io Telemetry"), r.err());
    assertTrue(r.err().contains("skipped: gateway.networking.k8s.io GatewayClass, Gateway, HTTPRoute"), r.err());
    Cli.Result missing = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "nowhere");
    assertEquals(0, missing.status(), missing.out() + missing.err());
    assertTrue(missing.err().contains("namespace nowhere does not exist in this cluster"), missing.err());
  }

  @Test
  void otherNamespacesAreContextNotReported() throws IOException {
    create(yaml("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        """));
    createCustom("networking.istio.io", "v1", "VirtualService", "virtualservices",
        yaml(virtualService("calcapps-dev-gatway").replace("namespace: dev", "namespace: prod")));
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "--output", "json");
    for (JsonNode f : JSON.readTree(r.out()).path("findings")) {
      assertEquals("dev", f.path("resource").path("namespace").asText("dev"), f.toString());
    }
    Cli.Result all = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "--all-namespaces", "--output", "json");
    List<String> namespaces = new ArrayList<>();
    for (JsonNode f : JSON.readTree(all.out()).path("findings")) {
      if (f.path("code").asText().equals("IST0101")) {
        namespaces.add(f.path("resource").path("namespace").asText());
      }
    }
    assertTrue(namespaces.contains("prod") && namespaces.contains("dev"), all.out());
  }

  @Test
  void referencesIntoOtherNamespacesResolveAgainstTheCluster() throws IOException {
    create(yaml("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: istio-system}
        """));
    createCustom("networking.istio.io", "v1", "Gateway", "gateways", yaml("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: shared-gateway, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http-alt, protocol: HTTP}
            hosts: ["*"]
        """));
    Path local = dir.resolve("vs.yaml");
    Files.writeString(local, virtualService("istio-system/shared-gateway"));
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "--output", "json",
        "-f", local.toString());
    assertEquals(0, r.status(), r.out() + r.err());
    for (JsonNode f : JSON.readTree(r.out()).path("findings")) {
      assertFalse(f.path("code").asText().equals("IST0101"), f.toString());
      assertEquals("dev", f.path("resource").path("namespace").asText("dev"), "istio-system is context only: " + f);
    }
  }

  @Test
  void secretsAreNotReadUnlessAsked() {
    create(yaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: tls, namespace: dev}
        type: kubernetes.io/tls
        stringData: {tls.key: TOP-SECRET-KEY}
        """));
    Cli.Result r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "--include-secrets",
        "--output", "json", "--verbose", "--fail-on", "none");
    assertEquals(0, r.status(), r.out() + r.err());
    assertFalse(r.out().contains("TOP-SECRET") || r.err().contains("TOP-SECRET"), r.out() + r.err());
  }

  @Test
  void unreachableApiServerIsExitTwoWithoutStackTrace() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path unreachable = kubeconfig("https://127.0.0.1:" + port, "dev");
    Cli.Result r = Cli.run("audit", "--kubeconfig", unreachable.toString(), "--output", "json").assertNoStackTrace();
    assertEquals(2, r.status(), r.out() + r.err());
    assertTrue(r.err().contains("cannot reach the Kubernetes API server at https://127.0.0.1:" + port), r.err());
    assertEquals("", r.out());
  }

  @Test
  void badUsageIsExitTwo() {
    assertEquals(2, Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "dev", "-A").assertNoStackTrace().status());
    Cli.Result r = Cli.run("audit", "--kubeconfig", dir.resolve("missing").toString()).assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("kubeconfig not found"), r.err());
    r = Cli.run("audit", "--kubeconfig", kubeconfig.toString(), "--context", "nope").assertNoStackTrace();
    assertEquals(2, r.status());
    assertTrue(r.err().contains("context nope not found"), r.err());
  }

  private static String virtualService(String gateway) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: calcapp-dev-vs
          namespace: dev
        spec:
          gateways:
          - %s
          hosts:
          - me.example.com
          http:
          - route:
            - destination:
                host: calcfrontendsvc
                port:
                  number: 80
        """.formatted(gateway);
  }

  private static JsonNode only(JsonNode report, String code) {
    List<JsonNode> hits = new ArrayList<>();
    report.path("findings").forEach(f -> {
      if (f.path("code").asText().equals(code)) {
        hits.add(f);
      }
    });
    assertEquals(1, hits.size(), report.toPrettyString());
    return hits.get(0);
  }

  private Path kubeconfig(String server, String namespace) throws IOException {
    Path file = dir.resolve("kubeconfig-" + Math.abs(server.hashCode()));
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        contexts:
        - name: mock
          context: {cluster: mock, user: tester, namespace: %s}
        current-context: mock
        users:
        - name: tester
          user: {token: test-token}
        """.formatted(server, namespace));
    return file;
  }

  private static GenericKubernetesResource yaml(String text) {
    return Serialization.unmarshal(text, GenericKubernetesResource.class);
  }

  private void create(GenericKubernetesResource object) {
    HasMetadata typed = Serialization.unmarshal(Serialization.asYaml(object));
    client.resource(typed).create();
  }

  private void createCustom(String group, String version, String kind, String plural, GenericKubernetesResource object) {
    ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
    client.genericKubernetesResources(ctx).inNamespace(object.getMetadata().getNamespace()).resource(object).create();
  }

  /** An Istio CRD serving v1alpha3, v1beta1 and v1 (v1 stored), as Istio 1.22+ installs. */
  private void crd(String group, String kind, String plural) {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope("Namespaced")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
        .endSpec().build();
    crd.getSpec().setVersions(List.of(
        version("v1alpha3", false), version("v1beta1", false), version("v1", true)));
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  private static io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion version(String name,
      boolean storage) {
    return new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder()
        .withName(name).withServed(true).withStorage(storage).build();
  }
}
