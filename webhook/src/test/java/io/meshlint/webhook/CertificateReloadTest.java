package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class CertificateReloadTest {
  @TempDir
  Path dir;

  /** The certificate a new TLS connection is served. */
  static X509Certificate served(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  static X509Certificate awaitServed(int port, String cn) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    X509Certificate cert = served(port);
    while (!cert.getSubjectX500Principal().getName().equals("CN=" + cn) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      cert = served(port);
    }
    return cert;
  }

  /** --self-managed-certs writes an EC P-256 key (PKCS#8 PEM): the server loads it and serves with it. */
  @Test
  void anEcP256KeyAsTheSelfManagedCertificatesHaveIsServed(Vertx vertx) throws Exception {
    Certs.Pair ec = Certs.createEc(dir.resolve("gen"), "ec");
    Webhook webhook = WebhookServerTest.startWebhook(vertx, WebhookServerTest.options(ec.cert(), ec.key(), null));
    try {
      X509Certificate served = served(webhook.port());
      assertEquals("EC", served.getPublicKey().getAlgorithm());
      HttpResponse<String> r = WebhookServerTest.post(WebhookServerTest.client(ec), webhook.port(), Reviews.review("CREATE",
          Reviews.virtualService("ec-vs", "calcapps-dev-gateway", "me.example.com")).toString());
      assertEquals(200, r.statusCode(), r.body());
    } finally {
      WebhookServerTest.await(webhook.stop());
    }
  }

  @Test
  void newConnectionsSeeTheReplacedCertificateWithNoFailedRequest(Vertx vertx) throws Exception {
    Certs.Pair first = Certs.create(dir.resolve("gen"), "first");
    Certs.Pair second = Certs.create(dir.resolve("gen"), "second");
    Path cert = dir.resolve("live/tls.crt");
    Path key = dir.resolve("live/tls.key");
    Files.createDirectories(cert.getParent());
    Certs.install(first, cert, key);
    Webhook webhook = WebhookServerTest.startWebhook(vertx, WebhookServerTest.options(cert, key, null));
    try {
      assertEquals("CN=first", served(webhook.port()).getSubjectX500Principal().getName());

      // Requests on new connections all through the swap, trusting both certificates.
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      List<String> failures = new ArrayList<>();
      Thread load = new Thread(() -> {
        while (running.get()) {
          try {
            HttpClient c = WebhookServerTest.client(first, second);
            HttpResponse<String> r = WebhookServerTest.post(c, webhook.port(), Reviews.review("CREATE",
                Reviews.virtualService("swap-vs", "calcapps-dev-gateway", "me.example.com")).toString());
            if (r.statusCode() == 200 && r.body().contains("\"allowed\":true")) {
              ok.incrementAndGet();
            } else {
              synchronized (failures) {
                failures.add(r.statusCode() + " " + r.body());
              }
            }
          } catch (Exception e) {
            synchronized (failures) {
              failures.add(e.toString());
            }
          }
        }
      });
      load.start();
      Thread.sleep(300);
      Certs.install(second, cert, key);
      X509Certificate now = awaitServed(webhook.port(), "second");
      assertEquals("CN=second", now.getSubjectX500Principal().getName());
      Thread.sleep(300);
      running.set(false);
      load.join(30_000);
      assertTrue(failures.isEmpty(), failures.toString());
      assertTrue(ok.get() > 0);

      // A broken file is not served: the previous certificate stays until a good pair arrives.
      Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
      Thread.sleep(800);
      assertEquals("CN=second", served(webhook.port()).getSubjectX500Principal().getName());
      assertTrue(WebhookServerTest.get(webhook.metricsPort(), "/metrics").body()
          .contains("meshlint_webhook_certificate_reloads_total{result=\"failure\"}"));
      // A certificate with another's key is refused too.
      Files.copy(first.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Thread.sleep(800);
      assertEquals("CN=second", served(webhook.port()).getSubjectX500Principal().getName());
      Certs.install(first, cert, key);
      assertEquals("CN=first", awaitServed(webhook.port(), "first").getSubjectX500Principal().getName());
      // HTTP/2 is still negotiated after the swap.
      HttpResponse<String> r = WebhookServerTest.post(WebhookServerTest.client(first), webhook.port(),
          Reviews.review("CREATE", Reviews.virtualService("h2-vs", "calcapps-dev-gateway", "me.example.com")).toString());
      assertEquals(200, r.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
    } finally {
      WebhookServerTest.await(webhook.stop());
    }
  }
}
