package io.meshlint.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The webhook's Prometheus metrics. */
public final class Metrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong stateResources = new AtomicLong();
  private final AtomicInteger ready = new AtomicInteger();
  /** Meters by their tags: registering looks the meter up again, which costs more than counting. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public Metrics() {
    Gauge.builder("meshlint_webhook_state_resources", stateResources, AtomicLong::get)
        .description("Resources in the cluster state the decisions read").register(registry);
    Gauge.builder("meshlint_webhook_state_ready", ready, AtomicInteger::get)
        .description("1 once the cluster state is loaded, else 0").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** One answered admission request; {@code decision} is allow, warn, deny or skip (excluded namespace). */
  public void request(String operation, String kind, String decision, long nanos) {
    counters.computeIfAbsent("requests|" + operation + "|" + kind + "|" + decision, k -> Counter
        .builder("meshlint_webhook_requests").description("Admission requests answered")
        .tags("operation", operation, "kind", kind, "decision", decision).register(registry)).increment();
    timers.computeIfAbsent(operation, k -> Timer.builder("meshlint_webhook_request_duration")
        .description("Time to decide an admission request")
        .tags("operation", operation).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One finding a change introduced, with what it did to the request. */
  public void finding(String code, Enforcement enforcement) {
    counters.computeIfAbsent("findings|" + code + "|" + enforcement.id(), k -> Counter
        .builder("meshlint_webhook_findings").description("Findings introduced by admission requests")
        .tags("code", code, "enforcement", enforcement.id()).register(registry)).increment();
  }

  /** A body that was refused before any decision: malformed, too_large, not_ready, error. */
  public void rejected(String reason) {
    counters.computeIfAbsent("rejected|" + reason, k -> Counter
        .builder("meshlint_webhook_rejected_requests").description("Requests answered with an HTTP error")
        .tags("reason", reason).register(registry)).increment();
  }

  public void certificateReload(boolean ok) {
    Counter.builder("meshlint_webhook_certificate_reloads").description("Reloads of the TLS certificate and key")
        .tags("result", ok ? "success" : "failure").register(registry).increment();
  }

  public void state(int resources, boolean isReady) {
    stateResources.set(resources);
    ready.set(isReady ? 1 : 0);
  }

  public String scrape() {
    return registry.scrape();
  }
}
