package io.meshlint.cluster;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.meshlint.core.model.Kinds;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The kinds meshlint's rules read from a live cluster, for {@code meshlint audit} (one list of each)
 * and the webhook (one informer on each): Kubernetes' built-in kinds at the version every supported
 * Kubernetes serves, Secrets only when asked, and the Istio and Gateway API kinds this cluster
 * serves, found by discovery at their group's preferred version, as are the workload controllers
 * of add-ons (Argo Rollouts, Knative Services, OpenKruise, OpenShift DeploymentConfigs) whose pod
 * templates the rules count as workloads.
 */
public final class ClusterKinds {
  /** Kinds from Kubernetes' built-in groups. */
  public static final List<ResourceDefinitionContext> BUILT_IN = List.of(
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

  public static final ResourceDefinitionContext CONFIG_MAPS = BUILT_IN.get(3);
  /** Read only when asked (the gateway credential checks), and then redacted: see {@link ObjectYaml#redactSecret}. */
  public static final ResourceDefinitionContext SECRETS = builtIn("", "v1", "Secret", "secrets", true);

  /** Kinds served by CRDs, which a cluster may lack. */
  private static final Map<String, List<String>> CUSTOM = new LinkedHashMap<>();

  static {
    CUSTOM.put(Kinds.NETWORKING, List.of(Kinds.VIRTUAL_SERVICE, Kinds.DESTINATION_RULE, Kinds.GATEWAY, Kinds.SERVICE_ENTRY,
        Kinds.SIDECAR, Kinds.WORKLOAD_ENTRY, Kinds.WORKLOAD_GROUP, Kinds.ENVOY_FILTER, Kinds.PROXY_CONFIG));
    CUSTOM.put(Kinds.SECURITY, List.of(Kinds.AUTHORIZATION_POLICY, Kinds.PEER_AUTHENTICATION, Kinds.REQUEST_AUTHENTICATION));
    CUSTOM.put(Kinds.TELEMETRY_GROUP, List.of(Kinds.TELEMETRY));
    CUSTOM.put(Kinds.EXTENSIONS, List.of(Kinds.WASM_PLUGIN));
    CUSTOM.put(Kinds.GATEWAY_API, List.of("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute",
        "UDPRoute", "ReferenceGrant", "BackendTLSPolicy"));
  }

  /**
   * Workload controllers of add-ons, read when the cluster serves them: most clusters have none of
   * them, so their absence is not noted. Their pods are read anyway; the controller's template is
   * what rules read before any pod exists (a workload scaled to zero, a rollout not started).
   */
  private static final Map<String, List<String>> ADD_ON_WORKLOADS = new LinkedHashMap<>();

  static {
    ADD_ON_WORKLOADS.put("argoproj.io", List.of("Rollout"));
    ADD_ON_WORKLOADS.put("serving.knative.dev", List.of("Service"));
    ADD_ON_WORKLOADS.put("apps.kruise.io", List.of("CloneSet", "StatefulSet"));
    ADD_ON_WORKLOADS.put("apps.openshift.io", List.of("DeploymentConfig"));
  }

  /** The versions each group has served, newest first: tried when the server does not list its API groups. */
  private static final Map<String, List<String>> KNOWN_VERSIONS = Map.of(
      Kinds.NETWORKING, List.of("v1", "v1beta1", "v1alpha3"),
      Kinds.SECURITY, List.of("v1", "v1beta1"),
      Kinds.TELEMETRY_GROUP, List.of("v1", "v1alpha1"),
      Kinds.EXTENSIONS, List.of("v1alpha1"),
      Kinds.GATEWAY_API, List.of("v1", "v1beta1", "v1alpha2"),
      "argoproj.io", List.of("v1alpha1"),
      "serving.knative.dev", List.of("v1"),
      "apps.kruise.io", List.of("v1beta1", "v1alpha1"),
      "apps.openshift.io", List.of("v1"));

  private ClusterKinds() {}

  /** A client on the JDK HTTP client (no OkHttp, no Vert.x) for {@code config}. */
  public static KubernetesClient client(Config config) {
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  /**
   * Every kind to read from this cluster: the built-in ones, Secrets when {@code secrets}, and the
   * custom kinds discovery finds; a custom kind the cluster does not serve is passed to {@code note}.
   *
   * @throws KubernetesClientException when the API server cannot be reached
   */
  public static List<ResourceDefinitionContext> toRead(KubernetesClient client, boolean secrets, Consumer<String> note) {
    List<ResourceDefinitionContext> kinds = new ArrayList<>(BUILT_IN);
    if (secrets) {
      kinds.add(SECRETS);
    }
    kinds.addAll(discover(client, note));
    return kinds;
  }

  /**
   * The Istio, Gateway API and add-on workload kinds this cluster serves, at the preferred version of
   * their group; absent Istio and Gateway API kinds are noted.
   */
  public static List<ResourceDefinitionContext> discover(KubernetesClient client, Consumer<String> note) {
    APIGroupList groups = client.getApiGroups();
    Map<String, APIGroup> byName = new HashMap<>();
    if (groups != null && groups.getGroups() != null) {
      groups.getGroups().forEach(g -> byName.put(g.getName(), g));
    }
    List<ResourceDefinitionContext> found = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : CUSTOM.entrySet()) {
      String group = e.getKey();
      Map<String, ResourceDefinitionContext> served = servedKinds(client, group, byName.get(group), byName.isEmpty());
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
        note.accept("not served by this cluster (CRD not installed), skipped: " + group + " " + String.join(", ", missing));
      }
    }
    ADD_ON_WORKLOADS.forEach((group, kinds) -> {
      Map<String, ResourceDefinitionContext> served = servedKinds(client, group, byName.get(group), byName.isEmpty());
      kinds.stream().map(served::get).filter(java.util.Objects::nonNull).forEach(found::add);
    });
    return found;
  }

  /**
   * The kinds a group serves, each at the first version that serves it, the group's preferred version
   * first. When the server lists no API groups at all (some proxies and test servers do not answer
   * {@code /apis}), the versions the group has ever had are tried, newest first.
   */
  private static Map<String, ResourceDefinitionContext> servedKinds(KubernetesClient client, String group,
      APIGroup apiGroup, boolean noGroupList) {
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

  public static boolean isSecret(ResourceDefinitionContext kind) {
    return "Secret".equals(kind.getKind()) && kind.getGroup().isEmpty();
  }

  public static boolean isConfigMap(ResourceDefinitionContext kind) {
    return "ConfigMap".equals(kind.getKind()) && kind.getGroup().isEmpty();
  }

  public static boolean isNamespace(ResourceDefinitionContext kind) {
    return "Namespace".equals(kind.getKind()) && kind.getGroup().isEmpty();
  }

  /** {@code group/Kind}, or {@code Kind} for the core group. */
  public static String describe(ResourceDefinitionContext kind) {
    return (kind.getGroup().isEmpty() ? "" : kind.getGroup() + "/") + kind.getKind();
  }

  /** The API server's message for a refused request, else the HTTP status. */
  public static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getCode() > 0 ? "HTTP " + e.getCode() : String.valueOf(e.getMessage());
  }

  /** One line on why the API server at {@code masterUrl} could not be read: unreachable, credentials refused, or its answer. */
  public static String describeFailure(KubernetesClientException e, String masterUrl) {
    String where = "the Kubernetes API server at " + masterUrl;
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
      if (cause instanceof ConnectException || cause instanceof UnknownHostException
          || cause instanceof java.net.http.HttpConnectTimeoutException || cause instanceof java.nio.channels.ClosedChannelException) {
        String reason = cause instanceof ConnectException ? "connection refused"
            : cause instanceof UnknownHostException ? "unknown host" : "no connection";
        return "cannot reach " + where + ": " + reason
            + (cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
      }
    }
    if (e.getCode() == 401) {
      return "the credentials of the kubeconfig were refused by " + where + " (HTTP 401)";
    }
    if (e.getCode() > 0) {
      return "cannot read the cluster: " + where + " answered HTTP " + e.getCode() + ": " + e.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "cannot reach " + where + ": " + (root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
  }

  private static ResourceDefinitionContext builtIn(String group, String version, String kind, String plural,
      boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(namespaced).build();
  }
}
