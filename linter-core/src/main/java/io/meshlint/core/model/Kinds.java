package io.meshlint.core.model;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.Sidecar;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.WorkloadEntry;
import io.fabric8.istio.api.networking.v1.WorkloadGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The kinds meshlint understands, keyed by API group and kind, with their typed fabric8 classes. */
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

  public static final String NETWORKING = "networking.istio.io";
  public static final String SECURITY = "security.istio.io";
  public static final String TELEMETRY_GROUP = "telemetry.istio.io";

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
    istio(NETWORKING, VIRTUAL_SERVICE, networkingAll, io.fabric8.istio.api.networking.v1alpha3.VirtualService.class,
        io.fabric8.istio.api.networking.v1beta1.VirtualService.class, VirtualService.class);
    istio(NETWORKING, DESTINATION_RULE, networkingAll, io.fabric8.istio.api.networking.v1alpha3.DestinationRule.class,
        io.fabric8.istio.api.networking.v1beta1.DestinationRule.class, DestinationRule.class);
    istio(NETWORKING, GATEWAY, networkingAll, io.fabric8.istio.api.networking.v1alpha3.Gateway.class,
        io.fabric8.istio.api.networking.v1beta1.Gateway.class, Gateway.class);
    istio(NETWORKING, SERVICE_ENTRY, networkingAll, io.fabric8.istio.api.networking.v1alpha3.ServiceEntry.class,
        io.fabric8.istio.api.networking.v1beta1.ServiceEntry.class, ServiceEntry.class);
    istio(NETWORKING, SIDECAR, networkingAll, io.fabric8.istio.api.networking.v1alpha3.Sidecar.class,
        io.fabric8.istio.api.networking.v1beta1.Sidecar.class, Sidecar.class);
    istio(NETWORKING, WORKLOAD_ENTRY, networkingAll, io.fabric8.istio.api.networking.v1alpha3.WorkloadEntry.class,
        io.fabric8.istio.api.networking.v1beta1.WorkloadEntry.class, WorkloadEntry.class);
    istio(NETWORKING, WORKLOAD_GROUP, networkingAll, io.fabric8.istio.api.networking.v1alpha3.WorkloadGroup.class,
        io.fabric8.istio.api.networking.v1beta1.WorkloadGroup.class, WorkloadGroup.class);
    istio(NETWORKING, ENVOY_FILTER, new String[] {"v1alpha3"},
        io.fabric8.istio.api.networking.v1alpha3.EnvoyFilter.class);
    istio(NETWORKING, PROXY_CONFIG, new String[] {"v1beta1"},
        io.fabric8.istio.api.networking.v1beta1.ProxyConfig.class);
    String[] securityAll = {"v1beta1", "v1"};
    istio(SECURITY, AUTHORIZATION_POLICY, securityAll,
        io.fabric8.istio.api.security.v1beta1.AuthorizationPolicy.class,
        io.fabric8.istio.api.security.v1.AuthorizationPolicy.class);
    istio(SECURITY, PEER_AUTHENTICATION, securityAll,
        io.fabric8.istio.api.security.v1beta1.PeerAuthentication.class,
        io.fabric8.istio.api.security.v1.PeerAuthentication.class);
    istio(SECURITY, REQUEST_AUTHENTICATION, securityAll,
        io.fabric8.istio.api.security.v1beta1.RequestAuthentication.class,
        io.fabric8.istio.api.security.v1.RequestAuthentication.class);
    istio(TELEMETRY_GROUP, TELEMETRY, new String[] {"v1alpha1", "v1"},
        io.fabric8.istio.api.telemetry.v1alpha1.Telemetry.class, io.fabric8.istio.api.telemetry.v1.Telemetry.class);

    core("", NAMESPACE, false, "v1", Namespace.class);
    core("", SERVICE, true, "v1", Service.class);
    core("", POD, true, "v1", Pod.class);
    core("", CONFIG_MAP, true, "v1", ConfigMap.class);
    core("", SECRET, true, "v1", Secret.class);
    core("apps", DEPLOYMENT, true, "v1", Deployment.class);
    core("apps", STATEFUL_SET, true, "v1", StatefulSet.class);
    core("apps", DAEMON_SET, true, "v1", DaemonSet.class);
    core("apps", REPLICA_SET, true, "v1", ReplicaSet.class);
    core("batch", JOB, true, "v1", Job.class);
    core("batch", CRON_JOB, true, "v1", CronJob.class);
  }

  private Kinds() {}

  private static void istio(String group, String kind, String[] versions, Class<?>... classes) {
    Map<String, Class<?>> byVersion = new LinkedHashMap<>();
    for (int i = 0; i < versions.length; i++) {
      byVersion.put(versions[i], classes[i]);
    }
    BY_GROUP_KIND.put(group + "/" + kind, new KindInfo(group, kind, true, byVersion));
    ISTIO_KINDS_BY_GROUP.computeIfAbsent(group, g -> new java.util.TreeSet<>()).add(kind);
  }

  private static void core(String group, String kind, boolean namespaced, String version, Class<?> type) {
    BY_GROUP_KIND.put(group + "/" + kind, new KindInfo(group, kind, namespaced, Map.of(version, type)));
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
  private static final Set<String> BARE_KIND_GROUPS = Set.of("", "apps", "batch", NETWORKING, SECURITY, TELEMETRY_GROUP);

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
