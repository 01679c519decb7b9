package io.meshlint.webhook;

import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.InformerState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The webhook's request path without the server (no TLS, HTTP or socket): an AdmissionReview body
 * read, its change worked out, decided against a prepared state, the answer written, counted and
 * logged (to nowhere). Run by bench/webhook-decisions.sh on generated states; the three bodies are
 * those of the load benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx768m")
public class AdmissionBenchmark {
  /** A directory of manifests: the state decisions read. */
  @Param("bench/out/webhook/state-10000")
  public String state;

  @Param("webhook/samples")
  public String samples;

  private Admission admission;
  private Decider decider;
  private InformerState.Versioned prepared;
  private byte[] createVirtualService;
  private byte[] createVirtualServiceTypo;
  private byte[] deleteGateway;

  @Setup
  public void setUp() throws IOException {
    JsonLog.redirect(OutputStream.nullOutputStream());
    Webhook.Options options = new Webhook.Options(0, null, null, 0, Path.of(state), null, null, "127.0.0.1",
        Duration.ofSeconds(1), Duration.ofSeconds(1));
    decider = Webhook.decider(options, WebhookConfig.defaults(null));
    ClusterState loaded = ClusterState.load(Path.of(state), decider.loader());
    decider.prepare(loaded);
    prepared = new InformerState.Versioned(loaded, 0);
    admission = new Admission(new Metrics());
    createVirtualService = Files.readAllBytes(Path.of(samples, "create-virtualservice.json"));
    createVirtualServiceTypo = Files.readAllBytes(Path.of(samples, "create-virtualservice-typo.json"));
    deleteGateway = Files.readAllBytes(Path.of(samples, "delete-gateway.json"));
    // A benchmark of wrong answers measures nothing.
    expect(createVirtualService, "\"allowed\":true");
    expect(createVirtualServiceTypo, "\"allowed\":false");
    expect(deleteGateway, "\"allowed\":false");
  }

  private void expect(byte[] body, String part) {
    String answer = new String(answer(body).body(), java.nio.charset.StandardCharsets.UTF_8);
    if (!answer.contains(part)) {
      throw new IllegalStateException("unexpected answer: " + answer);
    }
  }

  private Admission.Reply answer(byte[] body) {
    Admission.Step step = admission.read(body, decider, prepared, null, System.nanoTime());
    return step instanceof Admission.Review review ? admission.decide(review) : (Admission.Reply) step;
  }

  @Benchmark
  public Admission.Reply createVirtualService() {
    return answer(createVirtualService);
  }

  @Benchmark
  public Admission.Reply createVirtualServiceTypo() {
    return answer(createVirtualServiceTypo);
  }

  @Benchmark
  public Admission.Reply deleteGateway() {
    return answer(deleteGateway);
  }
}
