package io.meshlint.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.InputProblem;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The cluster state from the API server: one fabric8 SharedIndexInformer (list, then watch) on each
 * kind the rules read ({@link ClusterKinds}), in every namespace.
 *
 * <p>The state is maintained incrementally: each informer's item store converts every object it is
 * given (initial list, watch event, re-list) into its in-memory source and parsed resources, at
 * once, on the informer's thread, before the informer counts as synced. An event costs the size of
 * one object. The store itself keeps only a metadata stub of each object (name, namespace,
 * resourceVersion, uid), which is all fabric8 needs to tell adds from updates and to find what a
 * re-list removed, so the state holds each object once, as its source and resources.
 *
 * <p>{@link #snapshot()} gives an immutable {@link ClusterState}: rebuilt (time linear in the number
 * of objects, a list copy; nothing is parsed again) only when some event arrived since the last
 * snapshot, else the same instance. Each snapshot has a version, and {@link #changesSince} lists
 * the objects changed after it, so that decisions read a prepared snapshot plus the few changes
 * since, while the next snapshot is prepared in the background. Events and snapshots take the same
 * lock, so a snapshot never holds half of an event.
 *
 * <p>Secrets are informed only when asked for, and redacted before anything keeps them (see
 * {@link ObjectYaml#redactSecret}): only key names and public certificates remain.
 *
 * <p>What happens (informers started, list or watch errors being retried, objects that cannot be
 * read) is reported to a {@link Log}, which the webhook writes as structured log lines.
 */
public final class InformerState implements AutoCloseable {
  /** Where the informers report what happens; fields are strings, booleans or lists of strings. */
  @FunctionalInterface
  public interface Log {
    Log NONE = (warn, msg, fields) -> {};

    void log(boolean warn, String msg, Map<String, Object> fields);
  }

  /** One object as the decisions read it. */
  private record Entry(SourceFile file, List<Resource> resources, List<InputProblem> problems,
      String resourceVersion) {
    /** The same version of the same object: informers deliver objects again on re-lists and resyncs. */
    boolean sameVersion(Entry other) {
      return other != null && !resourceVersion.isEmpty() && resourceVersion.equals(other.resourceVersion);
    }
  }

  private final KubernetesClient client;
  private final Loader loader;
  private final boolean secrets;
  private final Log log;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private final List<ResourceDefinitionContext> kinds = new ArrayList<>();
  /** Every object by group/kind/namespace/name, in that order; guarded by {@code this}. */
  private final TreeMap<String, Entry> entries = new TreeMap<>();
  /** Counts the changes applied to {@link #entries}; guarded by {@code this}. */
  private long version;
  /** Each object changed so far, under the version of its last change (one entry per object); guarded by {@code this}. */
  private final TreeMap<Long, Identity> changes = new TreeMap<>();
  private final Map<String, Long> lastChange = new java.util.HashMap<>();


  /** A snapshot and the version of the state it holds. */
  public record Versioned(ClusterState state, long version) {}

  /**
   * What changed after {@code version}: the objects changed (each named once, whether it was
   * created, updated or deleted) and the resources they hold now (none for deleted ones). Costs the
   * number of objects changed since then.
   */
  public record Changes(List<Identity> changed, List<Resource> current) {}
  private ClusterState snapshot;
  private long snapshotVersion = -1;

  /**
   * @param client closed by {@link #close()}
   * @param loader converts each object's source into resources
   * @param secrets whether Secrets are informed (redacted)
   * @param log what happens, or null for nothing
   */
  public InformerState(KubernetesClient client, Loader loader, boolean secrets, Log log) {
    this.client = client;
    this.loader = loader;
    this.secrets = secrets;
    this.log = log == null ? Log.NONE : log;
  }

  /**
   * Discovers the kinds this cluster serves and starts an informer on each (blocking for discovery
   * only; the informers list and watch in the background, retrying with back-off on failure).
   *
   * @throws KubernetesClientException when the API server cannot be reached for discovery
   */
  public synchronized void start() {
    List<ResourceDefinitionContext> toRead = ClusterKinds.toRead(client, secrets,
        note -> log.log(false, "cluster kinds", Map.of("note", note)));
    for (ResourceDefinitionContext kind : toRead) {
      SharedIndexInformer<GenericKubernetesResource> informer = (kind.isNamespaceScoped()
          ? client.genericKubernetesResources(kind).inAnyNamespace()
          : client.genericKubernetesResources(kind)).runnableInformer(0);
      informer.itemStore(new Store(kind));
      informer.exceptionHandler((started, t) -> {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", ClusterKinds.describe(kind));
        fields.put("started", started);
        fields.put("error", t instanceof KubernetesClientException e ? ClusterKinds.reason(e) : String.valueOf(t));
        log.log(true, "informer error; retrying", fields);
        return true;
      });
      informers.add(informer);
      kinds.add(kind);
    }
    informers.forEach(SharedIndexInformer::start);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("kinds", kinds.stream()
        .map(k -> (k.getGroup().isEmpty() ? "" : k.getGroup() + "/") + k.getVersion() + "/" + k.getKind()).toList());
    fields.put("secrets", secrets);
    log.log(false, "informers started", fields);
  }

  /** True once every informer has listed its kind (and converted every object). */
  public boolean synced() {
    List<SharedIndexInformer<GenericKubernetesResource>> all;
    synchronized (this) {
      all = List.copyOf(informers);
    }
    return !all.isEmpty() && all.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** The kinds not synced yet, for the logs. */
  public synchronized List<String> pending() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < informers.size(); i++) {
      if (!informers.get(i).hasSynced()) {
        out.add(ClusterKinds.describe(kinds.get(i)));
      }
    }
    return out;
  }

  /** The state as the informers see it now; the same instance while nothing changed. */
  public synchronized ClusterState snapshot() {
    if (snapshot == null || snapshotVersion != version) {
      List<SourceFile> files = new ArrayList<>(entries.size());
      List<Resource> resources = new ArrayList<>(entries.size());
      List<InputProblem> problems = new ArrayList<>();
      for (Entry e : entries.values()) {
        files.add(e.file());
        resources.addAll(e.resources());
        problems.addAll(e.problems());
      }
      snapshot = new ClusterState(files, resources, problems);
      snapshotVersion = version;
    }
    return snapshot;
  }

  private static String stateKey(Identity object) {
    return ClusterObjects.key(object.group(), object.kind(), object.namespace(), object.name());
  }

  /** The current snapshot with its version. */
  public synchronized Versioned versionedSnapshot() {
    return new Versioned(snapshot(), version);
  }

  /** The objects changed after {@code since} (a {@link Versioned#version()}), with what they hold now. */
  public synchronized Changes changesSince(long since) {
    List<Identity> changed = new ArrayList<>();
    List<Resource> current = new ArrayList<>();
    for (Identity key : changes.tailMap(since, false).values()) {
      changed.add(key);
      Entry e = entries.get(stateKey(key));
      if (e != null) {
        current.addAll(e.resources());
      }
    }
    return new Changes(changed, current);
  }

  /** Counts the changes seen so far. */
  public synchronized long version() {
    return version;
  }

  @Override
  public void close() {
    List<SharedIndexInformer<GenericKubernetesResource>> all;
    synchronized (this) {
      all = List.copyOf(informers);
    }
    all.forEach(SharedIndexInformer::stop);
    client.close();
  }

  private void put(Identity object, Entry entry) {
    String key = stateKey(object);
    synchronized (this) {
      if (entry != null && entry.sameVersion(entries.get(key))) {
        return;
      }
      Entry old = entry == null ? entries.remove(key) : entries.put(key, entry);
      if (old != entry) {
        version++;
        Long previous = lastChange.put(key, version);
        if (previous != null) {
          changes.remove(previous);
        }
        changes.put(version, object);
      }
    }
  }

  /**
   * fabric8's item store for one kind: converts each object into an {@link Entry} of the state and
   * keeps a metadata stub for the informer's bookkeeping.
   */
  private final class Store implements ItemStore<GenericKubernetesResource> {
    private final ResourceDefinitionContext kind;
    private final Map<String, GenericKubernetesResource> stubs = new ConcurrentHashMap<>();
    /** The object of each informer key, to remove its entry again. */
    private final Map<String, Identity> objects = new ConcurrentHashMap<>();

    Store(ResourceDefinitionContext kind) {
      this.kind = kind;
    }

    @Override
    public String getKey(GenericKubernetesResource obj) {
      return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
      // Redacted in place before anything else keeps it.
      ClusterObjects.redactIfSecret(kind, obj);
      GenericKubernetesResource stub = stub(obj);
      Identity object = new Identity(kind.getGroup(), kind.getKind(),
          kind.isNamespaceScoped() ? obj.getMetadata().getNamespace() : null, obj.getMetadata().getName());
      Entry entry = null;
      try {
        ClusterObjects.ClusterObject o = ClusterObjects.toObject(kind, obj);
        if (o != null) {
          Loader.Result loaded = loader.load(List.of(o.source()), true);
          String resourceVersion = obj.getMetadata().getResourceVersion();
          entry = new Entry(o.source(), List.copyOf(loaded.resources()), List.copyOf(loaded.problems()),
              resourceVersion == null ? "" : resourceVersion);
        }
      } catch (RuntimeException e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", ClusterKinds.describe(kind));
        fields.put("object", key);
        fields.put("error", String.valueOf(e));
        log.log(true, "cannot read a cluster object; left out of the state", fields);
      }
      objects.put(key, object);
      InformerState.this.put(object, entry);
      return stubs.put(key, stub);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
      Identity object = objects.remove(key);
      if (object != null) {
        InformerState.this.put(object, null);
      }
      return stubs.remove(key);
    }

    @Override
    public Stream<String> keySet() {
      return stubs.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return stubs.values().stream();
    }

    @Override
    public int size() {
      return stubs.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      return stubs.get(key);
    }

    private GenericKubernetesResource stub(GenericKubernetesResource obj) {
      ObjectMeta m = obj.getMetadata();
      ObjectMeta meta = new ObjectMeta();
      meta.setName(m.getName());
      meta.setNamespace(m.getNamespace());
      meta.setResourceVersion(m.getResourceVersion());
      meta.setUid(m.getUid());
      GenericKubernetesResource stub = new GenericKubernetesResource();
      stub.setApiVersion(obj.getApiVersion());
      stub.setKind(kind.getKind());
      stub.setMetadata(meta);
      return stub;
    }
  }
}
