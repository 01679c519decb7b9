package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.meshlint.cluster.ClusterState;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A decision re-runs only the rules whose declared kinds the change touches. This checks that it
 * finds exactly what re-running every rule finds, for changes of several kinds.
 */
class AffectedRulesTest {
  private final Decider decider = new Decider(BuiltinRules.all(), Engine.Selection.DEFAULTS, Settings.DEFAULT, null,
      YamlReader.Limits.DEFAULT, Policy.defaults(null));
  private final ClusterState state = ClusterState.load(Path.of("../examples"), decider.loader());

  @Test
  void onlyAffectedRulesRunAndTheyFindWhatEveryRuleFinds() {
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
      Decider.Change change = new Decider.Change(added.resources(), Set.of(), added.problems());
      assertEquals(everyRule(change), keys(decider.introduced(state, change)), manifest);
    }
    // Removing the Gateway that VirtualServices bind:
    Resource gateway = state.resources().stream().filter(r -> r.kind().equals("Gateway")).findFirst().orElseThrow();
    Decider.Change delete = new Decider.Change(List.of(), Set.of(Identity.of(gateway)), List.of());
    List<Decider.FindingKey> introduced = keys(decider.introduced(state, delete));
    assertFalse(introduced.isEmpty(), "deleting a Gateway in use is noticed");
    assertEquals(everyRule(delete), introduced);
  }

  /** What the change introduces when every rule runs on the state after it. */
  private List<Decider.FindingKey> everyRule(Decider.Change change) {
    List<Resource> after = new ArrayList<>();
    for (Resource r : state.resources()) {
      if (!change.removed().contains(Identity.of(r))) {
        after.add(r);
      }
    }
    after.addAll(change.added());
    List<io.meshlint.core.source.InputProblem> problems = new ArrayList<>(state.problems());
    problems.addAll(change.problems());
    Map<Decider.FindingKey, Integer> before = new HashMap<>();
    decider.lint(state.resources(), state.problems(), state.files())
        .forEach(f -> before.merge(Decider.FindingKey.of(f), 1, Integer::sum));
    List<Decider.FindingKey> out = new ArrayList<>();
    for (Finding f : decider.lint(after, problems, state.files())) {
      Decider.FindingKey key = Decider.FindingKey.of(f);
      Integer left = before.get(key);
      if (left != null && left > 0) {
        before.put(key, left - 1);
      } else {
        out.add(key);
      }
    }
    return out;
  }

  private static List<Decider.FindingKey> keys(List<Finding> findings) {
    return findings.stream().map(Decider.FindingKey::of).toList();
  }
}
