package io.meshlint.webhook;

import io.meshlint.core.config.ConfigException;
import io.meshlint.core.source.InputException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
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

  @Option(names = "--tls-cert", required = true, paramLabel = "FILE", description = "PEM certificate (chain); reloaded when it changes")
  Path tlsCert;

  @Option(names = "--tls-key", required = true, paramLabel = "FILE", description = "PEM private key; reloaded when it changes")
  Path tlsKey;

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

  @Option(names = "--shutdown-grace-seconds", defaultValue = "20", hidden = true)
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

  @Override
  public Integer call() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    Webhook.Options options = new Webhook.Options(port, tlsCert, tlsKey, metricsPort, state, meshConfig, config, host,
        Duration.ofSeconds(tlsPollSeconds), Duration.ofSeconds(graceSeconds), kubeconfig);
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
        webhook.stop().toCompletionStage().toCompletableFuture().get(graceSeconds + 5L, TimeUnit.SECONDS);
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
