package io.meshlint.webhook;

import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.InformerState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * logged (to nowhere). Run by bench/webhook-decisions.sh on generated platform states, one benchmark
 * per request type of the realistic mix (bench/generate.py --requests), each cycling through the
 * type's requests, whose answers are checked at set-up against the decision each uid names.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx768m")
public class AdmissionBenchmark {
  /** A directory of manifests: the state decisions read; the mix's AdmissionReviews for it are in STATE.requests. */
  @Param("bench/out/webhook/platform-10000")
  public String state;

  private Admission admission;
  private Decider decider;
  private InformerState.Versioned prepared;
  private final Mix vsWeights = new Mix("vs-weights");
  private final Mix drUpdate = new Mix("dr-update");
  private final Mix gwLabel = new Mix("gw-label");
  private final Mix vsNew = new Mix("vs-new");
  private final Mix gwDuplicate = new Mix("gw-duplicate");
  private final Mix gwUnbound = new Mix("gw-unbound");
  private final Mix vsUnknownHost = new Mix("vs-unknown-host");

  /** The requests of one type, taken in turn. */
  final class Mix {
    final String type;
    final List<byte[]> bodies = new ArrayList<>();
    private int next;

    Mix(String type) {
      this.type = type;
    }

    void load() throws IOException {
      Path requests = Path.of(state + ".requests");
      try (Stream<Path> files = Files.list(requests)) {
        for (Path f : files.filter(p -> p.getFileName().toString().matches(type + "-\\d+\\.json")).sorted().toList()) {
          bodies.add(Files.readAllBytes(f));
        }
      }
      if (bodies.isEmpty()) {
        throw new IllegalStateException("no " + type + " requests in " + requests);
      }
      // A benchmark of wrong answers measures nothing.
      for (byte[] body : bodies) {
        String text = new String(body, StandardCharsets.UTF_8);
        String expected = text.contains("\"uid\": \"" + type + "-deny-") ? "\"allowed\":false" : "\"allowed\":true";
        String answer = new String(answer(body).body(), StandardCharsets.UTF_8);
        if (!answer.contains(expected)) {
          throw new IllegalStateException(type + ": unexpected answer " + answer);
        }
      }
    }

    Admission.Reply next() {
      byte[] body = bodies.get(next);
      next = (next + 1) % bodies.size();
      return answer(body);
    }
  }

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
    for (Mix mix : mixes()) {
      mix.load();
    }
  }

  List<Mix> mixes() {
    return List.of(vsWeights, drUpdate, gwLabel, vsNew, gwDuplicate, gwUnbound, vsUnknownHost);
  }

  Admission.Reply answer(byte[] body) {
    Admission.Step step = admission.read(body, decider, prepared, null, System.nanoTime());
    return step instanceof Admission.Review review ? admission.decide(review) : (Admission.Reply) step;
  }

  @Benchmark
  public Admission.Reply vsWeights() {
    return vsWeights.next();
  }

  @Benchmark
  public Admission.Reply drUpdate() {
    return drUpdate.next();
  }

  @Benchmark
  public Admission.Reply gwLabel() {
    return gwLabel.next();
  }

  @Benchmark
  public Admission.Reply vsNew() {
    return vsNew.next();
  }

  @Benchmark
  public Admission.Reply gwDuplicate() {
    return gwDuplicate.next();
  }

  @Benchmark
  public Admission.Reply gwUnbound() {
    return gwUnbound.next();
  }

  @Benchmark
  public Admission.Reply vsUnknownHost() {
    return vsUnknownHost.next();
  }
}
