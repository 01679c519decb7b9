package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.SourceFile;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state from the API server: the webhook started without {@code --state} against fabric8's
 * Kubernetes mock server in CRUD mode, through a kubeconfig file; objects created and deleted in the
 * mock after start are seen by the next decision once the informers have them.
 */
@ExtendWith(VertxExtension.class)
class InformerStateTest {
  static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static final ResourceDefinitionContext GATEWAYS = custom("Gateway", "gateways");
  private static final ResourceDefinitionContext VIRTUAL_SERVICES = custom("VirtualService", "virtualservices");

  @TempDir
  Path dir;
  private KubernetesMockServer server;
  private GatedDispatcher dispatcher;
  private KubernetesClient client;
  private Path kubeconfig;
  private Certs.Pair cert;
  private HttpClient https;
  private Webhook webhook;

  /** Refuses listing Namespaces (403, as without RBAC) while closed, so the informers cannot sync. */
  static final class GatedDispatcher extends KubernetesMixedDispatcher {
    volatile boolean closed;
    final CountDownLatch refused = new CountDownLatch(1);

    GatedDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
      super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (closed && "GET".equals(request.getMethod()) && (path.equals("/api/v1/namespaces")
          || path.startsWith("/api/v1/namespaces?")) && !path.contains("watch=true")) {
        refused.countDown();
        return new MockResponse().setResponseCode(403).setBody("""
            {"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Forbidden","code":403,
             "message":"namespaces is forbidden: User \\"system:serviceaccount:meshlint:meshlint\\" cannot list resource \\"namespaces\\""}""");
      }
      return super.dispatch(request);
    }
  }

  @BeforeEach
  void start() throws Exception {
    JsonLog.redirect(new PrintStream(LOG, true, StandardCharsets.UTF_8));
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    dispatcher = new GatedDispatcher(responses);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init();
    client = server.createClient();
    kubeconfig = kubeconfig("http://" + server.getHostName() + ":" + server.getPort());
    crd("VirtualService", "virtualservices");
    crd("Gateway", "gateways");
    create("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: dev
          labels: {istio-injection: enabled}
        """);
    create("""
        apiVersion: v1
        kind: Service
        metadata: {name: calcfrontendsvc, namespace: dev}
        spec:
          selector: {app: calcfrontend}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        """);
    cert = Certs.create(dir.resolve("certs"), "informers");
    https = WebhookServerTest.client(cert);
  }

  @AfterEach
  void stop() throws Exception {
    if (webhook != null) {
      WebhookServerTest.await(webhook.stop());
    }
    client.close();
    server.destroy();
  }

  private Webhook startWebhook(Vertx vertx, Path config) throws Exception {
    Webhook.Options options = new Webhook.Options(0, cert.cert(), cert.key(), 0, null, null, config, "127.0.0.1",
        Duration.ofMillis(200), Duration.ofSeconds(5), kubeconfig);
    webhook = WebhookServerTest.await(Webhook.start(vertx, options));
    return webhook;
  }

  @Test
  void notReadyUntilEveryInformerHasSynced(Vertx vertx) throws Exception {
    dispatcher.closed = true;
    Webhook w = startWebhook(vertx, null);
    assertTrue(dispatcher.refused.await(60, TimeUnit.SECONDS), "the Namespace informer never listed");
    HttpResponse<String> readyz = WebhookServerTest.get(w.metricsPort(), "/readyz");
    assertEquals(503, readyz.statusCode(), readyz.body());
    HttpResponse<String> early = WebhookServerTest.post(https, w.port(),
        Reviews.review("CREATE", Reviews.virtualService("vs", "calcapps-dev-gateway", "me.example.com")).toString());
    assertEquals(503, early.statusCode(), early.body());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!LOG.toString(StandardCharsets.UTF_8).contains("namespaces is forbidden")) {
      assertTrue(System.nanoTime() < deadline, () -> "the refusal is not logged\n" + LOG.toString(StandardCharsets.UTF_8));
      Thread.sleep(50);
    }
    assertEquals(503, WebhookServerTest.get(w.metricsPort(), "/readyz").statusCode());

    dispatcher.closed = false;
    WebhookServerTest.await(w.ready());
    assertEquals(200, WebhookServerTest.get(w.metricsPort(), "/readyz").statusCode());
  }

  @Test
  void decisionsFollowTheCluster(Vertx vertx) throws Exception {
    Webhook w = startWebhook(vertx, null);
    WebhookServerTest.await(w.ready());
    assertEquals(200, WebhookServerTest.get(w.metricsPort(), "/readyz").statusCode());
    assertTrue(has(w, r -> r.kind().equals("Service") && r.name().equals("calcfrontendsvc")), "the Service was listed");

    String vs = Reviews.virtualService("calcapp-dev-vs", "calcapps-dev-gateway", "me.example.com");
    JsonNode denied = decide(w, "CREATE", vs);
    assertFalse(denied.path("allowed").asBoolean(), denied.toString());
    assertTrue(denied.path("status").path("message").asText().contains("IST0101"), denied.toString());

    createCustom(GATEWAYS, """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: calcapps-dev-gateway, namespace: dev}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["me.example.com"]
        """);
    awaitState(w, r -> isGateway(r), true);
    JsonNode allowed = decide(w, "CREATE", vs);
    assertTrue(allowed.path("allowed").asBoolean(), allowed.toString());

    client.genericKubernetesResources(GATEWAYS).inNamespace("dev").withName("calcapps-dev-gateway").delete();
    awaitState(w, r -> isGateway(r), false);
    JsonNode deniedAgain = decide(w, "CREATE", vs);
    assertFalse(deniedAgain.path("allowed").asBoolean(), deniedAgain.toString());
    assertTrue(deniedAgain.path("status").path("message").asText().contains("IST0101"), deniedAgain.toString());
  }

  @Test
  void findingsAlreadyInTheClusterFollowTheCache(Vertx vertx) throws Exception {
    Webhook w = startWebhook(vertx, null);
    WebhookServerTest.await(w.ready());
    String legacy = Reviews.virtualService("legacy-vs", "missing-gateway", "legacy.example.com");
    // Not in the cluster yet: creating it introduces the dangling reference.
    assertFalse(decide(w, "CREATE", legacy).path("allowed").asBoolean());
    // Created anyway (say, before the webhook was installed): now the finding is already there, and
    // re-applying the same object introduces nothing.
    createCustom(VIRTUAL_SERVICES, Serialization.asYaml(Serialization.unmarshal(legacy, GenericKubernetesResource.class)));
    awaitState(w, r -> r.kind().equals("VirtualService") && r.name().equals("legacy-vs"), true);
    JsonNode update = decide(w, "UPDATE", legacy);
    assertTrue(update.path("allowed").asBoolean(), update.toString());
  }

  @Test
  void secretsOnlyWhenAskedAndRedacted(Vertx vertx) throws Exception {
    create("""
        apiVersion: v1
        kind: Secret
        metadata: {name: gateway-tls, namespace: dev}
        type: kubernetes.io/tls
        data: {tls.key: %s, tls.crt: %s}
        """.formatted(base64("TOP-SECRET-KEY"), base64("PUBLIC-CERT")));
    Webhook plain = startWebhook(vertx, null);
    WebhookServerTest.await(plain.ready());
    assertFalse(has(plain, r -> r.kind().equals("Secret")), "Secrets are not read unless asked");
    WebhookServerTest.await(plain.stop());
    webhook = null;

    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "readSecrets: true\n");
    Webhook reading = startWebhook(vertx, config);
    WebhookServerTest.await(reading.ready());
    assertTrue(has(reading, r -> r.kind().equals("Secret") && r.name().equals("gateway-tls")));
    for (SourceFile f : reading.informers().snapshot().files()) {
      String text = f.readText();
      assertFalse(text.contains(base64("TOP-SECRET-KEY")) || text.contains("TOP-SECRET-KEY"), text);
      if (f.displayName().contains("Secret/dev/gateway-tls")) {
        assertTrue(text.contains("tls.key") && text.contains(base64("PUBLIC-CERT")), text);
      }
    }
  }

  // ---- helpers ----

  private JsonNode decide(Webhook w, String operation, String object) throws Exception {
    return WebhookServerTest.validate(w, https, Reviews.review(operation, object));
  }

  private static boolean isGateway(Resource r) {
    return r.kind().equals("Gateway") && r.group().equals("networking.istio.io") && r.name().equals("calcapps-dev-gateway");
  }

  private static boolean has(Webhook w, Predicate<Resource> p) {
    return w.informers().snapshot().resources().stream().anyMatch(p);
  }

  /** Waits until the informers' state has (or no longer has) a matching resource. */
  private static void awaitState(Webhook w, Predicate<Resource> p, boolean present) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (has(w, p) != present) {
      assertTrue(System.nanoTime() < deadline, () -> "the informers never saw the change\n" + LOG.toString(StandardCharsets.UTF_8));
      Thread.sleep(50);
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private Path kubeconfig(String url) throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: mock
          context: {cluster: mock, user: tester, namespace: default}
        current-context: mock
        users:
        - name: tester
          user: {token: test-token}
        """.formatted(url));
    return file;
  }

  private void create(String yaml) {
    HasMetadata typed = Serialization.unmarshal(yaml);
    client.resource(typed).create();
  }

  private void createCustom(ResourceDefinitionContext ctx, String yaml) {
    GenericKubernetesResource object = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    client.genericKubernetesResources(ctx).inNamespace(object.getMetadata().getNamespace()).resource(object).create();
  }

  private static ResourceDefinitionContext custom(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1")
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  /** An Istio CRD serving v1beta1 and v1 (v1 stored), as Istio 1.22+ installs. */
  private void crd(String kind, String plural) {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + ".networking.istio.io").endMetadata()
        .withNewSpec().withGroup("networking.istio.io").withScope("Namespaced")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
        .endSpec().build();
    crd.getSpec().setVersions(List.of(
        new CustomResourceDefinitionVersionBuilder().withName("v1beta1").withServed(true).withStorage(false).build(),
        new CustomResourceDefinitionVersionBuilder().withName("v1").withServed(true).withStorage(true).build()));
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }
}
