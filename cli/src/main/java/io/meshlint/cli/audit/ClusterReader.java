package io.meshlint.cli.audit;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.source.SourceFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads from a live cluster every kind that meshlint's rules read, and turns each object into an
 * in-memory source named after where it lives ({@code cluster:networking.istio.io/v1/VirtualService/dev/vs}),
 * whose text is the object's YAML as {@code kubectl get -o yaml} shows it (see {@link ObjectYaml}).
 *
 * <p>Objects in the namespaces audited are reported; objects elsewhere (Gateways in
 * istio-system, Services of other namespaces, ...) are read as context, so that references across
 * namespaces resolve. Secrets are read only when asked for, and then without their private data.
 */
public final class ClusterReader {
  /** Names the source of objects read from the cluster. */
  public static final String PREFIX = "cluster:";
  private static final int PAGE = 500;
  private static final String ISTIO_SYSTEM = "istio-system";
  private static final String MESH_CONFIG_MAP = "istio";

  /** A kind to read: its API group, its kind, and whether objects outside the audited namespaces are context. */
  record Wanted(String group, String kind, boolean clusterWideContext) {}

  /** Kinds from Kubernetes' built-in groups, at the version every supported Kubernetes serves. */
  private static final List<ResourceDefinitionContext> BUILT_IN = List.of(
      builtIn("", "v1", "Namespace", "namespaces", false),
      builtIn("", "v1", "Service", "services", true),
      builtIn("", "v1", "Pod", "pods", true),
      builtIn("", "v1", "ConfigMap", "configmaps", true),
      builtIn("apps", "v1", "Deployment", "deployments", true),
      builtIn("apps", "v1", "StatefulSet", "statefulsets", true),
      builtIn("apps", "v1", "DaemonSet", "daemonsets", true),
      builtIn("apps", "v1", "ReplicaSet", "replicasets", true),
      builtIn("batch", "v1", "Job", "jobs", true),
      builtIn("batch", "v1", "CronJob", "cronjobs", true),
      builtIn("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
      builtIn("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false),
      builtIn("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false));

  private static final ResourceDefinitionContext SECRETS = builtIn("", "v1", "Secret", "secrets", true);

  /** Kinds served by CRDs, which a cluster may lack: found by discovery at the group's preferred version. */
  private static final Map<String, List<String>> CUSTOM = new LinkedHashMap<>();

  static {
    CUSTOM.put(Kinds.NETWORKING, List.of(Kinds.VIRTUAL_SERVICE, Kinds.DESTINATION_RULE, Kinds.GATEWAY, Kinds.SERVICE_ENTRY,
        Kinds.SIDECAR, Kinds.WORKLOAD_ENTRY, Kinds.WORKLOAD_GROUP, Kinds.ENVOY_FILTER, Kinds.PROXY_CONFIG));
    CUSTOM.put(Kinds.SECURITY, List.of(Kinds.AUTHORIZATION_POLICY, Kinds.PEER_AUTHENTICATION, Kinds.REQUEST_AUTHENTICATION));
    CUSTOM.put(Kinds.TELEMETRY_GROUP, List.of(Kinds.TELEMETRY));
    CUSTOM.put(Kinds.GATEWAY_API, List.of("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute",
        "UDPRoute", "ReferenceGrant", "BackendTLSPolicy"));
  }

  /** The versions each group has served, newest first: tried when the server does not list its API groups. */
  private static final Map<String, List<String>> KNOWN_VERSIONS = Map.of(
      Kinds.NETWORKING, List.of("v1", "v1beta1", "v1alpha3"),
      Kinds.SECURITY, List.of("v1", "v1beta1"),
      Kinds.TELEMETRY_GROUP, List.of("v1", "v1alpha1"),
      Kinds.GATEWAY_API, List.of("v1", "v1beta1", "v1alpha2"));

  /** Groups whose CustomResourceDefinitions the rules look at; other CRDs are not read into the run. */
  private static boolean relevantCrdGroup(String group) {
    return group.endsWith("istio.io") || group.endsWith("gateway.networking.k8s.io")
        || group.endsWith("gateway.networking.x-k8s.io");
  }

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
    List<ResourceDefinitionContext> kinds = new ArrayList<>(BUILT_IN);
    if (includeSecrets) {
      kinds.add(SECRETS);
    }
    kinds.addAll(discover());
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

  /** The Istio, Gateway API kinds this cluster serves, at the preferred version of their group; absent kinds are noted. */
  private List<ResourceDefinitionContext> discover() {
    APIGroupList groups = client.getApiGroups();
    Map<String, APIGroup> byName = new HashMap<>();
    if (groups != null && groups.getGroups() != null) {
      groups.getGroups().forEach(g -> byName.put(g.getName(), g));
    }
    List<ResourceDefinitionContext> found = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : CUSTOM.entrySet()) {
      String group = e.getKey();
      Map<String, ResourceDefinitionContext> served = servedKinds(group, byName.get(group), byName.isEmpty());
      List<String> missing = new ArrayList<>();
      for (String kind : e.getValue()) {
        ResourceDefinitionContext ctx = served.get(kind);
        if (ctx == null) {
          missing.add(kind);
        } else {
          found.add(ctx);
        }
      }
      if (!missing.isEmpty()) {
        note("not served by this cluster (CRD not installed), skipped: " + group + " " + String.join(", ", missing));
      }
    }
    return found;
  }

  /**
   * The kinds a group serves, each at the first version that serves it, the group's preferred version
   * first. When the server lists no API groups at all (some proxies and test servers do not answer
   * {@code /apis}), the versions the group has ever had are tried, newest first.
   */
  private Map<String, ResourceDefinitionContext> servedKinds(String group, APIGroup apiGroup, boolean noGroupList) {
    List<String> versions = new ArrayList<>();
    if (apiGroup == null && noGroupList) {
      versions.addAll(KNOWN_VERSIONS.getOrDefault(group, List.of()));
    }
    if (apiGroup != null) {
      if (apiGroup.getPreferredVersion() != null) {
        versions.add(apiGroup.getPreferredVersion().getVersion());
      }
      for (GroupVersionForDiscovery v : apiGroup.getVersions()) {
        if (!versions.contains(v.getVersion())) {
          versions.add(v.getVersion());
        }
      }
    }
    Map<String, ResourceDefinitionContext> out = new HashMap<>();
    for (String version : versions) {
      APIResourceList list;
      try {
        list = client.getApiResources(group + "/" + version);
      } catch (KubernetesClientException e) {
        continue;
      }
      if (list == null || list.getResources() == null) {
        continue;
      }
      for (APIResource r : list.getResources()) {
        if (r.getName().contains("/")) {
          continue; // a subresource such as virtualservices/status
        }
        out.putIfAbsent(r.getKind(), new ResourceDefinitionContext.Builder()
            .withGroup(group).withVersion(version).withKind(r.getKind()).withPlural(r.getName())
            .withNamespaced(Boolean.TRUE.equals(r.getNamespaced())).build());
      }
    }
    return out;
  }

  private List<ClusterObject> readKind(ResourceDefinitionContext kind) {
    boolean namespacedKind = kind.isNamespaceScoped();
    boolean configMaps = "ConfigMap".equals(kind.getKind()) && kind.getGroup().isEmpty();
    List<GenericKubernetesResource> items;
    try {
      if (!namespacedKind || namespaces == null) {
        items = list(kind, null);
      } else if (configMaps || "Secret".equals(kind.getKind())) {
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
    ResourceDefinitionContext kind = BUILT_IN.get(3);
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

  /** The object as a source; null for an object the rules never look at (a CRD of another project). */
  private ClusterObject toObject(ResourceDefinitionContext kind, GenericKubernetesResource item) {
    String apiVersion = kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion();
    item.setApiVersion(apiVersion);
    item.setKind(kind.getKind());
    if ("CustomResourceDefinition".equals(kind.getKind())) {
      Object spec = item.getAdditionalProperties().get("spec");
      Object group = spec instanceof Map<?, ?> m ? m.get("group") : null;
      if (!(group instanceof String g) || !relevantCrdGroup(g)) {
        return null;
      }
    }
    String namespace = kind.isNamespaceScoped() ? item.getMetadata().getNamespace() : null;
    String name = item.getMetadata().getName();
    if ("Secret".equals(kind.getKind()) && kind.getGroup().isEmpty()) {
      ObjectYaml.redactSecret(item);
    }
    String display = PREFIX + apiVersion + "/" + kind.getKind() + "/" + (namespace == null ? "" : namespace + "/") + name;
    SourceFile source = SourceFile.ofText(display, ObjectYaml.of(item));
    boolean reported = isReported(kind, namespace, name);
    return new ClusterObject(kind.getGroup(), kind.getKind(), namespace, name, source, reported);
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
    return (kind.getGroup().isEmpty() ? "" : kind.getGroup() + "/") + kind.getKind();
  }

  static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getCode() > 0 ? "HTTP " + e.getCode() : String.valueOf(e.getMessage());
  }

  private static ResourceDefinitionContext builtIn(String group, String version, String kind, String plural,
      boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(namespaced).build();
  }
}
