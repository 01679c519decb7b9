package io.meshlint.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.cluster.ClusterState;
import io.meshlint.core.mesh.DefaultIngressGateway;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshConfigs;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.source.InputProblem;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides one admission request against a cluster state: lints the state as it would be after the
 * change (the object replaced, or removed for DELETE), and keeps only the findings the change
 * introduces, compared with the state before it by rule code, resource and message (not by line).
 *
 * <p>Cost: the findings of the state before are computed once per state snapshot and cached; each
 * request lints the whole state after the change once, so a decision costs time linear in the
 * state's size. {@link #lintAfter} is the seam where a later version evaluates only the resources
 * the change touches through the index.
 */
public final class Decider {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String REQUEST_FILE = "<admission request>";

  private final Engine engine;
  private final List<Rule> rules;
  private final Engine.Selection selection;
  private final YamlReader.Limits limits;
  private final Settings settings;
  private final MeshConfig meshConfig;
  private final Loader loader;
  private final Policy policy;
  private final List<Resource> defaultGateway;
  private volatile Baseline baseline;

  /** What a change does to the state: objects it adds (replacing any of the same identity) and objects it removes. */
  public record Change(List<Resource> added, Set<Identity> removed, List<InputProblem> problems) {}

  /**
   * The findings the change introduces that are not switched off, and the same split by enforcement.
   *
   * @param excluded true when the object's namespace is excluded and nothing was checked
   */
  public record Outcome(List<Finding> introduced, List<Finding> denied, List<Finding> warned, boolean excluded) {
    public boolean allowed() {
      return denied.isEmpty();
    }
  }

  private record Baseline(ClusterState state, Map<FindingKey, Integer> counts) {}

  /** A finding as it is matched across the two states: never by position, which a change may shift. */
  record FindingKey(String code, String kind, String namespace, String name, String where, String message) {
    static FindingKey of(Finding f) {
      if (f.resource() == null) {
        return new FindingKey(f.rule().code(), null, null, null, f.location().file(), f.message());
      }
      return new FindingKey(f.rule().code(), f.resource().kind(), f.resource().namespace(), f.resource().name(), null,
          f.message());
    }
  }

  public Decider(List<Rule> rules, Engine.Selection selection, Settings settings, MeshConfig meshConfig,
      YamlReader.Limits limits, Policy policy) {
    this.engine = new Engine(rules, selection, limits);
    this.rules = rules;
    this.selection = selection;
    this.limits = limits;
    this.settings = settings;
    this.meshConfig = meshConfig;
    this.loader = new Loader(settings.defaultNamespace(), limits);
    this.policy = policy;
    this.defaultGateway = settings.assumeDefaultIngressGateway() ? DefaultIngressGateway.load(loader) : List.of();
  }

  public Loader loader() {
    return loader;
  }

  public Policy policy() {
    return policy;
  }

  /** Decides the request against {@code state}. */
  public Outcome decide(ClusterState state, AdmissionRequest request) {
    if (policy.excludes(request.effectiveNamespace())) {
      return new Outcome(List.of(), List.of(), List.of(), true);
    }
    List<Finding> counted = new ArrayList<>();
    List<Finding> denied = new ArrayList<>();
    List<Finding> warned = new ArrayList<>();
    for (Finding f : introduced(state, change(request))) {
      switch (policy.of(f.rule().code())) {
        case DENY -> {
          denied.add(f);
          counted.add(f);
        }
        case WARN -> {
          warned.add(f);
          counted.add(f);
        }
        case OFF -> { }
      }
    }
    return new Outcome(counted, denied, warned, false);
  }

  /** The change a request makes: CREATE and UPDATE put the object in place, DELETE removes it. */
  public Change change(AdmissionRequest request) {
    Set<Identity> removed = new HashSet<>();
    List<Resource> added = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    switch (request.operation()) {
      case "CREATE", "UPDATE" -> {
        Loader.Result loaded = load(request, request.object());
        added.addAll(loaded.resources());
        problems.addAll(loaded.problems());
        loaded.resources().forEach(r -> removed.add(Identity.of(r)));
        if (request.oldObject() != null) {
          load(request, request.oldObject()).resources().forEach(r -> removed.add(Identity.of(r)));
        }
      }
      case "DELETE" -> {
        if (request.oldObject() != null) {
          load(request, request.oldObject()).resources().forEach(r -> removed.add(Identity.of(r)));
        }
        removed.add(Identity.of(request.group(), request.kind(), request.namespace(), request.objectName()));
      }
      default -> { }
    }
    return new Change(added, removed, problems);
  }

  private Loader.Result load(AdmissionRequest request, JsonNode object) {
    ObjectNode copy = ((ObjectNode) object).deepCopy();
    String group = Kinds.groupOf(copy.path("apiVersion").asText(""));
    JsonNode metadata = copy.path("metadata");
    if (metadata.isObject()) {
      // The API server's field-ownership bookkeeping: never authored, and free-form (FieldsV1) where
      // the schema check expects fields.
      ((ObjectNode) metadata).remove("managedFields");
    }
    if (Kinds.isNamespaced(group, copy.path("kind").asText("")) && !request.namespace().isEmpty()
        && metadata.isObject() && metadata.path("namespace").asText("").isEmpty()) {
      ((ObjectNode) metadata).put("namespace", request.namespace());
    }
    String text;
    try {
      text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return loader.load(List.of(SourceFile.ofText(REQUEST_FILE, text)), true);
  }

  /** The findings of the state after the change that the state before does not have. */
  public List<Finding> introduced(ClusterState state, Change change) {
    Map<FindingKey, Integer> before = new HashMap<>(baseline(state).counts());
    List<Finding> out = new ArrayList<>();
    for (Finding f : lintAfter(state, change)) {
      FindingKey key = FindingKey.of(f);
      Integer left = before.get(key);
      if (left != null && left > 0) {
        before.put(key, left - 1);
      } else {
        out.add(f);
      }
    }
    return out;
  }

  /** The findings of {@code state} itself, computed once per snapshot. */
  private Baseline baseline(ClusterState state) {
    Baseline b = baseline;
    if (b == null || b.state() != state) {
      synchronized (this) {
        b = baseline;
        if (b == null || b.state() != state) {
          Map<FindingKey, Integer> counts = new HashMap<>();
          for (Finding f : lint(state.resources(), state.problems(), state.files())) {
            counts.merge(FindingKey.of(f), 1, Integer::sum);
          }
          b = new Baseline(state, counts);
          baseline = b;
        }
      }
    }
    return b;
  }

  /** Computes and caches the findings of the state before any change (at load time, off the request path). */
  public void prepare(ClusterState state) {
    baseline(state);
  }

  /**
   * The findings of the state after the change, from the rules the change can affect: a rule's
   * findings can only change when a resource of a kind it reports on or reads was added or removed
   * (declared reads are enforced by the engine). Changes that alter what every rule assumes (the
   * mesh config in the {@code istio} ConfigMap, a workload standing in for the default ingress
   * gateway) re-run all rules. Findings of the rules left out are, by that, the state's own.
   */
  List<Finding> lintAfter(ClusterState state, Change change) {
    List<Resource> after = new ArrayList<>(state.size() + change.added().size());
    for (Resource r : state.resources()) {
      if (!change.removed().contains(Identity.of(r))) {
        after.add(r);
      }
    }
    after.addAll(change.added());
    List<InputProblem> problems = new ArrayList<>(state.problems());
    problems.addAll(change.problems());
    return lint(affectedEngine(state, change), after, problems, state.files());
  }

  private Engine affectedEngine(ClusterState state, Change change) {
    Set<String> kinds = new HashSet<>();
    List<Resource> touched = new ArrayList<>(change.added());
    for (Resource r : state.resources()) {
      if (change.removed().contains(Identity.of(r))) {
        touched.add(r);
      }
    }
    for (Resource r : touched) {
      if (changesEveryRule(r)) {
        return engine;
      }
      kinds.add(r.kindKey());
    }
    List<Rule> affected = rules.stream().filter(rule -> rule.info().reads().stream().anyMatch(kinds::contains)).toList();
    return affected.size() == rules.size() ? engine : new Engine(affected, selection, limits);
  }

  /** The mesh config, and workloads that stand in for (or remove) Istio's default ingress gateway. */
  private boolean changesEveryRule(Resource r) {
    return (r.kind().equals(Kinds.CONFIG_MAP) && r.name().equals("istio")) || DefaultIngressGateway.standsIn(r);
  }

  /** One run of every rule, with what the CLI assumes on files: the default ingress gateway, the mesh config. */
  public List<Finding> lint(List<Resource> resources, List<InputProblem> problems, List<SourceFile> files) {
    return lint(engine, resources, problems, files);
  }

  private List<Finding> lint(Engine engine, List<Resource> resources, List<InputProblem> problems,
      List<SourceFile> files) {
    List<Resource> all = DefaultIngressGateway.addUnlessDefined(resources, defaultGateway);
    MeshConfig mesh = meshConfig != null ? meshConfig : MeshConfigs.fromResources(all, settings);
    return engine.run(new Loader.Result(files, all, problems), mesh, settings);
  }
}
