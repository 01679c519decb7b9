package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one rule may read of the mesh: every lookup names the kinds it touches and fails when the
 * rule did not declare them. Declared reads are what lets the webhook re-run only the rules a changed
 * kind can affect, so they are enforced here rather than trusted.
 */
public final class MeshView {
  /** The kinds that carry pods: a rule that asks for workloads must declare them all. */
  public static final Set<String> WORKLOAD_KINDS = Set.of(Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET,
      Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB);

  private final MeshIndex index;
  /** The kinds this view may read; null for every kind. */
  private final Set<String> allowed;

  MeshView(MeshIndex index, Set<String> allowed) {
    this.index = index;
    this.allowed = allowed;
  }

  /** A rule read a kind it did not declare. */
  public static final class UndeclaredReadException extends IllegalStateException {
    UndeclaredReadException(String kind) {
      super("rule read kind " + kind + " without declaring it");
    }
  }

  private void require(String kind) {
    if (allowed != null && !allowed.contains(kind)) {
      throw new UndeclaredReadException(kind);
    }
  }

  private void require(Set<String> kinds) {
    for (String kind : kinds) {
      require(kind);
    }
  }

  public MeshConfig meshConfig() {
    return index.meshConfig;
  }

  public Settings settings() {
    return index.settings;
  }

  /** Resources of a kind, named as {@link Kinds#keyOf} names it. */
  public List<Resource> resources(String kind) {
    require(kind);
    return index.byKind.getOrDefault(kind, List.of());
  }

  public Resource get(String kind, String namespace, String name) {
    require(kind);
    return index.byKey.get(new ResourceKey(kind, namespace, name));
  }

  public Resource namespace(String name) {
    return get(Kinds.NAMESPACE, null, name);
  }

  public Resource gateway(GatewayRef ref) {
    return ref.isMesh() ? null : get(Kinds.GATEWAY, ref.namespace(), ref.name());
  }

  /**
   * Gateways with this selector (as {@link MeshIndex#selectorKey}) that have a server on this port
   * whose host intersects {@code host}.
   */
  public java.util.Set<Resource> gatewaysClaiming(String selectorKey, int port, String host) {
    require(Kinds.GATEWAY);
    HostIndex<Resource> hosts = index.gatewaysBySelectorPort.get(selectorKey + "|" + port);
    return hosts == null ? java.util.Set.of() : hosts.intersecting(host);
  }

  /** VirtualServices whose {@code gateways} name this Gateway (or, for {@code mesh}, that name none or mesh). */
  public List<Resource> virtualServicesBoundTo(GatewayRef gateway) {
    require(Kinds.VIRTUAL_SERVICE);
    return index.virtualServicesByGateway.getOrDefault(gateway.key(), List.of());
  }

  /**
   * The Service a host names from a namespace: a short name ({@code reviews}), {@code reviews.ns},
   * {@code reviews.ns.svc} or the full {@code reviews.ns.svc.cluster.local}; null when none.
   */
  public Resource service(String host, String fromNamespace) {
    require(Kinds.SERVICE);
    String fqdn = serviceFqdn(host, fromNamespace);
    if (fqdn == null) {
      return null;
    }
    Resource service = index.serviceByFqdn.get(fqdn);
    return service != null && exportedTo(exportToOfService(service), service.namespace(), fromNamespace) ? service : null;
  }

  /** The Service FQDN a host stands for, or null when it cannot name a Service. */
  public String serviceFqdn(String host, String fromNamespace) {
    String domain = ".svc." + index.settings.clusterDomain();
    if (Hosts.isWildcard(host)) {
      return null;
    }
    if (host.endsWith(domain)) {
      return host;
    }
    String[] parts = host.split("\\.", -1);
    return switch (parts.length) {
      case 1 -> host + "." + fromNamespace + domain;
      case 2 -> host + domain;
      case 3 -> parts[2].equals("svc") ? host + "." + index.settings.clusterDomain() : null;
      default -> null;
    };
  }

  /** ServiceEntries visible from a namespace that declare the host, exactly or by a wildcard. */
  public List<Resource> serviceEntriesFor(String host, String fromNamespace) {
    require(Kinds.SERVICE_ENTRY);
    List<Resource> out = new ArrayList<>();
    addVisible(index.serviceEntriesByHost.get(host), fromNamespace, out);
    String candidate = Hosts.isWildcard(host) ? host.substring(1) : host;
    for (int dot = candidate.indexOf('.'); dot >= 0; dot = candidate.indexOf('.', dot + 1)) {
      addVisible(index.serviceEntriesByWildcard.get(candidate.substring(dot)), fromNamespace, out);
    }
    addVisible(index.serviceEntriesByWildcard.get(""), fromNamespace, out);
    return out;
  }

  private void addVisible(List<Resource> entries, String fromNamespace, List<Resource> out) {
    if (entries == null) {
      return;
    }
    for (Resource se : entries) {
      if (exportedTo(stringList(se.tree().path("spec").path("exportTo")), se.namespace(), fromNamespace)
          && !out.contains(se)) {
        out.add(se);
      }
    }
  }

  /** True when a Service or a visible ServiceEntry provides the host for the namespace. */
  public boolean hostResolves(String host, String fromNamespace) {
    return service(host, fromNamespace) != null || !serviceEntriesFor(host, fromNamespace).isEmpty();
  }

  public List<Workload> workloads(String namespace) {
    require(WORKLOAD_KINDS);
    return index.workloadsByNamespace.getOrDefault(namespace, List.of());
  }

  /** Workloads whose labels match the selector, in one namespace or (namespace null) in all. */
  public List<Workload> workloadsMatching(String namespace, Map<String, String> selector) {
    require(WORKLOAD_KINDS);
    List<Workload> candidates;
    if (selector.isEmpty()) {
      candidates = namespace == null ? index.workloads : workloads(namespace);
    } else {
      Map.Entry<String, String> first = selector.entrySet().iterator().next();
      candidates = index.workloadsByLabel.getOrDefault(first.getKey() + "=" + first.getValue(), List.of());
    }
    List<Workload> out = new ArrayList<>();
    for (Workload w : candidates) {
      if ((namespace == null || namespace.equals(w.namespace())) && w.matches(selector)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Resources of a kind in one namespace. */
  public List<Resource> resourcesIn(String kind, String namespace) {
    require(kind);
    return index.byKindAndNamespace.getOrDefault(kind + "/" + namespace, List.of());
  }

  /** Gateways with a server using this certificate, as {@link MeshIndex#certificateKey} writes it. */
  public List<Resource> gatewaysWithCertificate(String certificateKey) {
    require(Kinds.GATEWAY);
    return index.gatewaysByCertificate.getOrDefault(certificateKey, List.of());
  }

  /** EnvoyFilters with a patch of this {@link MeshIndex#envoyFilterPatchName} that sets a proxyVersion. */
  public List<Resource> envoyFiltersWithVersionedPatch(String patchName) {
    require(Kinds.ENVOY_FILTER);
    return index.envoyFiltersByVersionedPatchName.getOrDefault(patchName, List.of());
  }

  /** ServiceEntries that list exactly this host (a wildcard host matches only the same wildcard), whatever their exportTo. */
  public List<Resource> serviceEntriesListing(String host) {
    require(Kinds.SERVICE_ENTRY);
    List<Resource> entries = Hosts.isWildcard(host)
        ? index.serviceEntriesByWildcard.get(host.substring(1))
        : index.serviceEntriesByHost.get(host);
    return entries == null ? List.of() : entries;
  }

  /**
   * Istio's {@code exportTo} semantics: empty or {@code *} is every namespace, {@code .} the
   * owner's namespace, {@code ~} none, anything else a namespace name.
   */
  public static boolean exportedTo(List<String> exportTo, String ownerNamespace, String fromNamespace) {
    if (exportTo.isEmpty()) {
      return true;
    }
    for (String e : exportTo) {
      if (e.equals("*") || e.equals(fromNamespace) || (e.equals(".") && ownerNamespace.equals(fromNamespace))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> exportToOfService(Resource service) {
    String annotation = service.annotations().get("networking.istio.io/exportTo");
    if (annotation == null || annotation.isBlank()) {
      return List.of();
    }
    return Arrays.stream(annotation.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<String> stringList(com.fasterxml.jackson.databind.JsonNode node) {
    if (!node.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(node.size());
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Services in the namespace whose (non-empty) selector matches the pod labels. */
  public List<Resource> servicesSelecting(String namespace, Map<String, String> podLabels) {
    require(Kinds.SERVICE);
    List<Resource> out = new ArrayList<>();
    for (Map.Entry<String, String> label : podLabels.entrySet()) {
      for (Resource service : index.servicesBySelectorLabel.getOrDefault(
          namespace + "/" + label.getKey() + "=" + label.getValue(), List.of())) {
        if (selects(service, podLabels) && !out.contains(service)) {
          out.add(service);
        }
      }
    }
    return out;
  }

  private static boolean selects(Resource service, Map<String, String> podLabels) {
    var fields = service.tree().path("spec").path("selector").fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().asText().equals(podLabels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** VirtualServices bound to the mesh gateway that define the host, written as {@link Hosts#toFqdn} writes it. */
  public List<Resource> meshVirtualServicesForHost(String fqdn) {
    require(Kinds.VIRTUAL_SERVICE);
    return index.meshVirtualServicesByHost.getOrDefault(fqdn, List.of());
  }

  /** VirtualServices that route the host, one of their own hosts, to a subset (host compared as written). */
  public List<Resource> virtualServicesWithSubsetsFor(String host) {
    require(Kinds.VIRTUAL_SERVICE);
    return index.subsetVirtualServicesByHost.getOrDefault(host, List.of());
  }

  /**
   * DestinationRules whose host, short names made FQDNs in the rule's namespace, intersects
   * {@code fqdn} (as {@link Hosts#toFqdn}), whatever their {@code exportTo}.
   */
  public java.util.Set<Resource> destinationRulesFor(String fqdn) {
    require(Kinds.DESTINATION_RULE);
    return index.destinationRulesByHost.intersecting(fqdn);
  }

  /** VirtualServices bound to this Gateway (not mesh) that define the host, written as {@link Hosts#toFqdn} writes it. */
  public List<Resource> gatewayVirtualServicesForHost(GatewayRef gateway, String fqdn) {
    require(Kinds.VIRTUAL_SERVICE);
    return index.gatewayVirtualServicesByHost.getOrDefault(gateway.key() + "|" + fqdn, List.of());
  }

  /** True when a resource's {@code spec.exportTo} (Istio's semantics) makes it visible from a namespace. */
  public static boolean visibleFrom(Resource r, String fromNamespace) {
    return exportedTo(stringList(r.tree().path("spec").path("exportTo")), r.namespace(), fromNamespace);
  }

  /** Workloads of a namespace that run as this service account. */
  public List<Workload> workloadsWithServiceAccount(String namespace, String serviceAccount) {
    require(WORKLOAD_KINDS);
    return index.workloadsByServiceAccount.getOrDefault(namespace + "/" + serviceAccount, List.of());
  }

  /** The workload a Pod or controller among the inputs defines; null for other resources. */
  public Workload workloadOf(Resource owner) {
    require(owner.kindKey());
    return index.workloadByOwner.get(owner);
  }

  /**
   * True when the inputs know the namespace: a Namespace object or any resource in it. Null when the
   * inputs contain no Namespace object at all, so that nothing can be said.
   */
  public Boolean namespaceKnown(String name) {
    if (resources(Kinds.NAMESPACE).isEmpty()) {
      return null;
    }
    return namespace(name) != null || index.namespacesInUse.contains(name);
  }

  /** WorkloadEntries of a namespace whose labels match the (non-empty) selector. */
  public List<Resource> workloadEntriesMatching(String namespace, Map<String, String> selector) {
    require(Kinds.WORKLOAD_ENTRY);
    if (selector.isEmpty()) {
      return List.of();
    }
    Map.Entry<String, String> first = selector.entrySet().iterator().next();
    List<Resource> out = new ArrayList<>();
    for (Resource we : index.workloadEntriesByLabel.getOrDefault(
        namespace + "/" + first.getKey() + "=" + first.getValue(), List.of())) {
      if (MeshIndex.workloadEntryLabels(we).entrySet().containsAll(selector.entrySet())) {
        out.add(we);
      }
    }
    return out;
  }

  /** The MutatingWebhookConfigurations among the inputs, as sidecar injection applies them. */
  public InjectionWebhooks injectionWebhooks() {
    require(InjectionWebhooks.KIND);
    return index.injectionWebhooks;
  }

  /** The values of the sidecar injector ConfigMap of a revision ({@link InjectorValues#configMapName}), or null. */
  public InjectorValues injectorValues(String revision) {
    require(Kinds.CONFIG_MAP);
    return index.injectorValuesByName.get(InjectorValues.configMapName(revision));
  }
}
