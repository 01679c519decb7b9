package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshlint.cluster.ClusterKinds;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook reading the cluster through informers, against fabric8's kubernetes-server-mock in
 * CRUD mode (in a process of its own: it runs on Vert.x 4, the webhook on Vert.x 5): an object
 * created after start is seen by the next decisions, a deleted one is gone from them.
 */
@ExtendWith(VertxExtension.class)
class InformerDecisionsTest {
  private static final Path MOCK_CLASSPATH = Path.of("../cluster/target/mock-api-server.classpath");
  private static final ResourceDefinitionContext GATEWAYS = new ResourceDefinitionContext.Builder()
      .withGroup("networking.istio.io").withVersion("v1").withKind("Gateway").withPlural("gateways")
      .withNamespaced(true).build();
  private static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: calcapps-dev-gateway, namespace: dev}
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["me.example.com"]
      """;

  @TempDir
  Path dir;
  private Process mock;
  private KubernetesClient kube;
  private Webhook webhook;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    JsonLog.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String classpath = String.join(java.io.File.pathSeparator, "../cluster/target/test-classes",
        "../cluster/target/classes", Files.readString(MOCK_CLASSPATH).trim());
    mock = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
        "io.meshlint.cluster.MockApiServer").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
    String line;
    String url = null;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("url=")) {
        url = line.substring(4);
        break;
      }
    }
    assertTrue(url != null, "the mock API server did not start");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s"}
        contexts:
        - name: mock
          context: {cluster: mock, user: tester}
        current-context: mock
        users:
        - name: tester
          user: {token: test-token}
        """.formatted(url));
    kube = ClusterKinds.client(Webhook.kubeConfig(kubeconfig));
    // The Service the VirtualService routes to, listed by the informers at start.
    kube.services().inNamespace("dev").resource(Serialization.unmarshal("""
        apiVersion: v1
        kind: Service
        metadata: {name: calcfrontendsvc, namespace: dev}
        spec:
          selector: {app: calcfrontend}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        """, io.fabric8.kubernetes.api.model.Service.class)).create();
    Certs.Pair cert = Certs.create(dir.resolve("certs"), "informers");
    webhook = WebhookServerTest.startWebhook(vertx, new Webhook.Options(0, cert.cert(), cert.key(), 0, null, null,
        null, "127.0.0.1", Duration.ofMillis(200), Duration.ofSeconds(5), kubeconfig));
    client = WebhookServerTest.client(cert);
  }

  @AfterEach
  void stop() throws Exception {
    if (webhook != null) {
      WebhookServerTest.await(webhook.stop());
    }
    if (kube != null) {
      kube.close();
    }
    if (mock != null) {
      mock.getOutputStream().close();
      mock.destroy();
    }
  }

  @Test
  void decisionsFollowTheClusterAsTheInformersSeeIt() throws Exception {
    String virtualService = Reviews.virtualService("calcapp-canary-vs", "calcapps-dev-gateway", "me.example.com");
    Predicate<JsonNode> denied = r -> !r.path("allowed").asBoolean()
        && r.path("status").path("message").asText().contains("IST0101");
    JsonNode before = decide(virtualService);
    assertTrue(denied.test(before), "no Gateway in the cluster yet: " + before);

    GenericKubernetesResource gateway = Serialization.unmarshal(GATEWAY, GenericKubernetesResource.class);
    kube.genericKubernetesResources(GATEWAYS).inNamespace("dev").resource(gateway).create();
    JsonNode created = awaitDecision(virtualService, denied.negate());
    assertTrue(created.path("allowed").asBoolean(), "the Gateway created after start is seen: " + created);

    kube.genericKubernetesResources(GATEWAYS).inNamespace("dev").withName("calcapps-dev-gateway").delete();
    JsonNode deleted = awaitDecision(virtualService, denied);
    assertFalse(deleted.path("allowed").asBoolean(), "the deleted Gateway is gone: " + deleted);
    assertEquals(1, deleted.path("status").path("message").asText().split("IST0101", -1).length - 1, deleted.toString());
  }

  private JsonNode decide(String virtualService) throws Exception {
    return WebhookServerTest.validate(webhook, client,
        Reviews.review("admission.k8s.io/v1", "u-" + System.nanoTime(), "CREATE", virtualService, null));
  }

  /** Informers see a change within moments: asks again until the decision matches, for at most 15 s. */
  private JsonNode awaitDecision(String virtualService, Predicate<JsonNode> expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonNode answer = decide(virtualService);
    while (!expected.test(answer) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      answer = decide(virtualService);
    }
    return answer;
  }
}
