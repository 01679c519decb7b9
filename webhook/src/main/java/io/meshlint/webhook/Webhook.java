package io.meshlint.webhook;

import io.meshlint.cluster.ClusterKinds;
import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.InformerState;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshConfigs;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.rule.Rule;
import java.util.ArrayList;
import io.meshlint.core.source.YamlReader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The admission webhook: {@code POST /validate} over HTTPS, {@code /healthz}, {@code /readyz} and
 * {@code /metrics} over plain HTTP on the metrics port. What happens to a request between the server
 * and the answer is {@link Admission}'s; decisions that cost a fraction of a millisecond are made on
 * the event loop that read the request, the others (those that lint the whole state, and bodies over
 * 64 KiB) on workers.
 */
public final class Webhook {
  /** Larger than any object the API server stores (1.5 MiB) with room for the AdmissionReview around two copies. */
  public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
  /** Bodies up to this size are read on the event loop; larger ones (most objects are a few KiB) on a worker. */
  static final int EVENT_LOOP_BODY_BYTES = 64 * 1024;
  private static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /**
   * @param host address both servers bind
   * @param certPollInterval how often the certificate files and the configuration file are checked for changes
   * @param shutdownGrace how long in-flight requests may take to finish on shutdown, once the server stops accepting
   * @param state offline mode: manifests; null reads the state from the API server through informers
   * @param kubeconfig the API server's kubeconfig when {@code state} is null; null for $KUBECONFIG,
   *     ~/.kube/config or the in-cluster service account
   * @param shutdownDrain how long the server keeps accepting and answering after /readyz turned 503 on
   *     shutdown, while the endpoints controller and kube-proxy stop sending requests here
   */
  public record Options(int port, Path tlsCert, Path tlsKey, int metricsPort, Path state, Path meshConfig, Path config,
      String host, Duration certPollInterval, Duration shutdownGrace, Path kubeconfig, Duration shutdownDrain) {
    public Options(int port, Path tlsCert, Path tlsKey, int metricsPort, Path state, Path meshConfig, Path config,
        String host, Duration certPollInterval, Duration shutdownGrace, Path kubeconfig) {
      this(port, tlsCert, tlsKey, metricsPort, state, meshConfig, config, host, certPollInterval, shutdownGrace, kubeconfig,
          Duration.ZERO);
    }

    public Options(int port, Path tlsCert, Path tlsKey, int metricsPort, Path state, Path meshConfig, Path config,
        String host, Duration certPollInterval, Duration shutdownGrace) {
      this(port, tlsCert, tlsKey, metricsPort, state, meshConfig, config, host, certPollInterval, shutdownGrace, null);
    }

    public Options withPorts(int port, int metricsPort) {
      return new Options(port, tlsCert, tlsKey, metricsPort, state, meshConfig, config, host, certPollInterval,
          shutdownGrace, kubeconfig, shutdownDrain);
    }

    public Options withConfig(Path config) {
      return new Options(port, tlsCert, tlsKey, metricsPort, state, meshConfig, config, host, certPollInterval,
          shutdownGrace, kubeconfig, shutdownDrain);
    }

    public Options withShutdownDrain(Duration drain) {
      return new Options(port, tlsCert, tlsKey, metricsPort, state, meshConfig, config, host, certPollInterval,
          shutdownGrace, kubeconfig, drain);
    }
  }

  private final Vertx vertx;
  private final Options options;
  /** Replaced as a whole when --config changes; a request reads it once. */
  private volatile Decider decider;
  /** The --config text the current decider was made from, to notice changes. */
  private volatile String configText;
  private final WebhookConfig config;
  private final Metrics metrics = new Metrics();
  private final Admission admission = new Admission(metrics);
  private static final long REFRESH_MILLIS = 1000;
  private final TlsFiles tls;
  private final Promise<Void> readyPromise = Promise.promise();
  private volatile TlsFiles.Loaded currentTls;
  private volatile TlsFiles.Stamp failedTlsStamp;
  /**
   * The prepared state decisions read: its snapshot and (informers) the version it holds, swapped
   * together so that a decision never pairs a snapshot with another snapshot's version.
   */
  private volatile InformerState.Versioned prepared = new InformerState.Versioned(ClusterState.EMPTY, 0);
  /** A newer snapshot is being prepared in the background. */
  private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();
  /** The informers when the state comes from the API server; null in offline mode. */
  private volatile InformerState informers;
  private long syncTimer = -1;
  /** The state is loaded: requests are decided (also while shutting down, for those already accepted). */
  private volatile boolean loaded;
  /** What /readyz says: loaded and not shutting down. */
  private volatile boolean ready;
  private volatile boolean stopping;
  /** Admission requests whose head has arrived and whose answer has not yet been sent. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  /** Completes once {@link #stop} has finished; null before it is called. */
  private volatile Future<Void> stopped;
  /** One HTTPS server per event loop, sharing the port: Vert.x spreads the connections over them. */
  private final List<HttpServer> https = new java.util.concurrent.CopyOnWriteArrayList<>();
  private HttpServer plain;
  private long pollTimer = -1;

  private Webhook(Vertx vertx, Options options, WebhookConfig config) {
    this.vertx = vertx;
    this.options = options;
    this.config = config;
    this.decider = decider(options, config);
    this.configText = readConfigText(options.config());
    this.tls = new TlsFiles(options.tlsCert(), options.tlsKey());
  }

  /**
   * Reads the configuration and the certificate, starts both servers, then loads the state in the
   * background: the future completes once the servers listen, {@link #ready()} once the state is
   * loaded. A bad configuration or certificate fails the future.
   */
  public static Future<Webhook> start(Vertx vertx, Options options) {
    Webhook webhook;
    try {
      webhook = new Webhook(vertx, options, config(options));
      if (options.state() != null && !Files.exists(options.state())) {
        throw new ConfigException("--state: no such file or directory: " + options.state());
      }
      if (options.state() == null && options.kubeconfig() != null && !Files.isRegularFile(options.kubeconfig())) {
        throw new ConfigException("--kubeconfig: no such file: " + options.kubeconfig());
      }
      webhook.currentTls = webhook.tls.load(vertx);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    } catch (Exception e) {
      return Future.failedFuture(new ConfigException("TLS certificate: " + e.getMessage()));
    }
    return webhook.listen().map(v -> {
      if (options.state() != null) {
        webhook.loadState();
      } else {
        webhook.startInformers();
      }
      webhook.scheduleFilePoll();
      return webhook;
    });
  }

  private static WebhookConfig config(Options options) {
    String ownNamespace = ownNamespace();
    return options.config() == null ? WebhookConfig.defaults(ownNamespace)
        : WebhookConfig.read(options.config(), ownNamespace);
  }

  static Decider decider(Options options, WebhookConfig config) {
    Settings settings = Settings.DEFAULT;
    if (config.project().assumeDefaultIngressGateway() != null) {
      settings = settings.withAssumeDefaultIngressGateway(config.project().assumeDefaultIngressGateway());
    }
    if (config.project().systemNamespaces() != null) {
      settings = settings.withSystemNamespaces(config.project().systemNamespaces());
    }
    MeshConfig mesh = options.meshConfig() == null ? null : MeshConfigs.fromFile(options.meshConfig());
    Engine.Selection selection = new Engine.Selection(config.project().rules(), Set.of(), Set.of(),
        config.project().ignoreMatcher());
    // The team's own CEL rules run here exactly as in the CLI.
    List<Rule> rules = new ArrayList<>(BuiltinRules.all());
    rules.addAll(config.project().customRules());
    return new Decider(rules, selection, settings, mesh, YamlReader.Limits.DEFAULT, config.policy());
  }

  /** The namespace the webhook runs in: {@code POD_NAMESPACE}, else the service account's, else none. */
  static String ownNamespace() {
    String env = System.getenv("POD_NAMESPACE");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE) ? Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private Router admissionRouter() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      // Counted from its head to its answer (or the connection's end): a request whose body is still arriving is in flight.
      inFlight.incrementAndGet();
      ctx.addEndHandler(v -> inFlight.decrementAndGet());
      ctx.next();
    });
    router.post("/validate")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::validate)
        .failureHandler(this::failure);
    router.route("/validate").handler(ctx -> send(ctx, Admission.error(405, "use POST with an AdmissionReview")));
    return router;
  }

  private Future<Void> listen() {
    HttpServerOptions httpsOptions = new HttpServerOptions()
        .setHost(options.host()).setPort(options.port())
        .setSsl(true).setKeyCertOptions(currentTls.options())
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(TlsFiles.PROTOCOLS))
        .setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setSslEngineOptions(OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions())
        .setSslHandshakeTimeout(10).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
        .setIdleTimeout(30).setIdleTimeoutUnit(TimeUnit.SECONDS)
        // No WebSockets are served: without the compression extensions no handler looks for them.
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
        // Every answer is written on the event loop that read its request (a worker's decision comes
        // back through its future, which Vert.x completes on that loop): the server may skip the
        // queue it keeps for writes from other threads.
        .setStrictThreadMode(true);
    TlsFiles.CIPHER_SUITES.forEach(httpsOptions::addEnabledCipherSuite);
    Router probes = Router.router(vertx);
    probes.get("/healthz").handler(ctx -> send(ctx, 200, Admission.status("ok")));
    probes.get("/readyz").handler(ctx -> send(ctx, ready ? 200 : 503,
        Admission.status(ready ? "ready" : stopping ? "stopping" : "loading")));
    probes.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    plain = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.metricsPort())
        .setIdleTimeout(30).setIdleTimeoutUnit(TimeUnit.SECONDS)).requestHandler(probes);

    int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
    return plain.listen().compose(p -> vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        HttpServer server = vertx.createHttpServer(httpsOptions).requestHandler(admissionRouter());
        return server.listen().onSuccess(https::add);
      }
    }, new DeploymentOptions().setInstances(eventLoops))).map(s -> {
      JsonLog.info("listening", l -> l.put("port", port()).put("metricsPort", plain.actualPort())
          .put("host", options.host()).put("tls", OpenSSLEngineOptions.isAvailable() ? "BoringSSL" : "JDK")
          .put("transport", vertx.isNativeTransportEnabled() ? "epoll" : "nio"));
      return null;
    });
  }

  private void loadState() {
    Path path = options.state();
    long start = System.nanoTime();
    vertx.executeBlocking(() -> {
      ClusterState loaded = ClusterState.load(path, decider.loader());
      decider.prepare(loaded);
      return loaded;
    }, false).onSuccess(loaded -> {
      prepared = new InformerState.Versioned(loaded, 0);
      this.loaded = true;
      ready = !stopping;
      metrics.state(loaded.size(), ready);
      JsonLog.info("state loaded", l -> l.put("path", path.toString()).put("resources", loaded.size())
          .put("files", loaded.files().size()).put("ms", (System.nanoTime() - start) / 1_000_000));
      readyPromise.tryComplete();
    }).onFailure(e -> {
      JsonLog.error("cannot load the state", l -> l.put("path", path.toString()).put("error", String.valueOf(e.getMessage())));
      readyPromise.tryFail(e);
    });
  }

  /**
   * The state from the API server: informers on every kind the rules read; ready (and the first
   * baseline computed) once every informer has synced. Discovery failing (API server unreachable,
   * bad kubeconfig) fails {@link #ready()}; a kind that cannot be listed is retried with back-off
   * and keeps the webhook not ready, with a log line per attempt.
   */
  private void startInformers() {
    long start = System.nanoTime();
    vertx.executeBlocking(() -> {
      io.fabric8.kubernetes.client.Config kube = kubeConfig(options.kubeconfig());
      InformerState started = new InformerState(ClusterKinds.client(kube), decider.loader(), config.readSecrets(),
          JsonLog::fields);
      JsonLog.info("reading the state from the API server", l -> l.put("server", kube.getMasterUrl())
          .put("secrets", config.readSecrets()));
      try {
        started.start();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        started.close();
        throw new IllegalStateException(ClusterKinds.describeFailure(e, kube.getMasterUrl()), e);
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      return started;
    }, false).onSuccess(started -> {
      if (stopping) {
        started.close();
        return;
      }
      informers = started;
      awaitSync(started, start, 0);
    }).onFailure(e -> {
      String message = String.valueOf(e.getMessage());
      JsonLog.error("cannot read the state from the API server", l -> l.put("error", message));
      readyPromise.tryFail(e);
    });
  }

  /** Polls the informers until all have synced, then computes the first baseline and turns ready. */
  private void awaitSync(InformerState source, long start, int polls) {
    if (stopping) {
      return;
    }
    if (!source.synced()) {
      if (polls > 0 && polls % 100 == 0) {
        JsonLog.info("waiting for the informers to sync", l -> {
          l.put("pending", source.pending());
        });
      }
      syncTimer = vertx.setTimer(100, id -> awaitSync(source, start, polls + 1));
      return;
    }
    vertx.executeBlocking(() -> {
      InformerState.Versioned first = source.versionedSnapshot();
      decider.prepare(first.state());
      return first;
    }, false).onSuccess(first -> {
      prepared = first;
      loaded = true;
      ready = !stopping;
      metrics.state(first.state().size(), ready);
      JsonLog.info("informers synced", l -> l.put("resources", first.state().size())
          .put("ms", (System.nanoTime() - start) / 1_000_000));
      readyPromise.tryComplete();
      scheduleRefresh();
    }).onFailure(e -> {
      JsonLog.error("cannot lint the cluster state", l -> l.put("error", String.valueOf(e)));
      readyPromise.tryFail(e);
    });
  }

  /**
   * Prepares the informers' newest snapshot in the background, once a second at most, while
   * decisions read the previous one plus the changes since ({@link InformerState#changesSince}).
   */
  private void scheduleRefresh() {
    if (stopping) {
      return;
    }
    syncTimer = vertx.setTimer(REFRESH_MILLIS, id -> {
      InformerState source = informers;
      if (source == null || source.version() == prepared.version() || !refreshing.compareAndSet(false, true)) {
        scheduleRefresh();
        return;
      }
      long start = System.nanoTime();
      Decider deciding = decider;
      vertx.executeBlocking(() -> {
        InformerState.Versioned next = source.versionedSnapshot();
        deciding.prepare(next.state());
        return next;
      }, false).onComplete(ar -> {
        refreshing.set(false);
        if (ar.succeeded()) {
          prepared = ar.result();
          metrics.state(ar.result().state().size(), ready);
          JsonLog.info("state prepared", l -> l.put("resources", ar.result().state().size())
              .put("ms", (System.nanoTime() - start) / 1_000_000));
        } else {
          JsonLog.error("cannot lint the cluster state", l -> l.put("error", String.valueOf(ar.cause())));
        }
        scheduleRefresh();
      });
    });
  }

  /** The kubeconfig given, else fabric8's search: $KUBECONFIG, ~/.kube/config, the in-cluster service account. */
  static io.fabric8.kubernetes.client.Config kubeConfig(Path kubeconfig) throws IOException {
    if (kubeconfig == null) {
      return io.fabric8.kubernetes.client.Config.autoConfigure(null);
    }
    return io.fabric8.kubernetes.client.Config.fromKubeconfig(null, Files.readString(kubeconfig),
        kubeconfig.toAbsolutePath().toString());
  }

  /** Completes once the state is loaded and requests are decided. */
  public Future<Void> ready() {
    return readyPromise.future();
  }

  public int port() {
    return https.get(0).actualPort();
  }

  public int metricsPort() {
    return plain.actualPort();
  }

  // ---- admission ----

  private void validate(RoutingContext ctx) {
    long start = System.nanoTime();
    if (!loaded) {
      metrics.rejected("not_ready");
      send(ctx, Admission.error(503, "the cluster state is not loaded yet"));
      return;
    }
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    Decider deciding = decider;
    InformerState.Versioned state = prepared;
    InformerState source = informers;
    if (body.length > EVENT_LOOP_BODY_BYTES) {
      // Reading and checking a large object takes milliseconds (a hostile one more): never on the event loop.
      vertx.executeBlocking(() -> {
        Admission.Step step = admission.read(body, deciding, state, source, start);
        return step instanceof Admission.Review review ? admission.decide(review) : (Admission.Reply) step;
      }, false).onComplete(ar -> {
        if (ar.succeeded()) {
          send(ctx, ar.result());
        } else {
          failed(ctx, ar.cause());
        }
      });
      return;
    }
    Admission.Step step;
    try {
      step = admission.read(body, deciding, state, source, start);
    } catch (RuntimeException e) {
      failed(ctx, e);
      return;
    }
    if (step instanceof Admission.Reply reply) {
      send(ctx, reply);
      return;
    }
    Admission.Review review = (Admission.Review) step;
    if (review.quick()) {
      // A fraction of a millisecond: answered on the event loop, without a hop to a worker thread.
      try {
        send(ctx, admission.decide(review));
      } catch (RuntimeException e) {
        failed(ctx, e);
      }
      return;
    }
    vertx.executeBlocking(() -> admission.decide(review), false).onComplete(ar -> {
      if (ar.succeeded()) {
        send(ctx, ar.result());
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  private void failed(RoutingContext ctx, Throwable cause) {
    metrics.rejected("error");
    JsonLog.error("cannot decide", l -> l.put("error", String.valueOf(cause)));
    send(ctx, Admission.error(500, "internal error: " + cause.getMessage()));
  }

  /** Failures before the handler: the body past the limit (413), or anything thrown. */
  private void failure(RoutingContext ctx) {
    int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String message = switch (code) {
      case 413 -> "body larger than the limit of " + MAX_BODY_BYTES + " bytes";
      case 400 -> "bad request";
      default -> "internal error" + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage());
    };
    metrics.rejected(code == 413 ? "too_large" : code == 400 ? "malformed" : "error");
    JsonLog.warn("request refused", l -> l.put("status", code).put("error", message)
        .put("contentLength", String.valueOf(ctx.request().getHeader("content-length"))));
    send(ctx, Admission.error(code, message));
  }

  private void send(RoutingContext ctx, Admission.Reply reply) {
    send(ctx, reply.status(), reply.body());
  }

  private void send(RoutingContext ctx, int status, byte[] body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (stopping && ctx.request().version() != HttpVersion.HTTP_2) {
      // Draining: the client opens its next connection elsewhere instead of reusing this one.
      ctx.response().putHeader("connection", "close");
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(body));
  }

  // ---- configuration reload ----

  private static String readConfigText(Path config) {
    try {
      return config == null ? null : Files.readString(config);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Re-reads --config when its text changed (a ConfigMap volume swaps the file under a link) and
   * swaps the decider once the new one is ready: rule settings apply without a restart. A bad
   * configuration is logged and the previous one kept.
   */
  private void pollConfig() {
    String text = readConfigText(options.config());
    if (text == null || text.equals(configText)) {
      return;
    }
    configText = text;
    vertx.executeBlocking(() -> {
      Decider next = decider(options, WebhookConfig.read(options.config(), ownNamespace()));
      ClusterState current = prepared.state();
      if (current != null && loaded) {
        next.prepare(current);
      }
      return next;
    }, false).onSuccess(next -> {
      decider = next;
      JsonLog.info("configuration reloaded", l -> l.put("config", options.config().toString()));
    }).onFailure(e -> JsonLog.warn("configuration reload failed; keeping the previous configuration",
        l -> l.put("config", options.config().toString()).put("error", e.getMessage())));
  }

  // ---- certificate reload ----

  private void scheduleFilePoll() {
    if (!stopping) {
      pollTimer = vertx.setTimer(Math.max(1, options.certPollInterval().toMillis()), id -> {
        pollConfig();
        pollTls();
      });
    }
  }

  private void pollTls() {
    TlsFiles.Loaded current = currentTls;
    vertx.executeBlocking(() -> {
      TlsFiles.Stamp stamp = tls.stamp();
      if (stamp.equals(current.stamp()) || stamp.equals(failedTlsStamp)) {
        return null;
      }
      try {
        TlsFiles.Loaded loaded = tls.load(vertx);
        if (loaded.fingerprint().equals(current.fingerprint())) {
          currentTls = new TlsFiles.Loaded(loaded.stamp(), current.options(), current.fingerprint());
          return null;
        }
        return loaded;
      } catch (Exception e) {
        failedTlsStamp = stamp;
        throw e;
      }
    }, false).compose(loaded -> loaded == null ? Future.succeededFuture()
        : Future.all(https.stream().map(h -> h.updateSSLOptions(TlsFiles.sslOptions(loaded.options()), true)).toList())
            .map(all -> all.<Boolean>list().stream().allMatch(Boolean::booleanValue)).map(updated -> {
          currentTls = loaded;
          metrics.certificateReload(true);
          JsonLog.info("certificate reloaded", l -> l.put("cert", tls.cert().toString()).put("key", tls.key().toString()));
          return null;
        })).onFailure(e -> {
          metrics.certificateReload(false);
          JsonLog.warn("certificate reload failed; serving the previous certificate",
              l -> l.put("cert", tls.cert().toString()).put("error", String.valueOf(e.getMessage())));
        }).onComplete(ar -> scheduleFilePoll());
  }

  // ---- shutdown ----

  /**
   * Graceful stop: /readyz turns 503 at once; for the drain period the server still accepts and
   * answers (HTTP/1.1 answers say {@code Connection: close}, so that clients reconnect, to another
   * replica once this one has left the endpoints). Then it waits, up to the grace period, until no
   * request is in flight, also those whose body is still arriving, and only then stops accepting and
   * closes its connections (HTTP/2 GOAWAY): some clients (the JDK's before 21) fail every open
   * stream on a GOAWAY, even those the server would still answer. Then the metrics server closes.
   */
  public Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    stopping = true;
    ready = false;
    metrics.state(prepared.state().size(), false);
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    if (syncTimer >= 0) {
      vertx.cancelTimer(syncTimer);
    }
    long drain = Math.max(0, options.shutdownDrain().toMillis());
    long grace = Math.max(1, options.shutdownGrace().toMillis());
    JsonLog.info("shutting down", l -> l.put("drainMs", drain).put("graceMs", grace).put("inFlight", inFlight.get()));
    Promise<Long> quiet = Promise.promise();
    Runnable afterDrain = () -> awaitQuiet(System.nanoTime() + grace * 1_000_000, quiet);
    if (drain > 0) {
      vertx.setTimer(drain, id -> afterDrain.run());
    } else {
      afterDrain.run();
    }
    stopped = quiet.future()
        .compose(left -> {
          JsonLog.info("closing connections", l -> l.put("inFlight", inFlight.get()));
          return Future.all(https.stream().map(h -> h.shutdown(left, TimeUnit.MILLISECONDS)).toList()).<Void>mapEmpty();
        })
        .recover(e -> Future.succeededFuture())
        .compose(v -> plain == null ? Future.succeededFuture() : plain.shutdown(1, TimeUnit.SECONDS))
        .recover(e -> Future.succeededFuture())
        .compose(v -> closeInformers())
        .onComplete(v -> JsonLog.info("stopped", null));
    return stopped;
  }

  /** Completes {@code quiet} with the milliseconds of grace left once no request is in flight, or with 0 at the deadline. */
  private void awaitQuiet(long deadline, Promise<Long> quiet) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (inFlight.get() == 0 || left <= 0) {
      quiet.complete(Math.max(0, left));
    } else {
      vertx.setTimer(Math.min(20, left), id -> awaitQuiet(deadline, quiet));
    }
  }

  private Future<Void> closeInformers() {
    InformerState source = informers;
    informers = null;
    if (source == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      source.close();
      return null;
    }, false).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }
}
