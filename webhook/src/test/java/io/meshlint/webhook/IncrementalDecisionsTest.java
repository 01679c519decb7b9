package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.Identity;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.InputProblem;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A decision checks only what the change touches (the changed objects and the resources whose checks
 * read what it touches). These tests hold it to what linting the whole state before and after the
 * change finds: on the bundled examples, and for every resource of every rule fixture (the fixtures
 * are built to make rules fire on how resources refer to each other), deleting it and creating it.
 */
class IncrementalDecisionsTest {
  private static final Path FIXTURES = Path.of("../linter-core/src/main/resources/meshlint/rules");
  private final Decider decider = new Decider(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
      YamlReader.Limits.DEFAULT, Policy.defaults(null));

  @Test
  void changesToTheExamplesFindWhatLintingEverythingFinds() {
    ClusterState state = ClusterState.load(Path.of("../examples"), decider.loader());
    List<String> changes = List.of(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: typo, namespace: dev}\n"
            + "spec: {hosts: [x.example.com], gateways: [nope], http: [{route: [{destination: {host: nowhere}}]}]}\n",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: unlabelled}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: calls-out, namespace: calc}\n"
            + "spec: {selector: {matchLabels: {app: c}}, template: {metadata: {labels: {app: c}}, spec: {containers: "
            + "[{name: c, image: c, env: [{name: URL, value: 'https://api.example.org/v1'}]}]}}}\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: calcbackendsvc, namespace: dev}\n"
            + "spec: {selector: {app: calcbackend}, ports: [{name: http, port: 80}]}\n");
    for (String manifest : changes) {
      Loader.Result added = decider.loader().load(List.of(SourceFile.ofText("change.yaml", manifest)), true);
      assertSameAsWholeLint(state, new Decider.Change(added.resources(), Set.of(), added.problems()), manifest);
    }
    Resource gateway = state.resources().stream().filter(r -> r.kind().equals("Gateway")).findFirst().orElseThrow();
    Decider.Change delete = new Decider.Change(List.of(), Set.of(Identity.of(gateway)), List.of());
    assertFalse(decider.introduced(state, delete).isEmpty(), "deleting a Gateway in use is noticed");
    assertSameAsWholeLint(state, delete, "delete " + gateway.key());
  }

  /**
   * Thirty teams' Gateways share a wildcard certificate: a new one sharing it is reported once, on
   * itself (IST0138 names the others), not once more for each Gateway whose finding now names it.
   */
  @Test
  void aGatewayJoiningManyThatShareACertificateIsReportedOnce() {
    StringBuilder manifests = new StringBuilder();
    for (int t = 0; t <= 30; t++) {
      manifests.append("""
          apiVersion: networking.istio.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: team%d}
          spec:
            selector: {istio: ingressgateway}
            servers:
            - port: {number: 443, name: https, protocol: HTTPS}
              tls: {mode: SIMPLE, credentialName: wildcard}
              hosts: ["*.team%d.example.com"]
          ---
          """.formatted(t, t));
    }
    Loader.Result all = decider.loader().load(List.of(SourceFile.ofText("gateways.yaml", manifests.toString())), true);
    Resource joining = all.resources().get(all.resources().size() - 1);
    ClusterState state = new ClusterState(all.files(), all.resources().subList(0, all.resources().size() - 1),
        List.of());
    Decider.Change create = new Decider.Change(List.of(joining), Set.of(Identity.of(joining)), List.of());
    List<Finding> introduced = decider.introduced(state, create);
    assertEquals(List.of("IST0138 team30/gw"), introduced.stream()
        .filter(f -> f.rule().code().equals("IST0138"))
        .map(f -> f.rule().code() + " " + f.resource().namespace() + "/" + f.resource().name()).toList());
    assertSameAsWholeLint(state, create, "create " + joining.key());
  }

  /**
   * Changes to Gateways among thirty that share a certificate (one of them defined twice) and one
   * that shares nothing: the changed Gateway's finding counted from the index, the Gateways already
   * reported not checked again, and those not reported checked when the change touches what they read.
   */
  @Test
  void gatewayChangesAmongManySharingACertificateFindWhatLintingEverythingFinds() {
    StringBuilder manifests = new StringBuilder();
    for (int t = 0; t < 30; t++) {
      manifests.append(sharingGateway("gw", "team" + t, "wildcard", "")).append("---\n");
    }
    manifests.append(sharingGateway("gw", "team3", "wildcard", "")).append("---\n");
    manifests.append(sharingGateway("solo", "solo", "solo", ""));
    Loader.Result all = decider.loader().load(List.of(SourceFile.ofText("gateways.yaml", manifests.toString())), true);
    ClusterState state = new ClusterState(all.files(), all.resources(), all.problems());
    Map<String, String> changes = new java.util.LinkedHashMap<>();
    changes.put("label", sharingGateway("gw", "team0", "wildcard", "labels: {tier: public}"));
    changes.put("another certificate", sharingGateway("gw", "team1", "solo", ""));
    changes.put("the lone one joins", sharingGateway("solo", "solo", "wildcard", ""));
    changes.put("new", sharingGateway("gw", "team40", "wildcard", ""));
    changes.put("new beside the lone one", sharingGateway("solo2", "solo", "solo", ""));
    changes.put("one defined twice", sharingGateway("gw", "team3", "wildcard", "labels: {tier: public}"));
    for (Map.Entry<String, String> c : changes.entrySet()) {
      Loader.Result loaded = decider.loader().load(List.of(SourceFile.ofText("change.yaml", c.getValue())), true);
      Resource changed = loaded.resources().get(0);
      assertSameAsWholeLint(state, new Decider.Change(loaded.resources(), Set.of(Identity.of(changed)), List.of()),
          c.getKey());
    }
    for (String deleted : List.of("team2", "team3", "solo")) {
      Resource gateway = state.resources().stream().filter(r -> r.namespace().equals(deleted)).findFirst().orElseThrow();
      assertSameAsWholeLint(state, new Decider.Change(List.of(), Set.of(Identity.of(gateway)), List.of()),
          "delete " + gateway.key());
    }
  }

  /**
   * VirtualServices depend on whether their Gateway exists and on its spec, not on its labels: an
   * update of the labels checks none of them again and introduces nothing, one of its servers
   * introduces what it breaks, and deleting the Gateway what its absence breaks.
   */
  @Test
  void gatewayUpdatesCheckTheirVirtualServicesOnlyWhenTheSpecChanges() {
    String virtualServices = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop, namespace: shop}
        spec:
          hosts: [shop.example.com]
          gateways: [edge/public]
          http: [{route: [{destination: {host: shop}}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: shop, namespace: shop}
        spec: {ports: [{name: http, port: 80}]}
        """;
    String gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: edge%s}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: %s, credentialName: shop-cert}
            hosts: ["%s"]
        """;
    Loader.Result all = decider.loader().load(List.of(SourceFile.ofText("mesh.yaml",
        virtualServices + "---\n" + gateway.formatted("", "SIMPLE", "shop.example.com"))), true);
    ClusterState state = new ClusterState(all.files(), all.resources(), all.problems());
    Map<String, String> changes = new java.util.LinkedHashMap<>();
    changes.put("labels", gateway.formatted(", labels: {tier: public}", "SIMPLE", "shop.example.com"));
    changes.put("another host", gateway.formatted("", "SIMPLE", "other.example.com"));
    changes.put("passthrough", gateway.formatted("", "PASSTHROUGH", "shop.example.com"));
    Map<String, Set<String>> codes = new java.util.HashMap<>();
    for (Map.Entry<String, String> c : changes.entrySet()) {
      Loader.Result loaded = decider.loader().load(List.of(SourceFile.ofText("change.yaml", c.getValue())), true);
      Decider.Change update = new Decider.Change(loaded.resources(), Set.of(Identity.of(loaded.resources().get(0))),
          List.of());
      assertSameAsWholeLint(state, update, c.getKey());
      codes.put(c.getKey(), new HashSet<>(decider.introduced(state, update).stream().map(f -> f.rule().code()).toList()));
    }
    assertEquals(Set.of(), codes.get("labels"));
    assertTrue(codes.get("another host").contains("IST0132"), codes.toString());
    assertTrue(codes.get("passthrough").contains("MSH1029"), codes.toString());
    Resource public_ = state.resources().stream().filter(r -> r.kind().equals("Gateway")).findFirst().orElseThrow();
    Decider.Change delete = new Decider.Change(List.of(), Set.of(Identity.of(public_)), List.of());
    assertSameAsWholeLint(state, delete, "delete");
    assertTrue(decider.introduced(state, delete).stream().anyMatch(f -> f.rule().code().equals("IST0101")));
  }

  /**
   * Decisions that may lint the whole state are not made on the event loop: those that create,
   * update or delete the mesh config or what stands in for the default ingress gateway.
   */
  @Test
  void onlyChangesToWhatEveryRuleAssumesAreNotQuick() {
    String manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data: {mesh: "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ingress, namespace: istio-system, labels: {istio: ingressgateway}}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          template: {metadata: {labels: {istio: ingressgateway}}, spec: {containers: [{name: proxy, image: proxy}]}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop, namespace: shop}
        spec: {hosts: [shop], http: [{route: [{destination: {host: shop}}]}]}
        """;
    Loader.Result all = decider.loader().load(List.of(SourceFile.ofText("mesh.yaml", manifests)), true);
    ClusterState state = new ClusterState(all.files(), all.resources(), all.problems());
    decider.prepare(state);
    Map<String, Resource> byKind = new HashMap<>();
    state.resources().forEach(r -> byKind.put(r.kind(), r));
    Decider.Change none = Decider.Change.NONE;
    Resource vs = byKind.get("VirtualService");
    assertTrue(decider.isQuick(state, none, new Decider.Change(List.of(vs), Set.of(Identity.of(vs)), List.of())));
    assertTrue(decider.isQuick(state, none, new Decider.Change(List.of(), Set.of(Identity.of(vs)), List.of())));
    for (String kind : List.of("ConfigMap", "Deployment")) {
      Resource r = byKind.get(kind);
      assertFalse(decider.isQuick(state, none, new Decider.Change(List.of(), Set.of(Identity.of(r)), List.of())),
          "delete " + kind);
      assertFalse(decider.isQuick(state, none, new Decider.Change(List.of(r), Set.of(Identity.of(r)), List.of())),
          "update " + kind);
      assertFalse(decider.isQuick(state, new Decider.Change(List.of(), Set.of(Identity.of(r)), List.of()),
          new Decider.Change(List.of(vs), Set.of(Identity.of(vs)), List.of())), kind + " deleted since");
    }
  }

  private static String sharingGateway(String name, String namespace, String credential, String metadata) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: %s%s}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            tls: {mode: SIMPLE, credentialName: %s}
            hosts: ["%s.%s.example.com"]
        """.formatted(name, namespace, metadata.isEmpty() ? "" : ", " + metadata, credential, name, namespace);
  }

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.walk(FIXTURES)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void deletingOrCreatingAnyResourceOfAFixtureFindsWhatLintingEverythingFinds(Path fixture) {
    ClusterState state = ClusterState.load(fixture, decider.loader());
    for (Resource r : state.resources()) {
      Decider.Change delete = new Decider.Change(List.of(), Set.of(Identity.of(r)), List.of());
      assertSameAsWholeLint(state, delete, fixture + ": delete " + r.key());

      List<Resource> others = state.resources().stream().filter(o -> o != r).toList();
      ClusterState without = new ClusterState(state.files(), others, state.problems());
      assertSameAsWholeLint(without, new Decider.Change(List.of(r), Set.of(Identity.of(r)), List.of()),
          fixture + ": create " + r.key());

      Decider.Change unchanged = new Decider.Change(List.of(r), Set.of(Identity.of(r)), List.of());
      assertSameAsWholeLint(state, unchanged, fixture + ": update " + r.key() + " to itself");
      assertTrue(decider.introduced(state, unchanged).isEmpty(), fixture + ": an update that changes nothing "
          + keys(decider.introduced(state, unchanged), unchanged));
    }
  }

  /**
   * Decisions while changes the informers saw are pending (not yet in the prepared state): each
   * resource deleted, or created, since the state was prepared, then the next resource deleted by
   * the request.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decisionsWithPendingChangesFindWhatLintingEverythingFinds(Path fixture) {
    ClusterState state = ClusterState.load(fixture, decider.loader());
    List<Resource> all = state.resources();
    for (int i = 0; i < all.size(); i++) {
      Resource r = all.get(i);
      Resource next = all.get((i + 1) % all.size());
      Decider.Change request = new Decider.Change(List.of(), Set.of(Identity.of(next)), List.of());

      Decider.Change deleted = new Decider.Change(List.of(), Set.of(Identity.of(r)), List.of());
      ClusterState withoutR = new ClusterState(state.files(), all.stream().filter(o -> o != r).toList(),
          state.problems());
      assertEquals(sorted(wholeLint(withoutR, request)), sorted(keys(decider.introduced(state, deleted, request), request)),
          fixture + ": " + r.key() + " deleted since, then delete " + next.key());

      Decider.Change created = new Decider.Change(List.of(r), Set.of(Identity.of(r)), List.of());
      List<Resource> createdLast = new ArrayList<>(withoutR.resources());
      createdLast.add(r);
      ClusterState withR = new ClusterState(state.files(), createdLast, state.problems());
      assertEquals(sorted(wholeLint(withR, request)), sorted(keys(decider.introduced(withoutR, created, request), request)),
          fixture + ": " + r.key() + " created since, then delete " + next.key());
    }
  }

  private void assertSameAsWholeLint(ClusterState state, Decider.Change change, String what) {
    assertEquals(sorted(wholeLint(state, change)), sorted(keys(decider.introduced(state, change), change)), what);
  }

  /** The objects a change puts in place or removes: findings are matched as the decider matches them for this change. */
  private static Set<Identity> changed(Decider.Change change) {
    Set<Identity> ids = new HashSet<>(change.removed());
    change.added().forEach(r -> ids.add(Identity.of(r)));
    return ids;
  }

  /** What the change introduces when every rule runs on the whole state before and after it. */
  private List<Decider.FindingKey> wholeLint(ClusterState state, Decider.Change change) {
    // An object's new version takes the place of its old one; other added objects come last.
    List<Resource> after = new ArrayList<>();
    List<Resource> toPlace = new ArrayList<>(change.added());
    for (Resource r : state.resources()) {
      if (!change.removed().contains(Identity.of(r))) {
        after.add(r);
      } else {
        toPlace.stream().filter(a -> Identity.of(a).equals(Identity.of(r))).findFirst().ifPresent(a -> {
          after.add(a);
          toPlace.remove(a);
        });
      }
    }
    after.addAll(toPlace);
    List<InputProblem> problems = new ArrayList<>(state.problems());
    problems.addAll(change.problems());
    Set<Identity> changed = changed(change);
    Map<Decider.FindingKey, Integer> before = new HashMap<>();
    decider.lint(state.resources(), state.problems(), state.files())
        .forEach(f -> before.merge(decider.keyOf(f, changed), 1, Integer::sum));
    List<Decider.FindingKey> out = new ArrayList<>();
    for (Finding f : decider.lint(after, problems, state.files())) {
      Decider.FindingKey key = decider.keyOf(f, changed);
      Integer left = before.get(key);
      if (left != null && left > 0) {
        before.put(key, left - 1);
      } else {
        out.add(key);
      }
    }
    return out;
  }

  private List<Decider.FindingKey> keys(List<Finding> findings, Decider.Change change) {
    Set<Identity> changed = changed(change);
    return findings.stream().map(f -> decider.keyOf(f, changed)).toList();
  }

  private static List<String> sorted(List<Decider.FindingKey> keys) {
    return keys.stream().map(Decider.FindingKey::toString).sorted().toList();
  }
}
