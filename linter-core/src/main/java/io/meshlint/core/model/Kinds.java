package io.meshlint.core.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kinds meshlint understands, keyed by API group and kind, with the names of their typed fabric8
 * classes (names, not class literals, so that a run loads only the model classes it binds).
 */
public final class Kinds {
  public static final String VIRTUAL_SERVICE = "VirtualService";
  public static final String DESTINATION_RULE = "DestinationRule";
  public static final String GATEWAY = "Gateway";
  public static final String SERVICE_ENTRY = "ServiceEntry";
  public static final String SIDECAR = "Sidecar";
  public static final String WORKLOAD_ENTRY = "WorkloadEntry";
  public static final String WORKLOAD_GROUP = "WorkloadGroup";
  public static final String ENVOY_FILTER = "EnvoyFilter";
  public static final String PROXY_CONFIG = "ProxyConfig";
  public static final String AUTHORIZATION_POLICY = "AuthorizationPolicy";
  public static final String PEER_AUTHENTICATION = "PeerAuthentication";
  public static final String REQUEST_AUTHENTICATION = "RequestAuthentication";
  public static final String TELEMETRY = "Telemetry";
  /** A rule subject meaning every resource, whatever its kind (known, unknown or outside Istio and Kubernetes). */
  public static final String ANY = "*";
  public static final String WASM_PLUGIN = "WasmPlugin";
  public static final String NAMESPACE = "Namespace";
  public static final String SERVICE = "Service";
  public static final String POD = "Pod";
  public static final String DEPLOYMENT = "Deployment";
  public static final String STATEFUL_SET = "StatefulSet";
  public static final String DAEMON_SET = "DaemonSet";
  public static final String REPLICA_SET = "ReplicaSet";
  public static final String JOB = "Job";
  public static final String CRON_JOB = "CronJob";
  public static final String CONFIG_MAP = "ConfigMap";
  public static final String SECRET = "Secret";
  /** Istio's mesh networks, read from {@code --mesh-networks} or the {@code istio} ConfigMap (see MeshNetworks). */
  public static final String MESH_NETWORKS = "MeshNetworks";

  public static final String NETWORKING = "networking.istio.io";
  public static final String SECURITY = "security.istio.io";
  public static final String TELEMETRY_GROUP = "telemetry.istio.io";
  public static final String MESH_GROUP = "mesh.istio.io";
  public static final String EXTENSIONS = "extensions.istio.io";

  /** Kinds that own a pod template, and so count as workloads. */
  public static final Set<String> WORKLOAD_CONTROLLERS =
      Set.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET, JOB, CRON_JOB);

  /** Cluster-scoped kinds that meshlint does not bind but must not give a namespace. */
  private static final Set<String> CLUSTER_SCOPED_UNBOUND = Set.of(
      "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration", "Node", "PersistentVolume", "StorageClass", "PriorityClass",
      "IngressClass", "GatewayClass", "APIService", "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding", "RuntimeClass", "CSIDriver", "VolumeSnapshotClass");

  private static final Map<String, KindInfo> BY_GROUP_KIND = new HashMap<>();
  private static final Map<String, Set<String>> ISTIO_KINDS_BY_GROUP = new HashMap<>();

  static {
    String[] networkingAll = {"v1alpha3", "v1beta1", "v1"};
    for (String kind : List.of(VIRTUAL_SERVICE, DESTINATION_RULE, GATEWAY, SERVICE_ENTRY, SIDECAR, WORKLOAD_ENTRY,
        WORKLOAD_GROUP)) {
      istio(NETWORKING, "networking", kind, networkingAll);
    }
    istio(NETWORKING, "networking", ENVOY_FILTER, new String[] {"v1alpha3"});
    istio(NETWORKING, "networking", PROXY_CONFIG, new String[] {"v1beta1"});
    for (String kind : List.of(AUTHORIZATION_POLICY, PEER_AUTHENTICATION, REQUEST_AUTHENTICATION)) {
      istio(SECURITY, "security", kind, new String[] {"v1beta1", "v1"});
    }
    istio(TELEMETRY_GROUP, "telemetry", TELEMETRY, new String[] {"v1alpha1", "v1"});
    istio(EXTENSIONS, "extensions", WASM_PLUGIN, new String[] {"v1alpha1"});

    String core = "io.fabric8.kubernetes.api.model.";
    core("", NAMESPACE, false, core + "Namespace");
    core("", SERVICE, true, core + "Service");
    core("", POD, true, core + "Pod");
    core("", CONFIG_MAP, true, core + "ConfigMap");
    core("", SECRET, true, core + "Secret");
    for (String kind : List.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET)) {
      core("apps", kind, true, core + "apps." + kind);
    }
    core("batch", JOB, true, core + "batch.v1.Job");
    core("batch", CRON_JOB, true, core + "batch.v1.CronJob");
  }

  private Kinds() {}

  /** Istio kinds live in fabric8's {@code io.fabric8.istio.api.<area>.<version>.<Kind>}. */
  private static void istio(String group, String area, String kind, String[] versions) {
    Map<String, String> byVersion = new LinkedHashMap<>();
    for (String version : versions) {
      byVersion.put(version, "io.fabric8.istio.api." + area + "." + version + "." + kind);
    }
    BY_GROUP_KIND.put(group + "/" + kind, new KindInfo(group, kind, true, byVersion));
    ISTIO_KINDS_BY_GROUP.computeIfAbsent(group, g -> new java.util.TreeSet<>()).add(kind);
  }

  private static void core(String group, String kind, boolean namespaced, String className) {
    BY_GROUP_KIND.put(group + "/" + kind, new KindInfo(group, kind, namespaced, Map.of("v1", className)));
  }

  /** Every kind meshlint binds. */
  public static java.util.Collection<KindInfo> all() {
    return BY_GROUP_KIND.values();
  }

  /** The kind registered for a group, or null. */
  public static KindInfo find(String group, String kind) {
    return BY_GROUP_KIND.get(group + "/" + kind);
  }

  /** Istio's API groups, whose every kind and version meshlint knows. */
  public static boolean isIstioGroup(String group) {
    return ISTIO_KINDS_BY_GROUP.containsKey(group);
  }

  public static Set<String> istioKinds(String group) {
    return ISTIO_KINDS_BY_GROUP.getOrDefault(group, Set.of());
  }

  public static boolean isNamespaced(String group, String kind) {
    KindInfo info = find(group, kind);
    if (info != null) {
      return info.namespaced();
    }
    return !CLUSTER_SCOPED_UNBOUND.contains(kind);
  }

  /** Groups whose kinds are indexed under their bare kind name: Kubernetes' core, apps and batch, and Istio's. */
  private static final Set<String> BARE_KIND_GROUPS = Set.of("", "apps", "batch", NETWORKING, SECURITY, TELEMETRY_GROUP,
      MESH_GROUP, EXTENSIONS);

  public static final String GATEWAY_API = "gateway.networking.k8s.io";

  /**
   * The name a kind is indexed and declared under: the bare kind for Kubernetes' and Istio's own
   * groups, {@code Kind.group} for the rest, so that the Gateway API's Gateway
   * ({@code Gateway.gateway.networking.k8s.io}) is not Istio's Gateway.
   */
  public static String keyOf(String group, String kind) {
    return BARE_KIND_GROUPS.contains(group) ? kind : kind + "." + group;
  }

  /** Splits {@code apiVersion} into group and version; the core group is "". */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public static String versionOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }
}
