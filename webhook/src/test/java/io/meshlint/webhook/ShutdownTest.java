package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ShutdownTest {
  @TempDir
  Path dir;

  @Test
  void finishesTheRequestInFlightThenStopsAccepting(Vertx vertx) throws Exception {
    Certs.Pair cert = Certs.create(dir, "shutdown");
    Webhook webhook = WebhookServerTest.startWebhook(vertx, WebhookServerTest.options(cert.cert(), cert.key(), null));
    int port = webhook.port();
    int metricsPort = webhook.metricsPort();
    byte[] body = Reviews.review("CREATE", Reviews.virtualService("late-vs", "calcapps-dev-gateway", "me.example.com"))
        .toString().getBytes(StandardCharsets.UTF_8);

    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      Thread.sleep(200);
      // SIGTERM arrives while the request is half sent.
      Future<Void> stopped = webhook.stop();
      Thread.sleep(300);
      assertEquals(503, WebhookServerTest.get(metricsPort, "/readyz").statusCode());
      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      String response = readResponse(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.contains("\"allowed\":true"), response);
      WebhookServerTest.await(stopped);
    }
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
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
