package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTPS requests against a started webhook whose state is the bundled mesh example plus a legacy problem. */
@ExtendWith(VertxExtension.class)
class WebhookServerTest {
  static final Path STATE = Path.of("src/test/resources/state");
  static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  @TempDir
  static Path dir;
  static Webhook webhook;
  static Certs.Pair cert;
  static HttpClient client;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    JsonLog.redirect(new PrintStream(LOG, true, StandardCharsets.UTF_8));
    cert = Certs.create(dir.resolve("certs"), "first");
    webhook = startWebhook(vertx, options(cert.cert(), cert.key(), null));
    client = client(cert);
  }

  @AfterAll
  static void stop() throws Exception {
    await(webhook.stop());
  }

  static Webhook.Options options(Path certFile, Path keyFile, Path config) {
    return new Webhook.Options(0, certFile, keyFile, 0, STATE, null, config, "127.0.0.1", Duration.ofMillis(200),
        Duration.ofSeconds(5));
  }

  static Webhook startWebhook(Vertx vertx, Webhook.Options options) throws Exception {
    Webhook w = await(Webhook.start(vertx, options));
    await(w.ready());
    return w;
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * The first log line containing {@code part}. An event loop writes its lines once it has handled
   * its I/O, a moment after the answer went out: waits a little for it.
   */
  static String logLine(String part) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      java.util.Optional<String> line = LOG.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(part)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no log line contains " + part + ":\n" + LOG.toString(StandardCharsets.UTF_8));
  }

  static HttpClient client(Certs.Pair... trusted) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(Certs.trustStore(java.util.Arrays.stream(trusted).map(Certs.Pair::certificate).toList()));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  static HttpResponse<String> post(HttpClient c, int port, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/validate"))
        .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return c.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode validate(ObjectNode review) throws Exception {
    return validate(webhook, client, review);
  }

  static JsonNode validate(Webhook w, HttpClient c, ObjectNode review) throws Exception {
    HttpResponse<String> r = post(c, w.port(), review.toString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonNode answer = Reviews.JSON.readTree(r.body());
    assertEquals(review.path("apiVersion").asText(), answer.path("apiVersion").asText());
    assertEquals("AdmissionReview", answer.path("kind").asText());
    assertEquals(review.path("request").path("uid").asText(), answer.path("response").path("uid").asText());
    return answer.path("response");
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String warningsText(JsonNode response) {
    StringBuilder sb = new StringBuilder();
    response.path("warnings").forEach(w -> sb.append(w.asText()).append('\n'));
    return sb.toString();
  }

  @Test
  void allowsAChangeThatIntroducesNoFinding() throws Exception {
    String uid = UUID.randomUUID().toString();
    // Re-applying the example's VirtualService: a second one for the same host would be MSH1004.
    JsonNode response = validate(Reviews.review(AdmissionRequest.V1, uid, "UPDATE",
        Reviews.virtualService("calcapp-dev-vs", "calcapps-dev-gateway", "me.example.com"), null));
    assertEquals(uid, response.path("uid").asText());
    assertTrue(response.path("allowed").asBoolean(), response.toString());
    assertEquals(200, response.path("status").path("code").asInt());
    assertEquals(0, response.path("warnings").size(), response.toString());
  }

  @Test
  void deniesAVirtualServiceNamingAMissingGateway() throws Exception {
    JsonNode response = validate(Reviews.review("CREATE",
        Reviews.virtualService("typo-vs", "calcapps-dev-gatway", "me.example.com")));
    assertFalse(response.path("allowed").asBoolean(), response.toString());
    assertEquals(403, response.path("status").path("code").asInt());
    String message = response.path("status").path("message").asText();
    assertTrue(message.contains("[IST0101] VirtualService dev/typo-vs"), message);
    assertTrue(message.contains("calcapps-dev-gatway"), message);
  }

  @Test
  void warnsForFindingsThatAreNotDenied() throws Exception {
    // A host the bound Gateway does not serve: IST0132, a warning by default.
    JsonNode response = validate(Reviews.review("CREATE",
        Reviews.virtualService("other-host-vs", "calcapps-dev-gateway", "other.example.com")));
    assertTrue(response.path("allowed").asBoolean(), response.toString());
    String warnings = warningsText(response);
    assertTrue(warnings.contains("[IST0132] VirtualService dev/other-host-vs"), warnings);
    response.path("warnings").forEach(w -> assertTrue(w.asText().length() <= Messages.MAX_WARNING_CHARS));
  }

  @Test
  void answersV1beta1InV1beta1() throws Exception {
    JsonNode response = validate(Reviews.review(AdmissionRequest.V1BETA1, "beta-" + UUID.randomUUID(), "CREATE",
        Reviews.virtualService("typo-vs", "nope", "me.example.com"), null));
    assertFalse(response.path("allowed").asBoolean());
    assertEquals(403, response.path("status").path("code").asInt());
  }

  @Test
  void doesNotBlockForProblemsAlreadyThere() throws Exception {
    // legacy/legacy-vs already names a missing Gateway; relabelling it introduces nothing.
    String old = """
        {"apiVersion":"networking.istio.io/v1","kind":"VirtualService",
         "metadata":{"name":"legacy-vs","namespace":"legacy"},
         "spec":{"hosts":["legacy.example.com"],"gateways":["gone-gateway"],
           "http":[{"route":[{"destination":{"host":"legacy-svc"}}]}]}}""";
    String updated = old.replace("\"namespace\":\"legacy\"}", "\"namespace\":\"legacy\",\"labels\":{\"team\":\"a\"}}");
    JsonNode response = validate(Reviews.review(AdmissionRequest.V1, "u1", "UPDATE", updated, old));
    assertTrue(response.path("allowed").asBoolean(), response.toString());
    assertEquals(0, response.path("warnings").size(), response.toString());
  }

  @Test
  void deniesDeletingAGatewayThatVirtualServicesUse() throws Exception {
    ObjectNode review = Reviews.review(AdmissionRequest.V1, "del-1", "DELETE", null, Reviews.GATEWAY);
    JsonNode response = validate(review);
    assertFalse(response.path("allowed").asBoolean(), response.toString());
    String message = response.path("status").path("message").asText();
    assertTrue(message.contains("[IST0101] VirtualService dev/calcapp-dev-vs"), message);
  }

  @Test
  void deleteWithoutOldObjectUsesTheRequestsName() throws Exception {
    ObjectNode review = Reviews.review(AdmissionRequest.V1, "del-2", "DELETE", null, Reviews.GATEWAY);
    ((ObjectNode) review.path("request")).putNull("oldObject");
    JsonNode response = validate(review);
    assertFalse(response.path("allowed").asBoolean(), response.toString());
  }

  @Test
  void dryRunRequestsAreDecidedTheSameWay() throws Exception {
    ObjectNode review = Reviews.review("CREATE", Reviews.virtualService("typo-vs", "missing", "me.example.com"));
    ((ObjectNode) review.path("request")).put("dryRun", true);
    JsonNode response = validate(review);
    assertFalse(response.path("allowed").asBoolean());
  }

  @Test
  void excludedNamespacesAreNotChecked() throws Exception {
    String vs = Reviews.virtualService("sys-vs", "missing", "me.example.com").replace("\"dev\"", "\"kube-system\"");
    JsonNode response = validate(Reviews.review("CREATE", vs));
    assertTrue(response.path("allowed").asBoolean(), response.toString());
    assertTrue(response.path("status").path("message").asText().contains("excluded"));
  }

  @Test
  void malformedBodiesGet400WithAJsonError() throws Exception {
    for (String body : List.of("not json {", "[1,2]", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"kind\":{\"kind\":\"Pod\"}}}",
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"object\":\"nope\"}}",
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":", "")) {
      HttpResponse<String> r = post(client, webhook.port(), body);
      assertEquals(400, r.statusCode(), body + " -> " + r.body());
      JsonNode error = Reviews.JSON.readTree(r.body());
      assertEquals(400, error.path("code").asInt());
      assertFalse(error.path("error").asText().isEmpty());
    }
    logLine("\"msg\":\"bad request\"");
    HttpResponse<String> getValidate = client.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + webhook.port() + "/validate")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, getValidate.statusCode());
    assertEquals(405, Reviews.JSON.readTree(getValidate.body()).path("code").asInt());
    // still serving
    assertTrue(validate(Reviews.review("CREATE",
        Reviews.virtualService("after-bad", "calcapps-dev-gateway", "me.example.com"))).path("allowed").asBoolean());
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    String big = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"pad\":\""
        + "x".repeat(Webhook.MAX_BODY_BYTES + 10) + "\"}";
    HttpResponse<String> r = post(client, webhook.port(), big);
    assertEquals(413, r.statusCode(), r.body());
    assertEquals(413, Reviews.JSON.readTree(r.body()).path("code").asInt());
    logLine("\"status\":413");
  }

  /**
   * A hostile body: a VirtualService of 2.7 MB whose labels are 90,000 keys with one Java hashCode
   * (each eleven of the pairs "Aa", "BB" and "C#", which hash alike), bound to a Gateway that does
   * not exist. Maps that keep colliding keys in a list cost O(n^2); the answer must still come
   * within seconds (the target, 2 s under a 256 MiB heap, is measured in docs/speed.md), with the
   * usual finding, and the event loop stays free for other requests meanwhile.
   */
  @Test
  void answersObjectsWhoseKeysShareOneHashCode() throws Exception {
    ObjectNode review = Reviews.review(AdmissionRequest.V1, "hostile-uid", "CREATE",
        Reviews.virtualService("hostile-vs", "missing-gateway", "me.example.com"), null);
    ObjectNode labels = ((ObjectNode) review.path("request").path("object").path("metadata")).putObject("labels");
    for (String key : collidingKeys(90_000)) {
      labels.put(key, "xx");
    }
    String body = review.toString();
    assertTrue(body.length() > 2_500_000 && body.length() < Webhook.MAX_BODY_BYTES, String.valueOf(body.length()));
    long start = System.nanoTime();
    java.util.concurrent.CompletableFuture<JsonNode> hostile = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return validate(review);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // Decided on a worker: a small request sent meanwhile is answered at once.
    JsonNode small = validate(Reviews.review("CREATE", Reviews.virtualService("small-vs", "nope", "me.example.com")));
    assertFalse(small.path("allowed").asBoolean(), small.toString());
    JsonNode response = hostile.get(60, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertFalse(response.path("allowed").asBoolean(), response.toString());
    assertTrue(response.path("status").path("message").asText().contains("Referenced gateway not found: \"missing-gateway\""),
        response.toString());
    // Quadratic work over 90,000 keys takes minutes. The target is 2 s from the body's arrival to the
    // decision (the log's ms) on a warm server (docs/speed.md); this JVM is cold and the machine
    // shared with other builds (up to 7 s seen), hence the room.
    double decided = Reviews.JSON.readTree(logLine("hostile-uid")).path("ms").asDouble();
    assertTrue(decided < 15_000, decided + " ms to decide");
    assertTrue(millis < 25_000, millis + " ms in all");
  }

  /** {@code n} distinct strings with one {@link String#hashCode}. */
  static List<String> collidingKeys(int n) {
    String[] blocks = {"Aa", "BB", "C#"};
    List<String> keys = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder key = new StringBuilder();
      for (int d = 0, v = i; d < 11; d++, v /= 3) {
        key.append(blocks[v % 3]);
      }
      keys.add(key.toString());
    }
    return keys;
  }

  /**
   * A workload standing in for Istio's default ingress gateway changes what every rule assumes: the
   * decision lints the whole state on a worker thread, and its answer is sent back on the event loop
   * that read the request.
   */
  @Test
  void aDecisionThatLintsTheWholeStateIsAnswered() throws Exception {
    String ingress = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"istio-ingressgateway","namespace":"istio-system"},
         "spec":{"selector":{"matchLabels":{"istio":"ingressgateway"}},
           "template":{"metadata":{"labels":{"istio":"ingressgateway"}},
             "spec":{"containers":[{"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.22.0"}]}}}}""";
    JsonNode response = validate(Reviews.review(AdmissionRequest.V1, "whole-state-uid", "CREATE", ingress, null));
    assertTrue(response.path("allowed").asBoolean(), response.toString());
    assertTrue(logLine("whole-state-uid").contains("\"kind\":\"Deployment\""));
  }

  @Test
  void logsOneJsonLinePerDecision() throws Exception {
    validate(Reviews.review(AdmissionRequest.V1, "log-uid-1", "CREATE",
        Reviews.virtualService("logged-vs", "nope", "me.example.com"), null));
    String line = logLine("log-uid-1");
    JsonNode json = Reviews.JSON.readTree(line);
    assertEquals("admission decision", json.path("msg").asText());
    assertEquals("VirtualService", json.path("kind").asText());
    assertEquals("dev", json.path("namespace").asText());
    assertEquals("logged-vs", json.path("name").asText());
    assertEquals("deny", json.path("decision").asText());
    assertEquals("IST0101", json.path("codes").get(0).asText());
  }

  @Test
  void probesAndMetrics() throws Exception {
    assertEquals(200, get(webhook.metricsPort(), "/healthz").statusCode());
    assertEquals(200, get(webhook.metricsPort(), "/readyz").statusCode());
    validate(Reviews.review("CREATE", Reviews.virtualService("m-vs", "nope", "me.example.com")));
    HttpResponse<String> metrics = get(webhook.metricsPort(), "/metrics");
    assertEquals(200, metrics.statusCode());
    String text = metrics.body();
    assertTrue(text.contains("meshlint_webhook_requests_total{decision=\"deny\",kind=\"VirtualService\",operation=\"CREATE\"}"), text);
    assertTrue(text.contains("meshlint_webhook_request_duration_seconds_bucket"), text);
    assertTrue(text.contains("meshlint_webhook_findings_total{code=\"IST0101\",enforcement=\"deny\"}"), text);
    assertTrue(text.matches("(?s).*meshlint_webhook_state_resources \\d+\\.0.*"), text);
    assertTrue(text.contains("meshlint_webhook_state_ready 1.0"), text);
  }

  @Test
  void dryRunConfigTurnsDenialsIntoWarnings(Vertx vertx) throws Exception {
    Path config = dir.resolve("dry-run.yaml");
    Files.writeString(config, """
        dryRun: true
        enforcement:
          IST0132: off
        """);
    Webhook dry = startWebhook(vertx, options(cert.cert(), cert.key(), config));
    try {
      JsonNode response = validate(dry, client, Reviews.review("CREATE",
          Reviews.virtualService("typo-vs", "calcapps-dev-gatway", "other.example.com")));
      assertTrue(response.path("allowed").asBoolean(), response.toString());
      String warnings = warningsText(response);
      assertTrue(warnings.contains("[IST0101] VirtualService dev/typo-vs"), warnings);
      assertFalse(warnings.contains("IST0132"), warnings);
    } finally {
      await(dry.stop());
    }
  }

  @Test
  void aChangedConfigFileAppliesWithoutARestart(Vertx vertx) throws Exception {
    Path config = dir.resolve("reloaded.yaml");
    Files.writeString(config, "enforcement: {IST0132: warn}\n");
    Webhook reloading = startWebhook(vertx, options(cert.cert(), cert.key(), config));
    try {
      JsonNode before = validate(reloading, client, Reviews.review("CREATE",
          Reviews.virtualService("other-host-vs", "calcapps-dev-gateway", "other.example.com")));
      assertTrue(before.path("allowed").asBoolean(), before.toString());

      Files.writeString(config, "enforcement: {IST0132: deny}\n");
      JsonNode after = before;
      for (int i = 0; i < 100 && after.path("allowed").asBoolean(); i++) {
        Thread.sleep(100);
        after = validate(reloading, client, Reviews.review("CREATE",
            Reviews.virtualService("other-host-vs", "calcapps-dev-gateway", "other.example.com")));
      }
      assertFalse(after.path("allowed").asBoolean(), "IST0132 denies once the file changed: " + after);

      Files.writeString(config, "enforcement: {IST0132: nonsense}\n");
      Thread.sleep(1500);
      JsonNode kept = validate(reloading, client, Reviews.review("CREATE",
          Reviews.virtualService("other-host-vs", "calcapps-dev-gateway", "other.example.com")));
      assertFalse(kept.path("allowed").asBoolean(), "a bad file keeps the previous configuration: " + kept);
    } finally {
      await(reloading.stop());
    }
  }

  @Test
  void customRulesFromTheConfigAreEnforcedToo(Vertx vertx) throws Exception {
    Path config = dir.resolve("custom.yaml");
    Files.writeString(config, """
        customRules:
        - code: ACME001
          severity: error
          match: {kinds: [VirtualService]}
          expression: "object.spec.http.all(r, has(r.timeout))"
          message: every route must set a timeout
        enforcement:
          ACME001: deny
        """);
    Webhook custom = startWebhook(vertx, options(cert.cert(), cert.key(), config));
    try {
      JsonNode response = validate(custom, client, Reviews.review("CREATE",
          Reviews.virtualService("no-timeout-vs", "calcapps-dev-gateway", "me.example.com")));
      assertFalse(response.path("allowed").asBoolean(), response.toString());
      assertTrue(response.path("status").path("message").asText().contains("[ACME001] VirtualService dev/no-timeout-vs"),
          response.toString());
    } finally {
      await(custom.stop());
    }
  }

  @Test
  void speaksTls12AndTls13Only() throws Exception {
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(Certs.trustStore(List.of(cert.certificate())));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      SSLParameters params = new SSLParameters();
      params.setProtocols(new String[] {protocol});
      HttpClient c = HttpClient.newBuilder().sslContext(ctx).sslParameters(params).build();
      HttpResponse<String> r = post(c, webhook.port(), Reviews.review("CREATE",
          Reviews.virtualService("tls-vs", "calcapps-dev-gateway", "me.example.com")).toString());
      assertEquals(200, r.statusCode());
    }
  }

  /** The README's walk-through: the bundled examples as the state, the sample AdmissionReviews in webhook/samples. */
  @Test
  void readmeSamplesAgainstTheBundledExamples(Vertx vertx) throws Exception {
    Webhook.Options o = options(cert.cert(), cert.key(), null);
    Webhook examples = startWebhook(vertx, new Webhook.Options(0, o.tlsCert(), o.tlsKey(), 0, Path.of("../examples"),
        null, null, "127.0.0.1", o.certPollInterval(), o.shutdownGrace()));
    try {
      JsonNode ok = validate(examples, client, (ObjectNode) Reviews.JSON.readTree(Path.of("samples/create-virtualservice.json").toFile()));
      assertTrue(ok.path("allowed").asBoolean(), ok.toString());
      JsonNode typo = validate(examples, client, (ObjectNode) Reviews.JSON.readTree(Path.of("samples/create-virtualservice-typo.json").toFile()));
      assertFalse(typo.path("allowed").asBoolean(), typo.toString());
      assertTrue(typo.path("status").path("message").asText().contains("Referenced gateway not found: \"calcapps-dev-gatway\""));
      JsonNode delete = validate(examples, client, (ObjectNode) Reviews.JSON.readTree(Path.of("samples/delete-gateway.json").toFile()));
      assertFalse(delete.path("allowed").asBoolean(), delete.toString());
      assertTrue(delete.path("status").path("message").asText().contains("VirtualService dev/calcapp-dev-vs"));
    } finally {
      await(examples.stop());
    }
  }
}
