package io.meshlint.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.cluster.ClusterState;
import io.meshlint.cluster.Identity;
import io.meshlint.core.mesh.DefaultIngressGateway;
import io.meshlint.core.mesh.Dependents;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshNetworks;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshConfigs;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.OncePerSubject;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleInfo;
import io.meshlint.core.source.InputProblem;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Decides one admission request against a cluster state: checks the state as it would be after the
 * change (the object replaced, or removed for DELETE), and keeps only the findings the change
 * introduces, compared with the state before it by rule code, resource and message (not by line).
 *
 * <p>Cost: each state snapshot is linted once, off the request path ({@link #prepare}), recording
 * which index keys every check read ({@link Dependents}). A request then checks only the objects it
 * adds or removes and the resources whose checks read a key the change touches, before and after
 * the change, reading the state after it through an overlay of the index: its cost depends on the
 * change and on how many resources refer to what it touches, not on the size of the state. Changes
 * that alter what every rule assumes (the mesh config, a stand-in for the default ingress gateway)
 * lint the whole state before and after them.
 */
public final class Decider {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String REQUEST_FILE = "<admission request>";

  private final Engine engine;
  private final Settings settings;
  private final MeshConfig meshConfig;
  private final Loader loader;
  private final Policy policy;
  private final List<Resource> defaultGateway;
  /** The codes of the {@link OncePerSubject} rules. */
  private final Set<String> oncePerSubject;
  /**
   * The states prepared last, newest first: the one decisions read, and the one before it, which
   * requests may still hold while the webhook swaps to the newer.
   */
  private volatile List<Prepared> recent = List.of();

  /** What a change does to the state: objects it adds (replacing any of the same identity) and objects it removes. */
  public record Change(List<Resource> added, Set<Identity> removed, List<InputProblem> problems) {
    public static final Change NONE = new Change(List.of(), Set.of(), List.of());
  }

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

  /**
   * A state ready for decisions: the index of every resource the rules see (the state's and what is
   * assumed), which resources' checks read which keys, and each checked resource's findings.
   *
   * @param readers for each key read, the rules whose checks read it and the resources they checked:
   *     a change looks up the few rules its keys concern instead of every key in every rule that reads
   *     a changed kind; for each {@link OncePerSubject} rule also the readers it did not report: those
   *     it reported are never checked again for it while nothing is pending, and a key every Gateway
   *     sharing a certificate read would otherwise list them all on every request
   * @param keysOfResource the index keys of each resource of the state (or changed by informers since)
   *     that a request updated or deleted, worked out on the first such request: the same objects are
   *     changed again and again, and indexing one alone costs more than the rest of its lookups
   * @param changingEveryRule the state's objects whose removal alters what every rule assumes (a
   *     handful): a request that removes one is not decided on the event loop
   */
  private record Prepared(ClusterState state, MeshIndex index, ReadersByKey readers,
      Map<Resource, List<Finding>> bySubject, Map<Resource, List<Dependents.Key>> keysOfResource,
      Set<Identity> changingEveryRule) {}

  /**
   * A finding as it is matched across the two states: never by position, which a change may shift.
   * Comparable, so that the hash maps that count keys stay logarithmic when the messages of a hostile
   * object (keys chosen to share one hashCode) collide.
   */
  record FindingKey(String code, String kind, String namespace, String name, String where, String message)
      implements Comparable<FindingKey> {
    private static final java.util.Comparator<String> TEXT = java.util.Comparator.nullsFirst(String::compareTo);
    private static final java.util.Comparator<FindingKey> ORDER = java.util.Comparator.comparing(FindingKey::message, TEXT)
        .thenComparing(FindingKey::code, TEXT).thenComparing(FindingKey::kind, TEXT)
        .thenComparing(FindingKey::namespace, TEXT).thenComparing(FindingKey::name, TEXT)
        .thenComparing(FindingKey::where, TEXT);

    @Override
    public int compareTo(FindingKey o) {
      return ORDER.compare(this, o);
    }

    static FindingKey of(Finding f) {
      return of(f, f.message());
    }

    private static FindingKey of(Finding f, String message) {
      if (f.resource() == null) {
        return new FindingKey(f.rule().code(), null, null, null, f.location().file(), message);
      }
      return new FindingKey(f.rule().code(), f.resource().kind(), f.resource().namespace(), f.resource().name(), null,
          message);
    }
  }

  /**
   * The key {@code f} is matched by when deciding a change to the objects {@code changed}: without
   * its message for a {@link OncePerSubject} rule's finding on another resource, whose message names
   * the objects that share something with it and so changes whenever one of them comes or goes.
   */
  FindingKey keyOf(Finding f, Set<Identity> changed) {
    if (f.resource() != null && oncePerSubject.contains(f.rule().code())
        && !changed.contains(Identity.of(Kinds.groupOf(f.apiVersion()), f.resource().kind(), f.resource().namespace(),
            f.resource().name()))) {
      return FindingKey.of(f, null);
    }
    return FindingKey.of(f);
  }

  public Decider(List<Rule> rules, Engine.Selection selection, Settings settings, MeshConfig meshConfig,
      YamlReader.Limits limits, Policy policy) {
    this.engine = new Engine(rules, selection, limits);
    this.settings = settings;
    this.meshConfig = meshConfig;
    this.loader = new Loader(settings.defaultNamespace(), limits);
    this.policy = policy;
    this.defaultGateway = settings.assumeDefaultIngressGateway() ? DefaultIngressGateway.load(loader) : List.of();
    Set<String> once = new HashSet<>();
    for (Rule rule : rules) {
      if (rule.getClass().isAnnotationPresent(OncePerSubject.class)) {
        once.add(rule.info().code());
      }
    }
    this.oncePerSubject = Set.copyOf(once);
  }

  public Loader loader() {
    return loader;
  }

  public Policy policy() {
    return policy;
  }

  /** Changes applied since the prepared state beyond which a decision is not counted as quick. */
  private static final int QUICK_PENDING_LIMIT = 50;

  /**
   * True when deciding costs a fraction of a millisecond: {@code state} is prepared, few changes are
   * pending, and neither they nor the request alter what every rule assumes. Other decisions may
   * lint the whole state, and run off the event loop.
   */
  public boolean isQuick(ClusterState state, Change pending, Change change) {
    Prepared p = find(state);
    if (p == null || pending.added().size() + pending.removed().size() > QUICK_PENDING_LIMIT) {
      return false;
    }
    for (Change c : List.of(pending, change)) {
      for (Resource r : c.added()) {
        if (changesEveryRule(r)) {
          return false;
        }
      }
      for (Identity id : c.removed()) {
        if (p.changingEveryRule().contains(id)) {
          return false;
        }
      }
    }
    return true;
  }

  /** True when the request's namespace is excluded: it is admitted unchecked. */
  public boolean excludes(AdmissionRequest request) {
    return policy.excludes(request.effectiveNamespace());
  }

  /**
   * Decides the request, whose {@link #change} is already known, against {@code state} with
   * {@code pending} applied: the changes the informers saw since {@code state} was prepared, so that
   * a decision reads the cluster as it is now while the next prepared state is being made.
   */
  public Outcome decide(ClusterState state, Change pending, AdmissionRequest request, Change change) {
    if (excludes(request)) {
      return new Outcome(List.of(), List.of(), List.of(), true);
    }
    List<Finding> counted = new ArrayList<>();
    List<Finding> denied = new ArrayList<>();
    List<Finding> warned = new ArrayList<>();
    for (Finding f : introduced(state, pending, change)) {
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
        if (request.operation().equals("UPDATE")) {
          // An update never renames: the old object is the one the request names.
          removed.add(Identity.of(request.group(), request.kind(), request.namespace(), request.objectName()));
        }
      }
      case "DELETE" -> removed.add(Identity.of(request.group(), request.kind(), request.namespace(), request.objectName()));
      default -> { }
    }
    return new Change(added, removed, problems);
  }

  private Loader.Result load(AdmissionRequest request, JsonNode object) {
    // The request's own tree, parsed for this request alone: adjusted in place rather than copied.
    ObjectNode tree = (ObjectNode) object;
    String group = Kinds.groupOf(tree.path("apiVersion").asText(""));
    JsonNode metadata = tree.path("metadata");
    if (metadata.isObject()) {
      // The API server's field-ownership bookkeeping: never authored, and free-form (FieldsV1) where
      // the schema check expects fields.
      ((ObjectNode) metadata).remove("managedFields");
    }
    if (Kinds.isNamespaced(group, tree.path("kind").asText("")) && !request.namespace().isEmpty()
        && metadata.isObject() && metadata.path("namespace").asText("").isEmpty()) {
      ((ObjectNode) metadata).put("namespace", request.namespace());
    }
    SourceFile file = SourceFile.ofLazyText(REQUEST_FILE, () -> {
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    });
    return loader.loadTree(file, tree, true);
  }

  /** The findings of the state after the change that the state before does not have. */
  public List<Finding> introduced(ClusterState state, Change change) {
    return introduced(state, Change.NONE, change);
  }

  /**
   * The findings that {@code change} introduces into {@code state} with {@code pending} applied.
   * Both sides are overlays of the prepared state's index; the resources checked are the objects
   * either change adds or removes, and those whose recorded reads either change touches.
   */
  public List<Finding> introduced(ClusterState state, Change pending, Change change) {
    Prepared base = prepared(state);
    // The state before the request (base + pending) and after it, each as base resources removed and resources added.
    List<Resource> removedBefore = named(base, pending.removed(), List.of());
    List<Resource> addedBefore = pending.added();
    List<Resource> removedByChange = named(base, change.removed(), addedBefore);
    removedByChange.removeIf(r -> containsSame(removedBefore, r));
    // Of those, the ones the prepared state holds (the others were added since it was prepared).
    List<Resource> removedFromBase = removedByChange.stream().filter(r -> !containsSame(addedBefore, r)).toList();
    List<Resource> removedAfter = new ArrayList<>(removedBefore);
    removedAfter.addAll(removedFromBase);
    List<Resource> addedAfter = new ArrayList<>();
    addedBefore.stream().filter(r -> !change.removed().contains(Identity.of(r))).forEach(addedAfter::add);
    addedAfter.addAll(change.added());

    List<Resource> changed = new ArrayList<>(removedAfter);
    changed.addAll(addedBefore);
    changed.addAll(change.added());
    Set<Identity> changedIds = new HashSet<>(change.removed());
    change.added().forEach(r -> changedIds.add(Identity.of(r)));
    if (changed.stream().anyMatch(this::changesEveryRule)) {
      return difference(counts(lintWhole(base, removedBefore, addedBefore, state.problems()), changedIds),
          lintWhole(base, removedAfter, addedAfter, concat(state.problems(), change.problems())), changedIds);
    }
    MeshIndex before = removedBefore.isEmpty() && addedBefore.isEmpty() ? base.index()
        : base.index().overlay(removedBefore, addedBefore);
    MeshIndex after = base.index().overlay(removedAfter, addedAfter);
    Set<String> kinds = new HashSet<>();
    for (Resource r : changed) {
      kinds.add(r.kindKey());
      // A workload of a kind no rule declares (an Argo Rollout, a Knative Service...) is read as a Pod.
      if (Workload.of(r) != null) {
        kinds.add(Kinds.POD);
      }
    }

    // The keys the change touches: those of the objects it adds (the overlay's own lookups hold
    // them) and those of every other object changed, indexed apart.
    Set<Resource> indexed = Collections.newSetFromMap(new IdentityHashMap<>(addedAfter.size()));
    indexed.addAll(addedAfter);
    List<Resource> others = changed.stream().filter(r -> !indexed.contains(r)).toList();
    // An update's old and new versions touch mostly the same keys: each is looked up once.
    Set<Dependents.Key> touched = new LinkedHashSet<>(Dependents.keysOf(after));
    for (Resource r : others) {
      // Keys are per resource (no index entry depends on another resource), so the union is the same.
      touched.addAll(base.keysOfResource().computeIfAbsent(r,
          k -> List.copyOf(Dependents.keysOf(new MeshIndex(List.of(k), base.index().meshConfig(), settings)))));
    }
    for (String kind : kinds) {
      boolean present = base.index().hasAny(kind);
      if (before.hasAny(kind) != present || after.hasAny(kind) != present) {
        touched.add(new Dependents.Key(MeshView.anyKey(kind), null));
      }
    }
    // Whether an object exists changes with its creation or deletion, never with an update; its spec
    // changes with an update that changes it, not with one of its labels or annotations alone. An
    // update's old and new versions name the same object: compared once.
    Set<Identity> compared = new HashSet<>();
    for (Resource r : changed) {
      if (!compared.add(Identity.of(r))) {
        continue;
      }
      String kind = r.kindKey();
      Resource inBase = base.index().get(kind, r.namespace(), r.name());
      Resource inBefore = before.get(kind, r.namespace(), r.name());
      Resource inAfter = after.get(kind, r.namespace(), r.name());
      if ((inBefore != null) != (inBase != null) || (inAfter != null) != (inBase != null)) {
        touched.add(new Dependents.Key(MeshView.existsKey(kind, r.namespace(), r.name()), null));
      }
      JsonNode spec = specOf(inBase);
      if (!Objects.equals(specOf(inBefore), spec) || !Objects.equals(specOf(inAfter), spec)) {
        touched.add(new Dependents.Key(MeshView.specKey(kind, r.namespace(), r.name()), null));
      }
    }
    boolean nothingPending = pending.added().isEmpty() && pending.removed().isEmpty();
    Map<FindingKey, Integer> beforeCounts = new HashMap<>();
    List<Finding> afterFindings = new ArrayList<>(engine.problems(change.problems()));
    afterFindings.addAll(engine.check(after, addedAfter, info -> true));
    // Each rule that reads a changed kind, again on the resources whose checks of that rule read a
    // touched key: a key one rule reads of every resource (a shared certificate) costs that rule only.
    Set<String> reading = engine.codesReadingAny(kinds);
    Map<String, Set<Resource>> dependentsByCode = new LinkedHashMap<>();
    for (Dependents.Key k : touched) {
      for (ReadersByKey.Reading read : base.readers().of(k.key())) {
        String code = read.code();
        if (!reading.contains(code)) {
          continue;
        }
        // A resource a OncePerSubject rule reported before is reported after unless the change removed
        // the sharing: never introduced, so not checked again.
        ReadersByKey.Reads readers = nothingPending && read.unreported() != null ? read.unreported() : read.all();
        // Sized for the few readers of most keys.
        readers.addTo(k.host(), dependentsByCode.computeIfAbsent(code,
            c -> Collections.newSetFromMap(new IdentityHashMap<>(4))));
      }
    }
    for (Map.Entry<String, Set<Resource>> concerned : dependentsByCode.entrySet()) {
      String code = concerned.getKey();
      Set<Resource> dependents = concerned.getValue();
      removedAfter.forEach(dependents::remove);
      if (dependents.isEmpty()) {
        continue;
      }
      Predicate<RuleInfo> rule = info -> info.code().equals(code);
      counts(beforeFindings(base, pending, before, dependents, rule), changedIds)
          .forEach((k, n) -> beforeCounts.merge(k, n, Integer::sum));
      afterFindings.addAll(engine.check(after, dependents, rule));
    }
    List<Resource> checkedBefore = new ArrayList<>(addedBefore);
    checkedBefore.addAll(removedFromBase);
    counts(beforeFindings(base, pending, before, checkedBefore, info -> true), changedIds)
        .forEach((k, n) -> beforeCounts.merge(k, n, Integer::sum));
    return difference(beforeCounts, afterFindings, changedIds);
  }

  private static JsonNode specOf(Resource r) {
    return r == null ? null : r.tree().path("spec");
  }

  /**
   * The findings of resources in the state before the request: with nothing pending that state is
   * the prepared one, whose findings were recorded per resource when it was linted.
   */
  private List<Finding> beforeFindings(Prepared base, Change pending, MeshIndex before, Collection<Resource> subjects,
      Predicate<RuleInfo> rules) {
    if (!pending.added().isEmpty() || !pending.removed().isEmpty()) {
      return engine.check(before, subjects, rules);
    }
    List<Finding> out = new ArrayList<>();
    for (Resource r : subjects) {
      for (Finding f : base.bySubject().getOrDefault(r, List.of())) {
        if (rules.test(f.rule())) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** The resources of the base, or else of {@code added}, that the identities name. */
  private static List<Resource> named(Prepared base, Set<Identity> ids, List<Resource> added) {
    List<Resource> out = new ArrayList<>();
    for (Identity id : ids) {
      List<Resource> found = new ArrayList<>();
      added.stream().filter(r -> Identity.of(r).equals(id)).forEach(found::add);
      if (found.isEmpty()) {
        found.addAll(base.index().named(Kinds.keyOf(id.group(), id.kind()), id.namespace(), id.name()));
      }
      out.addAll(found);
    }
    return out;
  }

  private static boolean containsSame(List<Resource> resources, Resource r) {
    for (Resource o : resources) {
      if (o == r) {
        return true;
      }
    }
    return false;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The findings of {@code after} that {@code before} (counted by key) does not have. */
  private List<Finding> difference(Map<FindingKey, Integer> before, List<Finding> after, Set<Identity> changed) {
    Map<FindingKey, Integer> left = new HashMap<>(before);
    List<Finding> out = new ArrayList<>();
    for (Finding f : after) {
      FindingKey key = keyOf(f, changed);
      Integer n = left.get(key);
      if (n != null && n > 0) {
        left.put(key, n - 1);
      } else {
        out.add(f);
      }
    }
    return out;
  }

  private Map<FindingKey, Integer> counts(List<Finding> findings, Set<Identity> changed) {
    Map<FindingKey, Integer> counts = new HashMap<>();
    findings.forEach(f -> counts.merge(keyOf(f, changed), 1, Integer::sum));
    return counts;
  }

  /** The prepared state for {@code state}, prepared now if it is a new snapshot. */
  private Prepared prepared(ClusterState state) {
    Prepared p = find(state);
    if (p == null) {
      synchronized (this) {
        p = find(state);
        if (p == null) {
          List<Resource> all = withAssumptions(state.resources());
          MeshIndex index = new MeshIndex(all, meshConfigOf(all), settings);
          Engine.Tracked run = engine.track(index);
          Map<String, Dependents> unreported = new HashMap<>();
          for (String code : oncePerSubject) {
            Dependents readers = run.dependentsByRule().get(code);
            if (readers != null) {
              unreported.put(code, readers.filtered(r -> run.bySubject().getOrDefault(r, List.of()).stream()
                  .noneMatch(f -> f.rule().code().equals(code))));
            }
          }
          Set<Identity> changingEveryRule = new HashSet<>();
          state.resources().stream().filter(this::changesEveryRule).forEach(r -> changingEveryRule.add(Identity.of(r)));
          p = new Prepared(state, index, new ReadersByKey(run.dependentsByRule(), unreported), run.bySubject(),
              new ConcurrentHashMap<>(), Set.copyOf(changingEveryRule));
          List<Prepared> before = recent;
          recent = before.isEmpty() ? List.of(p) : List.of(p, before.get(0));
        }
      }
    }
    return p;
  }

  private Prepared find(ClusterState state) {
    for (Prepared p : recent) {
      if (p.state() == state) {
        return p;
      }
    }
    return null;
  }

  /** Lints the state and records what its checks read (at load time, off the request path). */
  public void prepare(ClusterState state) {
    prepared(state);
  }

  /**
   * The whole state with base resources removed and others added, linted again, for changes that
   * alter what every rule assumes. An object's new version takes the place of its old one, as in
   * the overlay, so that rules list resources in the same order.
   */
  private List<Finding> lintWhole(Prepared base, List<Resource> removed, List<Resource> added,
      List<InputProblem> problems) {
    Set<Resource> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    gone.addAll(removed);
    Map<Identity, Resource> replacing = new HashMap<>();
    added.forEach(r -> replacing.putIfAbsent(Identity.of(r), r));
    List<Resource> all = new ArrayList<>(base.state().size() + added.size());
    Set<Resource> placed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Resource r : base.state().resources()) {
      if (!gone.contains(r)) {
        all.add(r);
      } else {
        Resource replacement = replacing.get(Identity.of(r));
        if (replacement != null && placed.add(replacement)) {
          all.add(replacement);
        }
      }
    }
    added.stream().filter(r -> !placed.contains(r)).forEach(all::add);
    return lint(all, problems, base.state().files());
  }

  /** The mesh config, and workloads that stand in for (or remove) Istio's default ingress gateway. */
  private boolean changesEveryRule(Resource r) {
    return (r.kind().equals(Kinds.CONFIG_MAP) && r.name().equals("istio")) || DefaultIngressGateway.standsIn(r);
  }

  /** One run of every rule, with what the CLI assumes on files: the default ingress gateway, the mesh config and networks. */
  public List<Finding> lint(List<Resource> resources, List<InputProblem> problems, List<SourceFile> files) {
    List<Resource> all = withAssumptions(resources);
    return engine.run(new Loader.Result(files, all, problems), new MeshIndex(all, meshConfigOf(all), settings));
  }

  private List<Resource> withAssumptions(List<Resource> resources) {
    List<Resource> all = new ArrayList<>(DefaultIngressGateway.addUnlessDefined(resources, defaultGateway));
    Resource networks = MeshNetworks.fromResources(all, settings);
    if (networks != null) {
      all.add(networks);
    }
    return all;
  }

  private MeshConfig meshConfigOf(List<Resource> all) {
    return meshConfig != null ? meshConfig : MeshConfigs.fromResources(all, settings);
  }
}
