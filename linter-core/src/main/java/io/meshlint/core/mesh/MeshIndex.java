package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mesh as the inputs describe it, indexed once per run so that every cross-resource question a
 * rule asks is a map lookup: resources by kind and name, hosts by name, VirtualServices by the
 * Gateway they bind, workloads by label. Building it is linear in the number of resources.
 * Rules read it through a {@link MeshView} limited to the kinds they declare.
 */
public final class MeshIndex {
  final MeshConfig meshConfig;
  final Settings settings;
  final List<Resource> all;
  final Map<String, List<Resource>> byKind = new HashMap<>();
  final Map<ResourceKey, Resource> byKey = new HashMap<>();
  final Map<String, Resource> serviceByFqdn = new HashMap<>();
  final Map<String, List<Resource>> serviceEntriesByHost = new HashMap<>();
  /** ServiceEntries with wildcard hosts, keyed by the suffix after the {@code *} ("" for {@code *}). */
  final Map<String, List<Resource>> serviceEntriesByWildcard = new HashMap<>();
  final Map<String, List<Resource>> virtualServicesByGateway = new HashMap<>();
  /** Gateways by selector and server port ({@code selector|port}), then by server host. */
  final Map<String, HostIndex<Resource>> gatewaysBySelectorPort = new HashMap<>();
  final List<Workload> workloads = new ArrayList<>();
  final Map<String, List<Workload>> workloadsByNamespace = new HashMap<>();
  final Map<String, List<Workload>> workloadsByLabel = new HashMap<>();
  /** Namespaced resources by {@code kind/namespace}. */
  final Map<String, List<Resource>> byKindAndNamespace = new HashMap<>();
  /** Gateways by the certificate their servers use, as {@link #certificateKey} writes it. */
  final Map<String, List<Resource>> gatewaysByCertificate = new HashMap<>();
  /** EnvoyFilters by the {@link #envoyFilterPatchName} of each patch that sets {@code match.proxy.proxyVersion}. */
  final Map<String, List<Resource>> envoyFiltersByVersionedPatchName = new HashMap<>();
  /** Services with a selector, keyed by {@code namespace/k=v} for the first label of the selector in key order. */
  final Map<String, List<Resource>> servicesBySelectorLabel = new HashMap<>();
  /** VirtualServices bound to the mesh gateway by the hosts they define, short names made FQDNs as Istio does. */
  final Map<String, List<Resource>> meshVirtualServicesByHost = new HashMap<>();
  /** VirtualServices that route one of their own hosts (as written) to a subset, by that host. */
  final Map<String, List<Resource>> subsetVirtualServicesByHost = new HashMap<>();
  /** DestinationRules by their host, short names made FQDNs in the rule's namespace as Istio does. */
  final HostIndex<Resource> destinationRulesByHost = new HostIndex<>();
  /** VirtualServices bound to a Gateway other than mesh, by {@code gatewayKey|host} (host as {@link Hosts#toFqdn}). */
  final Map<String, List<Resource>> gatewayVirtualServicesByHost = new HashMap<>();
  /** Workloads by {@code namespace/serviceAccount}, the account Kubernetes gives them ({@code default} when unset). */
  final Map<String, List<Workload>> workloadsByServiceAccount = new HashMap<>();
  /** Each Pod's or controller's workload, by the resource itself (a name may be defined twice). */
  final Map<Resource, Workload> workloadByOwner = new java.util.IdentityHashMap<>();
  /** Namespaces that some input resource lives in. */
  final Set<String> namespacesInUse = new java.util.HashSet<>();
  /** WorkloadEntries by {@code namespace/k=v} for each of their labels. */
  final Map<String, List<Resource>> workloadEntriesByLabel = new HashMap<>();
  final InjectionWebhooks injectionWebhooks;
  /** Sidecar injector ConfigMaps by name, whatever their namespace, as Istio's analyzers look them up. */
  final Map<String, InjectorValues> injectorValuesByName = new HashMap<>();

  public MeshIndex(List<Resource> resources, MeshConfig meshConfig, Settings settings) {
    this.all = resources;
    this.meshConfig = meshConfig;
    this.settings = settings;
    for (Resource r : resources) {
      String kind = r.kindKey();
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
      byKey.putIfAbsent(new ResourceKey(kind, r.namespace(), r.name()), r);
      if (r.namespace() != null) {
        namespacesInUse.add(r.namespace());
        byKindAndNamespace.computeIfAbsent(kind + "/" + r.namespace(), k -> new ArrayList<>()).add(r);
      }
      switch (kind) {
        case Kinds.SERVICE -> indexService(r);
        case Kinds.SERVICE_ENTRY -> indexServiceEntry(r);
        case Kinds.VIRTUAL_SERVICE -> indexVirtualService(r);
        case Kinds.GATEWAY -> indexGateway(r);
        case Kinds.ENVOY_FILTER -> indexEnvoyFilter(r);
        case Kinds.DESTINATION_RULE -> indexDestinationRule(r);
        case Kinds.WORKLOAD_ENTRY -> workloadEntryLabels(r).forEach((k, v) -> workloadEntriesByLabel.computeIfAbsent(
            r.namespace() + "/" + k + "=" + v, key -> new ArrayList<>()).add(r));
        case Kinds.CONFIG_MAP -> indexInjectorConfigMap(r);
        default -> addWorkload(r);
      }
    }
    injectionWebhooks = new InjectionWebhooks(byKind.getOrDefault(InjectionWebhooks.KIND, List.of()));
  }

  private void indexInjectorConfigMap(Resource r) {
    if (r.name().startsWith(InjectorValues.CONFIG_MAP_PREFIX) && !injectorValuesByName.containsKey(r.name())) {
      injectorValuesByName.put(r.name(), InjectorValues.of(r));
    }
  }

  public MeshConfig meshConfig() {
    return meshConfig;
  }

  public Settings settings() {
    return settings;
  }

  public List<Resource> all() {
    return all;
  }

  /** A view that may read every kind, for tools that show the whole mesh rather than rules. */
  public MeshView view() {
    return new MeshView(this, null);
  }

  /** A view for a rule that may read only {@code kinds}. */
  public MeshView view(Set<String> kinds) {
    return new MeshView(this, kinds);
  }

  /** A WorkloadEntry's labels, which ServiceEntries select: {@code spec.labels}, not the object's metadata. */
  public static Map<String, String> workloadEntryLabels(Resource workloadEntry) {
    return Resource.stringMap(workloadEntry.tree().path("spec").path("labels"));
  }

  /** {@code k1=v1,k2=v2} in key order, as Istio prints selectors. */
  public static String selectorKey(JsonNode selector) {
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
    selector.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder sb = new StringBuilder();
    sorted.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  /**
   * The name Istio's analyzer gives an EnvoyFilter patch to relate patches of different filters:
   * the {@code name} in the patch value, else (when the value has none) the filter chain filter the
   * patch matches; "" when the patch has no value.
   */
  public static String envoyFilterPatchName(JsonNode configPatch) {
    JsonNode value = configPatch.path("patch").path("value");
    if (!value.isObject() || value.isEmpty()) {
      return "";
    }
    if (value.has("name")) {
      return value.path("name").asText();
    }
    return configPatch.path("match").path("listener").path("filterChain").path("filter").path("name").asText("");
  }

  /**
   * What identifies a server's certificate: its {@code credentialName}, else its certificate and key
   * files; null when the server names neither.
   */
  public static String certificateKey(JsonNode tls) {
    String credential = tls.path("credentialName").asText("");
    if (!credential.isEmpty()) {
      return "credential:" + credential;
    }
    String certificate = tls.path("serverCertificate").asText("");
    String key = tls.path("privateKey").asText("");
    return certificate.isEmpty() || key.isEmpty() ? null : "files:" + certificate + "|" + key;
  }

  private void indexGateway(Resource r) {
    JsonNode selectorNode = r.tree().path("spec").path("selector");
    String selector = selectorKey(selectorNode);
    for (JsonNode server : r.tree().path("spec").path("servers")) {
      String certificate = certificateKey(server.path("tls"));
      if (certificate != null) {
        List<Resource> sharing = gatewaysByCertificate.computeIfAbsent(certificate, k -> new ArrayList<>());
        if (sharing.isEmpty() || sharing.get(sharing.size() - 1) != r) {
          sharing.add(r);
        }
      }
      HostIndex<Resource> hosts = gatewaysBySelectorPort.computeIfAbsent(
          selector + "|" + server.path("port").path("number").asText(), k -> new HostIndex<>());
      for (JsonNode host : server.path("hosts")) {
        hosts.add(GatewayHost.parse(host.asText()).host(), r);
      }
    }
  }

  private void indexEnvoyFilter(Resource r) {
    for (JsonNode patch : r.tree().path("spec").path("configPatches")) {
      if (!patch.path("match").path("proxy").path("proxyVersion").asText("").isEmpty()) {
        List<Resource> filters = envoyFiltersByVersionedPatchName.computeIfAbsent(envoyFilterPatchName(patch),
            k -> new ArrayList<>());
        if (!filters.contains(r)) {
          filters.add(r);
        }
      }
    }
  }

  private void indexServiceEntry(Resource r) {
    for (JsonNode host : r.tree().path("spec").path("hosts")) {
      String h = host.asText();
      if (Hosts.isWildcard(h)) {
        serviceEntriesByWildcard.computeIfAbsent(h.substring(1), k -> new ArrayList<>()).add(r);
      } else {
        serviceEntriesByHost.computeIfAbsent(h, k -> new ArrayList<>()).add(r);
      }
    }
  }

  private void indexService(Resource r) {
    serviceByFqdn.putIfAbsent(r.name() + "." + r.namespace() + ".svc." + settings.clusterDomain(), r);
    JsonNode selector = r.tree().path("spec").path("selector");
    if (selector.isObject() && !selector.isEmpty()) {
      String first = selectorKey(selector).split(",", 2)[0];
      servicesBySelectorLabel.computeIfAbsent(r.namespace() + "/" + first, k -> new ArrayList<>()).add(r);
    }
  }

  private void indexVirtualService(Resource r) {
    JsonNode gateways = r.tree().path("spec").path("gateways");
    boolean mesh = !gateways.isArray() || gateways.isEmpty();
    if (mesh) {
      virtualServicesByGateway.computeIfAbsent(GatewayRef.MESH, k -> new ArrayList<>()).add(r);
    } else {
      for (JsonNode g : gateways) {
        GatewayRef ref = GatewayRef.parse(g.asText(), r.namespace());
        virtualServicesByGateway.computeIfAbsent(ref.key(), k -> new ArrayList<>()).add(r);
        mesh |= ref.isMesh();
      }
    }
    indexSubsetRoutes(r);
    indexGatewayHosts(r);
    if (mesh) {
      for (JsonNode host : r.tree().path("spec").path("hosts")) {
        String fqdn = Hosts.toFqdn(host.asText(), r.namespace(), settings.clusterDomain());
        List<Resource> list = meshVirtualServicesByHost.computeIfAbsent(fqdn, k -> new ArrayList<>());
        if (!list.contains(r)) {
          list.add(r);
        }
      }
    }
  }

  private void indexDestinationRule(Resource r) {
    String host = r.tree().path("spec").path("host").asText();
    if (!host.isEmpty()) {
      destinationRulesByHost.add(Hosts.toFqdn(host, r.namespace(), settings.clusterDomain()), r);
    }
  }

  private void indexGatewayHosts(Resource r) {
    Set<String> gateways = new java.util.LinkedHashSet<>();
    for (JsonNode g : r.tree().path("spec").path("gateways")) {
      GatewayRef ref = GatewayRef.parse(g.asText(), r.namespace());
      if (!ref.isMesh()) {
        gateways.add(ref.key());
      }
    }
    for (String gateway : gateways) {
      for (JsonNode host : r.tree().path("spec").path("hosts")) {
        String key = gateway + "|" + Hosts.toFqdn(host.asText(), r.namespace(), settings.clusterDomain());
        List<Resource> list = gatewayVirtualServicesByHost.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.contains(r)) {
          list.add(r);
        }
      }
    }
  }

  private void indexSubsetRoutes(Resource r) {
    Set<String> hosts = new java.util.HashSet<>();
    r.tree().path("spec").path("hosts").forEach(h -> hosts.add(h.asText()));
    for (JsonNode http : r.tree().path("spec").path("http")) {
      for (JsonNode route : http.path("route")) {
        JsonNode destination = route.path("destination");
        String host = destination.path("host").asText();
        if (!destination.path("subset").asText().isEmpty() && hosts.contains(host)) {
          List<Resource> list = subsetVirtualServicesByHost.computeIfAbsent(host, k -> new ArrayList<>());
          if (!list.contains(r)) {
            list.add(r);
          }
        }
      }
    }
  }

  private void addWorkload(Resource r) {
    if (!r.hasModel()) {
      return;
    }
    Workload w;
    if (r.kind().equals(Kinds.POD)) {
      JsonNode spec = r.tree().path("spec");
      if (!spec.isObject()) {
        return;
      }
      w = new Workload(r, r.labels(), r.annotations(), spec, FieldPath.of("spec"));
    } else {
      FieldPath templatePath = Kinds.podTemplatePath(r.kind());
      if (templatePath == null) {
        return;
      }
      JsonNode template = templatePath.in(r.tree());
      if (!template.isObject()) {
        return;
      }
      JsonNode metadata = template.path("metadata");
      w = new Workload(r, Resource.stringMap(metadata.path("labels")), Resource.stringMap(metadata.path("annotations")),
          template.path("spec"), templatePath.key("spec"));
    }
    workloads.add(w);
    workloadsByNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
    for (Map.Entry<String, String> label : w.labels().entrySet()) {
      workloadsByLabel.computeIfAbsent(label.getKey() + "=" + label.getValue(), k -> new ArrayList<>()).add(w);
    }
    workloadByOwner.put(r, w);
    workloadsByServiceAccount.computeIfAbsent(w.namespace() + "/" + w.serviceAccount(), k -> new ArrayList<>()).add(w);
  }



}
