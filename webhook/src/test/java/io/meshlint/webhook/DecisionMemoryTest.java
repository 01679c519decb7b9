package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.InformerState;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.source.YamlReader;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook decides requests for months: nothing of a decided request may stay reachable, or the
 * heap grows with every request until the pod is killed.
 */
class DecisionMemoryTest {
  private final Decider decider = new Decider(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
      YamlReader.Limits.DEFAULT, Policy.defaults(null));
  private final Admission admission = new Admission(new Metrics());

  @BeforeEach
  void quiet() {
    JsonLog.redirect(OutputStream.nullOutputStream());
  }

  @AfterEach
  void restore() {
    JsonLog.redirect(System.out);
  }

  @Test
  void nothingOfADecidedVirtualServiceStaysReachable() {
    ClusterState state = ClusterState.load(WebhookServerTest.STATE, decider.loader());
    assertCollectedAfterDeciding(state, Reviews.review("CREATE",
        Reviews.virtualService("canary", "calcapps-dev-gateway", "canary.example.com")).toString());
  }

  /** The injector's values are parsed once per ConfigMap and kept for the state, never for one request. */
  @Test
  void nothingOfADecidedInjectorConfigMapStaysReachable() {
    ClusterState state = ClusterState.load(
        Path.of("../linter-core/src/main/resources/meshlint/rules/IST0148/enabled-by-default.yaml"), decider.loader());
    String injector = """
        {"apiVersion":"v1","kind":"ConfigMap",
         "metadata":{"name":"istio-sidecar-injector","namespace":"istio-system"},
         "data":{"values":"{\\"revision\\": \\"\\", \\"sidecarInjectorWebhook\\": {\\"enableNamespacesByDefault\\": false}}"}}""";
    assertCollectedAfterDeciding(state, Reviews.review("UPDATE", injector).toString());
  }

  private void assertCollectedAfterDeciding(ClusterState state, String body) {
    InformerState.Versioned prepared = new InformerState.Versioned(state, 0);
    List<WeakReference<Object>> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Admission.Review review = (Admission.Review) admission.read(body.getBytes(StandardCharsets.UTF_8), decider,
          prepared, null, System.nanoTime());
      refs.add(new WeakReference<>(review.request().object()));
      review.change().added().forEach(r -> refs.add(new WeakReference<>(r)));
      admission.decide(review);
    }
    for (int i = 0; i < 10 && refs.stream().anyMatch(r -> r.get() != null); i++) {
      System.gc();
    }
    for (WeakReference<Object> ref : refs) {
      assertNull(ref.get(), "a decided request's object is still reachable");
    }
  }
}
