package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SubmissionPublisher;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with requests of every kind in flight: over HTTP/1.1 and HTTP/2, bodies half sent, a head
 * without its body, a request whose head is still arriving, requests that start during the drain on
 * a kept-alive connection, on an HTTP/2 connection and on a new connection. Every one is answered.
 */
@ExtendWith(VertxExtension.class)
class ShutdownTest {
  private static final Duration DRAIN = Duration.ofMillis(1000);

  @TempDir
  Path dir;

  /** A request under way: its body, the part already sent, and the answer to come. */
  private interface InFlight {
    String uid();

    /** Sends the rest of the body. */
    void finish();

    byte[] answer() throws Exception;
  }

  /** Over HTTP/1.1, through Vert.x's client: one connection per request unless the client keeps one alive. */
  private record Http1(String uid, byte[] body, HttpClientRequest request, Future<Buffer> response, boolean half)
      implements InFlight {
    @Override
    public void finish() {
      request.end(half ? Buffer.buffer(body).slice(body.length / 2, body.length) : Buffer.buffer(body));
    }

    @Override
    public byte[] answer() throws Exception {
      return response.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).getBytes();
    }
  }

  /** Over HTTP/2, through the JDK's client, whose requests to one server share a connection as streams. */
  private record Http2(String uid, byte[] body, SubmissionPublisher<ByteBuffer> sending,
      CompletableFuture<java.net.http.HttpResponse<byte[]>> response) implements InFlight {
    @Override
    public void finish() {
      sending.submit(ByteBuffer.wrap(body, body.length / 2, body.length - body.length / 2));
      sending.close();
    }

    @Override
    public byte[] answer() throws Exception {
      java.net.http.HttpResponse<byte[]> r = response.get(30, TimeUnit.SECONDS);
      assertEquals(java.net.http.HttpClient.Version.HTTP_2, r.version());
      assertEquals(200, r.statusCode());
      return r.body();
    }
  }

  @Test
  void answersEveryRequestInFlightThenStopsAccepting(Vertx vertx) throws Exception {
    Certs.Pair cert = Certs.create(dir, "shutdown");
    Webhook webhook = WebhookServerTest.startWebhook(vertx,
        WebhookServerTest.options(cert.cert(), cert.key(), null).withShutdownDrain(DRAIN));
    int port = webhook.port();
    HttpClientOptions tls = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(port);
    HttpClient http1 = vertx.createHttpClient(new HttpClientOptions(tls).setProtocolVersion(HttpVersion.HTTP_1_1),
        new PoolOptions().setHttp1MaxSize(8));
    HttpClient keptAlive = vertx.createHttpClient(new HttpClientOptions(tls).setProtocolVersion(HttpVersion.HTTP_1_1),
        new PoolOptions().setHttp1MaxSize(1));
    java.net.http.HttpClient http2 = WebhookServerTest.client(cert);
    // The first stream opens the connection the others share.
    InFlight opening = start(http2, port);
    opening.finish();
    assertAnswered(opening);

    List<InFlight> halfSent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      halfSent.add(start(http1, true));
    }
    InFlight headOnly = start(http1, false);
    InFlight whole = start(http1, true);
    whole.finish();
    for (int i = 0; i < 2; i++) {
      halfSent.add(start(http2, port));
    }
    InFlight first = start(keptAlive, true);
    first.finish();
    assertAnswered(first);
    byte[] rawBody = body();
    String rawUid = Reviews.JSON.readTree(rawBody).path("request").path("uid").asText();
    String rawHead = "POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + rawBody.length + "\r\n\r\n";
    try (SSLSocket raw = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port)) {
      OutputStream out = raw.getOutputStream();
      out.write(rawHead.substring(0, 20).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200);

      // SIGTERM.
      Future<Void> stopped = webhook.stop();
      Thread.sleep(200);
      assertEquals(503, WebhookServerTest.get(webhook.metricsPort(), "/readyz").statusCode());
      // During the drain: the rest of a head, a second request on a kept-alive connection, a new
      // HTTP/2 stream and a new connection.
      out.write(rawHead.substring(20).getBytes(StandardCharsets.US_ASCII));
      out.write(rawBody);
      out.flush();
      InFlight second = start(keptAlive, true);
      second.finish();
      InFlight stream = start(http2, port);
      stream.finish();
      HttpClient fresh = vertx.createHttpClient(new HttpClientOptions(tls).setProtocolVersion(HttpVersion.HTTP_1_1));
      InFlight late = start(fresh, true);
      late.finish();
      // After the drain: the bodies' other halves.
      Thread.sleep(DRAIN.toMillis() + 300);
      halfSent.forEach(InFlight::finish);
      headOnly.finish();

      String response = readResponse(raw.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.contains(rawUid), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
      for (InFlight f : halfSent) {
        assertAnswered(f);
      }
      for (InFlight f : List.of(headOnly, whole, second, stream, late)) {
        assertAnswered(f);
      }
      WebhookServerTest.await(stopped);
    }
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  private static InFlight start(HttpClient client, boolean half) throws Exception {
    byte[] body = body();
    HttpClientRequest request = WebhookServerTest.await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setURI("/validate")));
    request.putHeader("content-type", "application/json").putHeader("content-length", String.valueOf(body.length));
    Future<Buffer> response = request.response().compose(r -> {
      assertEquals(HttpVersion.HTTP_1_1, r.version());
      return r.statusCode() == 200 ? r.body() : Future.failedFuture("HTTP " + r.statusCode());
    });
    if (half) {
      WebhookServerTest.await(request.write(Buffer.buffer(body).slice(0, body.length / 2)));
    } else {
      WebhookServerTest.await(request.sendHead());
    }
    return new Http1(uid(body), body, request, response, half);
  }

  private static InFlight start(java.net.http.HttpClient client, int port) throws Exception {
    byte[] body = body();
    SubmissionPublisher<ByteBuffer> sending = new SubmissionPublisher<>();
    CompletableFuture<java.net.http.HttpResponse<byte[]>> response = client.sendAsync(
        java.net.http.HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/validate"))
            .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
            .POST(java.net.http.HttpRequest.BodyPublishers.fromPublisher(sending, body.length)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    // Sent once the stream is open: the half arrives while the other half is held back.
    while (sending.getNumberOfSubscribers() == 0) {
      Thread.sleep(10);
    }
    sending.submit(ByteBuffer.wrap(body, 0, body.length / 2));
    return new Http2(uid(body), body, sending, response);
  }

  private static String uid(byte[] body) throws Exception {
    return Reviews.JSON.readTree(body).path("request").path("uid").asText();
  }

  private static void assertAnswered(InFlight f) throws Exception {
    JsonNode answer = Reviews.JSON.readTree(f.answer());
    assertEquals(f.uid(), answer.path("response").path("uid").asText(), answer.toString());
    assertTrue(answer.path("response").path("allowed").isBoolean(), answer.toString());
  }

  private static byte[] body() {
    ObjectNode review = Reviews.review(AdmissionRequest.V1, UUID.randomUUID().toString(), "UPDATE",
        Reviews.virtualService("calcapp-dev-vs", "calcapps-dev-gateway", "me.example.com"), null);
    return review.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static SSLContext trustAll() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return ctx;
  }

  private static String readResponse(InputStream in) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int contentLength = -1;
    int headerEnd = -1;
    while (true) {
      int n = in.read(chunk);
      if (n < 0) {
        break;
      }
      buf.write(chunk, 0, n);
      String text = buf.toString(StandardCharsets.ISO_8859_1);
      if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
        for (String line : text.substring(0, headerEnd).split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
      }
      if (headerEnd >= 0 && contentLength >= 0 && buf.size() >= headerEnd + 4 + contentLength) {
        break;
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
