package io.meshlint.cli.audit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.meshlint.cluster.ClusterKinds;
import io.meshlint.cluster.ClusterObjects;
import io.meshlint.core.source.SourceFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads from a live cluster every kind that meshlint's rules read ({@link ClusterKinds}), and turns each
 * object into an in-memory source named after where it lives ({@link ClusterObjects}).
 *
 * <p>Objects in the namespaces audited are reported; objects elsewhere (Gateways in
 * istio-system, Services of other namespaces, ...) are read as context, so that references across
 * namespaces resolve. Secrets are read only when asked for, and then without their private data.
 */
public final class ClusterReader {
  /** Names the source of objects read from the cluster. */
  public static final String PREFIX = ClusterObjects.PREFIX;
  private static final int PAGE = 500;
  private static final String ISTIO_SYSTEM = "istio-system";
  private static final String MESH_CONFIG_MAP = "istio";

  /** What was read: one source per object, reported or context. */
  public record Result(List<ClusterObject> objects, List<String> notes) {}

  /** One object read from the cluster; {@code namespace} is null for cluster-scoped kinds. */
  public record ClusterObject(String group, String kind, String namespace, String name, SourceFile source,
      boolean reported) {}

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final boolean includeSecrets;
  private final Progress progress;
  private final PrintStream err;
  private final List<String> notes = new ArrayList<>();

  /**
   * @param namespaces the namespaces audited, or null for all
   */
  public ClusterReader(KubernetesClient client, Set<String> namespaces, boolean includeSecrets, Progress progress,
      PrintStream err) {
    this.client = client;
    this.namespaces = namespaces;
    this.includeSecrets = includeSecrets;
    this.progress = progress;
    this.err = err;
  }

  /**
   * Reads the cluster.
   *
   * @throws KubernetesClientException when the API server cannot be reached or refuses the first
   *     request (the caller turns it into exit status 2)
   */
  public Result read() {
    List<ResourceDefinitionContext> kinds = ClusterKinds.toRead(client, includeSecrets, this::note);
    List<ClusterObject> objects = new ArrayList<>();
    progress.start(kinds.size());
    for (ResourceDefinitionContext kind : kinds) {
      progress.kind(kind.getKind());
      objects.addAll(readKind(kind));
      progress.advance(objects.size());
    }
    progress.done();
    if (namespaces != null) {
      Set<String> existing = new java.util.HashSet<>();
      boolean sawNamespaces = false;
      for (ClusterObject o : objects) {
        if ("Namespace".equals(o.kind()) && o.group().isEmpty()) {
          existing.add(o.name());
          sawNamespaces = true;
        }
      }
      for (String ns : namespaces) {
        if (sawNamespaces && !existing.contains(ns)) {
          note("namespace " + ns + " does not exist in this cluster");
        }
      }
    }
    if (namespaces != null && !namespaces.contains(ISTIO_SYSTEM)) {
      meshConfigMap().ifPresent(objects::add); // ConfigMaps were read in the audited namespaces only
    }
    return new Result(objects, List.copyOf(notes));
  }

  private List<ClusterObject> readKind(ResourceDefinitionContext kind) {
    boolean namespacedKind = kind.isNamespaceScoped();
    boolean configMaps = ClusterKinds.isConfigMap(kind);
    List<GenericKubernetesResource> items;
    try {
      if (!namespacedKind || namespaces == null) {
        items = list(kind, null);
      } else if (configMaps || ClusterKinds.isSecret(kind)) {
        // Only the audited namespaces: the mesh config comes from istio-system on its own.
        items = listEach(kind);
      } else {
        items = listEverywhereOrEach(kind);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 401 || e.getCode() == 404) {
        note("cannot list " + describe(kind) + " (" + reason(e) + "): skipped");
        return List.of();
      }
      throw e;
    }
    List<ClusterObject> out = new ArrayList<>();
    for (GenericKubernetesResource item : items) {
      ClusterObject object = toObject(kind, item);
      if (object != null) {
        out.add(object);
      }
    }
    return out;
  }

  /** Every namespace, as context for references across namespaces; the audited namespaces alone when that is forbidden. */
  private List<GenericKubernetesResource> listEverywhereOrEach(ResourceDefinitionContext kind) {
    try {
      return list(kind, null);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      note("cannot list " + describe(kind) + " in all namespaces (" + reason(e)
          + "): references to other namespaces are not resolved");
      return listEach(kind);
    }
  }

  private List<GenericKubernetesResource> listEach(ResourceDefinitionContext kind) {
    List<GenericKubernetesResource> all = new ArrayList<>();
    for (String ns : namespaces) {
      all.addAll(list(kind, ns));
    }
    return all;
  }

  /** Lists a kind page by page; {@code namespace} null lists cluster-scoped kinds or every namespace. */
  private List<GenericKubernetesResource> list(ResourceDefinitionContext kind, String namespace) {
    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
        client.genericKubernetesResources(kind);
    List<GenericKubernetesResource> all = new ArrayList<>();
    String continueToken = null;
    do {
      ListOptions options = new ListOptionsBuilder().withLimit((long) PAGE).withContinue(continueToken).build();
      GenericKubernetesResourceList page;
      if (!kind.isNamespaceScoped()) {
        page = op.list(options);
      } else if (namespace == null) {
        page = op.inAnyNamespace().list(options);
      } else {
        page = op.inNamespace(namespace).list(options);
      }
      if (page.getItems() != null) {
        all.addAll(page.getItems());
      }
      continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      progress.advance(-1);
    } while (continueToken != null && !continueToken.isEmpty());
    return all;
  }

  private java.util.Optional<ClusterObject> meshConfigMap() {
    ResourceDefinitionContext kind = ClusterKinds.CONFIG_MAPS;
    try {
      GenericKubernetesResource cm = client.genericKubernetesResources(kind).inNamespace(ISTIO_SYSTEM)
          .withName(MESH_CONFIG_MAP).get();
      if (cm == null) {
        note("no ConfigMap istio-system/istio: Istio's default mesh config is assumed");
        return java.util.Optional.empty();
      }
      return java.util.Optional.ofNullable(toObject(kind, cm));
    } catch (KubernetesClientException e) {
      note("cannot read the ConfigMap istio-system/istio (" + reason(e) + "): Istio's default mesh config is assumed");
      return java.util.Optional.empty();
    }
  }

  /** The object as a source, reported or context; null for an object the rules never look at. */
  private ClusterObject toObject(ResourceDefinitionContext kind, GenericKubernetesResource item) {
    ClusterObjects.ClusterObject o = ClusterObjects.toObject(kind, item);
    if (o == null) {
      return null;
    }
    return new ClusterObject(o.group(), o.kind(), o.namespace(), o.name(), o.source(),
        isReported(kind, o.namespace(), o.name()));
  }

  /** In the audited namespaces: the Namespace objects named, and cluster-scoped kinds only with --all-namespaces. */
  private boolean isReported(ResourceDefinitionContext kind, String namespace, String name) {
    if (namespaces == null) {
      return true;
    }
    if (namespace != null) {
      return namespaces.contains(namespace);
    }
    return "Namespace".equals(kind.getKind()) && kind.getGroup().isEmpty() && namespaces.contains(name);
  }

  private void note(String message) {
    notes.add(message);
    progress.clear();
    err.println("meshlint: note: " + message);
  }

  private static String describe(ResourceDefinitionContext kind) {
    return ClusterKinds.describe(kind);
  }

  static String reason(KubernetesClientException e) {
    return ClusterKinds.reason(e);
  }
}
