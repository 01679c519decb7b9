package io.meshlint.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshlint.cluster.ClusterKinds;
import io.meshlint.cluster.SelfManagedCertificates;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.source.InputException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar meshlint-webhook.jar [options]}: runs until SIGTERM, then stops gracefully. */
@Command(name = "meshlint-webhook", mixinStandardHelpOptions = true,
    description = "Validating admission webhook that runs meshlint's rules on every change.")
public final class Main implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port for admission requests (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (chain); reloaded when it changes "
      + "(required unless --self-managed-certs)")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key; reloaded when it changes "
      + "(required unless --self-managed-certs)")
  Path tlsKey;

  @Option(names = "--self-managed-certs", paramLabel = "SECRET", description = "instead of --tls-cert/--tls-key: keep a CA "
      + "and serving certificate in this Secret of $POD_NAMESPACE (created or rotated as needed), write the CA into "
      + "--webhook-configuration's caBundle; checked at start and hourly")
  String selfManagedSecret;

  @Option(names = "--webhook-configuration", paramLabel = "NAME", description = "with --self-managed-certs: the "
      + "ValidatingWebhookConfiguration whose caBundle is written")
  String webhookConfiguration;

  @Option(names = "--service", paramLabel = "NAME", description = "with --self-managed-certs: the webhook's Service "
      + "(in $POD_NAMESPACE), whose DNS names the serving certificate carries")
  String service;

  @Option(names = "--self-managed-dir", defaultValue = "/tmp/meshlint-tls", hidden = true)
  Path selfManagedDir;

  @Option(names = "--self-managed-check-minutes", defaultValue = "60", hidden = true)
  int selfManagedCheckMinutes;

  @Option(names = "--metrics-port", defaultValue = "9090", description = "plain-HTTP port for /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE})")
  int metricsPort;

  @Option(names = "--state", paramLabel = "PATH", description = "offline mode: the cluster state from manifests (file or directory); "
      + "without it, from the API server (informers)")
  Path state;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "without --state: the API server's kubeconfig "
      + "(default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account)")
  Path kubeconfig;

  @Option(names = "--mesh-config", paramLabel = "FILE", description = "Istio MeshConfig: a bare MeshConfig YAML or the istio ConfigMap")
  Path meshConfig;

  @Option(names = "--config", paramLabel = "FILE", description = "rule settings (.meshlint.yaml format) and enforcement")
  Path config;

  @Option(names = "--host", defaultValue = "0.0.0.0", hidden = true)
  String host;

  @Option(names = "--tls-poll-seconds", defaultValue = "5", hidden = true)
  int tlsPollSeconds;

  @Option(names = "--shutdown-drain-seconds", defaultValue = "5", description = "on SIGTERM: how long /readyz says 503 "
      + "while requests are still accepted and answered, before the server stops accepting (default: ${DEFAULT-VALUE})")
  int drainSeconds;

  @Option(names = "--shutdown-grace-seconds", defaultValue = "20", description = "on SIGTERM, after the drain: how long "
      + "the requests in flight may take to finish (default: ${DEFAULT-VALUE})")
  int graceSeconds;

  public static void main(String[] args) {
    // Vert.x, Netty and Micrometer would log through SLF4J, which is on the class path (fabric8's
    // model) without a provider: send them to java.util.logging instead.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
    io.micrometer.common.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.micrometer.common.util.internal.logging.JdkLoggerFactory.INSTANCE);
    int status = new CommandLine(new Main()).execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Where the certificate comes from: the files given, or the files {@link SelfManagedCertificates} writes. */
  record Tls(Path cert, Path key, String namespace) {
    boolean selfManaged() {
      return namespace != null;
    }
  }

  /** Checks the certificate options: --tls-cert with --tls-key, or --self-managed-certs with its companions. */
  Tls tls(Map<String, String> env) {
    if (selfManagedSecret == null) {
      if (webhookConfiguration != null || service != null) {
        throw new ConfigException("--webhook-configuration and --service go with --self-managed-certs");
      }
      if (tlsCert == null || tlsKey == null) {
        throw new ConfigException("--tls-cert and --tls-key are required, unless --self-managed-certs is given");
      }
      return new Tls(tlsCert, tlsKey, null);
    }
    if (tlsCert != null || tlsKey != null) {
      throw new ConfigException("--self-managed-certs writes its own certificate: leave out --tls-cert and --tls-key");
    }
    if (webhookConfiguration == null || service == null) {
      throw new ConfigException("--self-managed-certs needs --webhook-configuration and --service");
    }
    String namespace = env.get("POD_NAMESPACE");
    if (namespace == null || namespace.isBlank()) {
      throw new ConfigException("--self-managed-certs needs the environment variable POD_NAMESPACE (the Secret's namespace)");
    }
    return new Tls(selfManagedDir.resolve(SelfManagedCertificates.TLS_CRT),
        selfManagedDir.resolve(SelfManagedCertificates.TLS_KEY), namespace.trim());
  }

  /**
   * The first pass of the self-managed certificates, before the server reads the files; then a pass
   * every --self-managed-check-minutes (10 seconds after a pass that failed or found no
   * ValidatingWebhookConfiguration), on a daemon thread.
   */
  private void startSelfManaged(Tls tls) throws Exception {
    KubernetesClient client = ClusterKinds.client(Webhook.kubeConfig(kubeconfig));
    SelfManagedCertificates certs = new SelfManagedCertificates(client, tls.namespace(), selfManagedSecret,
        webhookConfiguration, service, selfManagedDir, Clock.systemUTC());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshlint-certificates");
      t.setDaemon(true);
      return t;
    });
    schedule(timer, certs, selfManagedPass(certs, true));
  }

  private void schedule(ScheduledExecutorService timer, SelfManagedCertificates certs, boolean lastDone) {
    long seconds = lastDone ? selfManagedCheckMinutes * 60L : 10;
    timer.schedule(() -> schedule(timer, certs, selfManagedPass(certs, false)), seconds, TimeUnit.SECONDS);
  }

  /**
   * One pass, logged; true when everything is in place. An error of the first pass (the Secret
   * cannot be read or written) propagates: the webhook does not start on files it could not check.
   */
  private boolean selfManagedPass(SelfManagedCertificates certs, boolean first) {
    try {
      SelfManagedCertificates.Result r = certs.ensure();
      if (r.secretWritten() || r.caBundlePatched()) {
        JsonLog.info("self-managed certificates written", l -> l.put("secret", selfManagedSecret)
            .put("secretWritten", r.secretWritten()).put("caBundlePatched", r.caBundlePatched())
            .put("servingNotAfter", r.serving().getNotAfter().toInstant().toString())
            .put("caNotAfter", r.ca().getNotAfter().toInstant().toString()));
      }
      if (r.problem() != null) {
        JsonLog.warn("self-managed certificates", l -> l.put("problem", r.problem()));
        return false;
      }
      return true;
    } catch (Exception e) {
      if (first) {
        throw new IllegalStateException("self-managed certificates: " + e.getMessage(), e);
      }
      JsonLog.warn("self-managed certificates: check failed, retrying", l -> l.put("error", String.valueOf(e.getMessage())));
      return false;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Tls tls;
    try {
      tls = tls(System.getenv());
      if (tls.selfManaged()) {
        startSelfManaged(tls);
      }
    } catch (ConfigException e) {
      JsonLog.error("cannot start", l -> l.put("error", e.getMessage()));
      return 2;
    } catch (Exception e) {
      JsonLog.error("cannot start", l -> l.put("error", String.valueOf(e.getMessage())));
      return 1;
    }
    // epoll where its native library loads (Linux x86-64 and arm64), else the JDK's selector.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Webhook.Options options = new Webhook.Options(port, tls.cert(), tls.key(), metricsPort, state, meshConfig, config, host,
        Duration.ofSeconds(tlsPollSeconds), Duration.ofSeconds(graceSeconds), kubeconfig, Duration.ofSeconds(drainSeconds));
    Webhook webhook;
    try {
      webhook = Webhook.start(vertx, options).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      JsonLog.error("cannot start", l -> l.put("error", String.valueOf(cause.getMessage())));
      vertx.close();
      return cause instanceof ConfigException || cause instanceof InputException ? 2 : 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        webhook.stop().toCompletionStage().toCompletableFuture().get(drainSeconds + graceSeconds + 5L, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        JsonLog.error("shutdown incomplete", l -> l.put("error", String.valueOf(e)));
      }
    }, "meshlint-webhook-shutdown"));
    webhook.ready().onFailure(e -> {
      JsonLog.error("exiting: the state could not be loaded", l -> l.put("error", String.valueOf(e.getMessage())));
      // Not on this event-loop thread: System.exit waits for the shutdown hook, which needs the event loops.
      new Thread(() -> System.exit(1), "meshlint-webhook-exit").start();
    });
    Thread.currentThread().join();
    return 0;
  }
}
