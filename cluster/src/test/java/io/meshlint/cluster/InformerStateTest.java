package io.meshlint.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshlint.core.Linter;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state from the API server: {@link InformerState} against fabric8's Kubernetes mock server in
 * CRUD mode, through a kubeconfig file; objects created and deleted in the mock after start are in
 * the next snapshot once the informers have them, and the findings of the snapshot follow.
 */
class InformerStateTest {
  private static final ResourceDefinitionContext GATEWAYS = custom("Gateway", "gateways");
  private static final ResourceDefinitionContext VIRTUAL_SERVICES = custom("VirtualService", "virtualservices");

  /** The Gateway the VirtualServices of these tests bind. */
  static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: calcapps-dev-gateway, namespace: dev}
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["me.example.com"]
      """;

  @TempDir
  Path dir;
  private KubernetesMockServer server;
  private GatedDispatcher dispatcher;
  private KubernetesClient client;
  private Path kubeconfig;
  private InformerState informers;
  /** What the informers reported, one line per report. */
  private final Queue<String> log = new ConcurrentLinkedQueue<>();

  /** Refuses listing Namespaces (403, as without RBAC) while closed, so the informers cannot sync. */
  static final class GatedDispatcher extends KubernetesMixedDispatcher {
    volatile boolean closed;
    final CountDownLatch refused = new CountDownLatch(1);

    GatedDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
      super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (closed && "GET".equals(request.getMethod()) && (path.equals("/api/v1/namespaces")
          || path.startsWith("/api/v1/namespaces?")) && !path.contains("watch=true")) {
        refused.countDown();
        return new MockResponse().setResponseCode(403).setBody("""
            {"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Forbidden","code":403,
             "message":"namespaces is forbidden: User \\"system:serviceaccount:meshlint:meshlint\\" cannot list resource \\"namespaces\\""}""");
      }
      return super.dispatch(request);
    }
  }

  @BeforeEach
  void start() throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    dispatcher = new GatedDispatcher(responses);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init();
    client = server.createClient();
    kubeconfig = kubeconfig("http://" + server.getHostName() + ":" + server.getPort());
    crd("VirtualService", "virtualservices");
    crd("Gateway", "gateways");
    create("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: dev
          labels: {istio-injection: enabled}
        """);
    create("""
        apiVersion: v1
        kind: Service
        metadata: {name: calcfrontendsvc, namespace: dev}
        spec:
          selector: {app: calcfrontend}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        """);
  }

  @AfterEach
  void stop() {
    if (informers != null) {
      informers.close();
    }
    client.close();
    server.destroy();
  }

  /** Starts the informers as the webhook does: a client from the kubeconfig file, discovery, then list and watch. */
  private InformerState startInformers(boolean secrets) throws Exception {
    Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toAbsolutePath().toString());
    informers = new InformerState(ClusterKinds.client(config), loader(), secrets,
        (warn, msg, fields) -> log.add((warn ? "warn " : "info ") + msg + " " + fields));
    informers.start();
    return informers;
  }

  @Test
  void notSyncedWhileAKindCannotBeListed() throws Exception {
    dispatcher.closed = true;
    InformerState s = startInformers(false);
    assertTrue(dispatcher.refused.await(60, TimeUnit.SECONDS), "the Namespace informer never listed");
    await(() -> log.stream().anyMatch(l -> l.startsWith("warn informer error") && l.contains("namespaces is forbidden")),
        "the refusal is not reported");
    assertFalse(s.synced(), "synced while Namespaces cannot be listed");
    assertTrue(s.pending().stream().anyMatch(k -> k.contains("Namespace")), s.pending().toString());

    dispatcher.closed = false;
    await(s::synced, "never synced once Namespaces can be listed");
    assertEquals(List.of(), s.pending());
    assertTrue(has(s, r -> r.kind().equals("Namespace") && r.name().equals("dev")), "the Namespace was listed");
  }

  @Test
  void findingsFollowTheCluster() throws Exception {
    InformerState s = startInformers(false);
    await(s::synced, "never synced");
    assertTrue(has(s, r -> r.kind().equals("Service") && r.name().equals("calcfrontendsvc")), "the Service was listed");
    ClusterState first = s.snapshot();
    assertSame(first, s.snapshot(), "a new snapshot although nothing changed");

    createCustom(VIRTUAL_SERVICES, """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: calcapp-dev-vs, namespace: dev}
        spec:
          hosts: ["me.example.com"]
          gateways: ["calcapps-dev-gateway"]
          http:
          - route:
            - destination: {host: calcfrontendsvc, port: {number: 80}}
        """);
    awaitState(s, r -> r.kind().equals("VirtualService") && r.name().equals("calcapp-dev-vs"), true);
    List<Finding> dangling = danglingGateway(s.snapshot());
    assertEquals(1, dangling.size(), dangling.toString());
    assertTrue(dangling.get(0).message().contains("calcapps-dev-gateway"), dangling.toString());

    createCustom(GATEWAYS, GATEWAY);
    awaitState(s, InformerStateTest::isGateway, true);
    ClusterState withGateway = s.snapshot();
    assertEquals(List.of(), danglingGateway(withGateway));

    client.genericKubernetesResources(GATEWAYS).inNamespace("dev").withName("calcapps-dev-gateway").delete();
    awaitState(s, InformerStateTest::isGateway, false);
    ClusterState without = s.snapshot();
    assertTrue(without != withGateway, "the same snapshot after a deletion");
    assertEquals(1, danglingGateway(without).size(), danglingGateway(without).toString());
  }

  /** Decisions read a prepared snapshot plus the changes since: those must name every object changed after it. */
  @Test
  void changesSinceASnapshotNameWhatWasCreatedUpdatedOrDeleted() throws Exception {
    InformerState s = startInformers(false);
    await(s::synced, "never synced");
    InformerState.Versioned prepared = s.versionedSnapshot();
    assertEquals(List.of(), s.changesSince(prepared.version()).changed(), "changes although nothing changed");

    createCustom(GATEWAYS, GATEWAY);
    awaitState(s, InformerStateTest::isGateway, true);
    InformerState.Changes created = s.changesSince(prepared.version());
    Identity key = new Identity("networking.istio.io", "Gateway", "dev", "calcapps-dev-gateway");
    assertEquals(List.of(key), created.changed());
    assertEquals(List.of("Gateway dev/calcapps-dev-gateway"),
        created.current().stream().map(r -> r.key().toString()).toList());

    client.genericKubernetesResources(GATEWAYS).inNamespace("dev").withName("calcapps-dev-gateway").delete();
    awaitState(s, InformerStateTest::isGateway, false);
    InformerState.Changes deleted = s.changesSince(prepared.version());
    assertEquals(List.of(key), deleted.changed(), "an object changed twice is named once");
    assertEquals(List.of(), deleted.current(), "a deleted object holds nothing");
    assertEquals(List.of(), s.changesSince(s.versionedSnapshot().version()).changed());
  }

  /**
   * An Argo Rollout is read where its CRD is installed, and counts as a workload before any of its
   * pods exists; add-ons the cluster lacks (Knative, OpenKruise, OpenShift) are not noted as missing.
   */
  @Test
  void addOnWorkloadControllersAreReadWhereServed() throws Exception {
    MockApiServer.crd(client, "argoproj.io", "v1alpha1", "Rollout", "rollouts");
    ResourceDefinitionContext rollouts = new ResourceDefinitionContext.Builder().withGroup("argoproj.io")
        .withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();
    createCustom(rollouts, """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: calcfrontend, namespace: dev}
        spec:
          selector: {matchLabels: {app: calcfrontend}}
          template:
            metadata: {labels: {app: calcfrontend}}
            spec:
              containers: [{name: web, image: calc:1, ports: [{containerPort: 8080}]}]
        """);
    InformerState s = startInformers(false);
    await(s::synced, "never synced");
    Resource rollout = s.snapshot().resources().stream()
        .filter(r -> r.kind().equals("Rollout") && r.name().equals("calcfrontend")).findFirst().orElse(null);
    assertTrue(rollout != null, "the Rollout was not read");
    assertEquals(Map.of("app", "calcfrontend"), Workload.of(rollout).labels());
    assertTrue(log.stream().anyMatch(line -> line.contains("informers started") && line.contains("argoproj.io/v1alpha1/Rollout")),
        log.toString());
    assertFalse(log.stream().anyMatch(line -> line.contains("not served") && (line.contains("argoproj.io")
        || line.contains("knative") || line.contains("kruise") || line.contains("openshift"))), log.toString());
  }

  @Test
  void secretsOnlyWhenAskedAndRedacted() throws Exception {
    create("""
        apiVersion: v1
        kind: Secret
        metadata: {name: gateway-tls, namespace: dev}
        type: kubernetes.io/tls
        data: {tls.key: %s, tls.crt: %s}
        """.formatted(base64("TOP-SECRET-KEY"), base64("PUBLIC-CERT")));
    InformerState plain = startInformers(false);
    await(plain::synced, "never synced");
    assertFalse(has(plain, r -> r.kind().equals("Secret")), "Secrets are not read unless asked");
    plain.close();
    informers = null;

    InformerState reading = startInformers(true);
    await(reading::synced, "never synced with Secrets");
    assertTrue(has(reading, r -> r.kind().equals("Secret") && r.name().equals("gateway-tls")));
    boolean seen = false;
    for (SourceFile f : reading.snapshot().files()) {
      String text = f.readText();
      assertFalse(text.contains(base64("TOP-SECRET-KEY")) || text.contains("TOP-SECRET-KEY"), text);
      if (f.displayName().contains("Secret/dev/gateway-tls")) {
        assertTrue(text.contains("tls.key") && text.contains(base64("PUBLIC-CERT")), text);
        seen = true;
      }
    }
    assertTrue(seen, "no source for the Secret");
  }

  // ---- helpers ----

  private static Loader loader() {
    return new Loader(Settings.DEFAULT.defaultNamespace(), YamlReader.Limits.DEFAULT);
  }

  /** The IST0101 findings of the snapshot about the Gateway calcapps-dev-gateway (linted as the CLI lints files). */
  private static List<Finding> danglingGateway(ClusterState state) {
    Linter linter = new Linter(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
        YamlReader.Limits.DEFAULT);
    return linter.lint(state.files(), List.of()).findings().stream()
        .filter(f -> f.rule().code().equals("IST0101") && f.message().contains("calcapps-dev-gateway"))
        .toList();
  }

  private static boolean isGateway(Resource r) {
    return r.kind().equals("Gateway") && r.group().equals("networking.istio.io") && r.name().equals("calcapps-dev-gateway");
  }

  private static boolean has(InformerState s, Predicate<Resource> p) {
    return s.snapshot().resources().stream().anyMatch(p);
  }

  /** Waits until the informers' state has (or no longer has) a matching resource. */
  private void awaitState(InformerState s, Predicate<Resource> p, boolean present) throws InterruptedException {
    await(() -> has(s, p) == present, "the informers never saw the change");
  }

  private void await(BooleanSupplier condition, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, () -> failure + "\n" + String.join("\n", log));
      Thread.sleep(50);
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private Path kubeconfig(String url) throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: mock
          context: {cluster: mock, user: tester, namespace: default}
        current-context: mock
        users:
        - name: tester
          user: {token: test-token}
        """.formatted(url));
    return file;
  }

  private void create(String yaml) {
    HasMetadata typed = Serialization.unmarshal(yaml);
    client.resource(typed).create();
  }

  private void createCustom(ResourceDefinitionContext ctx, String yaml) {
    GenericKubernetesResource object = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    client.genericKubernetesResources(ctx).inNamespace(object.getMetadata().getNamespace()).resource(object).create();
  }

  private static ResourceDefinitionContext custom(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1")
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  /** An Istio CRD serving v1beta1 and v1 (v1 stored), as Istio 1.22+ installs. */
  private void crd(String kind, String plural) {
    MockApiServer.crd(client, kind, plural);
  }

}
