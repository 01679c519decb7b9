import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Open-loop load at a fixed rate (wrk2's model): requests leave on a schedule whatever the answers,
 * and each latency counts from the scheduled send time, so a stall shows in the percentiles instead
 * of slowing the load down. Usage: FixedRate URL CA_PEM RATE SECONDS EXPECT BODY...
 * (bodies are sent in turn; EXPECT is a string every answer must contain, or {@code by-uid}: the
 * decision a uid holding {@code -allow-} or {@code -deny-} names, as generate.py --requests writes
 * them). Percentiles are printed for all requests and for each type of request: a body file's name
 * without its {@code -N.json} ending.
 */
public class FixedRate {
  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String expect = args[4];
    List<byte[]> bodies = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 5; i < args.length; i++) {
      byte[] body = Files.readAllBytes(Path.of(args[i]));
      bodies.add(body);
      types.add(Path.of(args[i]).getFileName().toString().replaceAll("(-\\d+)?\\.json$", ""));
      String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
      expected.add(!expect.equals("by-uid") ? expect
          : text.matches("(?s).*\"uid\": ?\"[^\"]*-deny-.*") ? "\"allowed\":false" : "\"allowed\":true");
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (FileInputStream in = new FileInputStream(args[1])) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();

    // Warm-up: the JIT and the connection, not counted.
    for (int i = 0; i < rate * 3; i++) {
      send(client, uri, bodies.get(i % bodies.size())).join();
    }
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    List<CompletableFuture<Void>> inFlight = new ArrayList<>(total);
    long interval = 1_000_000_000L / rate;
    long begin = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = begin + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int n = i;
      inFlight.add(send(client, uri, bodies.get(i % bodies.size())).handle((response, failure) -> {
        latencies[n] = System.nanoTime() - due;
        if (failure != null || response.statusCode() != 200) {
          errors.incrementAndGet();
        } else if (!response.body().contains(expected.get(n % bodies.size()))) {
          wrong.incrementAndGet();
        }
        return null;
      }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    long elapsed = System.nanoTime() - begin;
    java.util.Map<String, List<Long>> byType = new java.util.TreeMap<>();
    for (int i = 0; i < total; i++) {
      byType.computeIfAbsent(types.get(i % bodies.size()), t -> new ArrayList<>()).add(latencies[i]);
    }
    Arrays.sort(latencies);
    System.out.printf("%d requests at %d/s (%.0f/s achieved): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " %d errors, %d wrong answers%n",
        total, rate, total * 1e9 / elapsed, pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99),
        latencies[total - 1] / 1e6, errors.get(), wrong.get());
    if (byType.size() > 1) {
      byType.forEach((type, list) -> {
        long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("  %-16s %6d requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", type, sorted.length,
            pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
      });
    }
  }

  private static CompletableFuture<HttpResponse<String>> send(HttpClient client, URI uri, byte[] body) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
  }
}
