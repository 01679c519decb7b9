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
import java.util.function.Predicate;

/**
 * What one rule may read of the mesh: every lookup names the kinds it touches and fails when the
 * rule did not declare them. Declared reads are what lets the webhook re-run only the rules a changed
 * kind can affect, so they are enforced here rather than trusted.
 */
public final class MeshView {
  /**
   * The kinds that carry pods: a rule that asks for workloads must declare them all, and so reads
   * the workloads of every shape {@link Workload#of} counts (the webhook re-runs it when any changes).
   */
  public static final Set<String> WORKLOAD_KINDS = Set.of(Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET,
      Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB);

  private final MeshIndex index;
  /** The kinds this view may read; null for every kind. */
  private final Set<String> allowed;
  /** Where reads are written down; null when nobody tracks them. */
  private final ReadLog log;

  MeshView(MeshIndex index, Set<String> allowed) {
    this(index, allowed, null);
  }

  private MeshView(MeshIndex index, Set<String> allowed, ReadLog log) {
    this.index = index;
    this.allowed = allowed;
    this.log = log;
  }

  /**
   * Receives the index keys a rule's lookups read (see {@link Lookup#keyOf}), and the host of
   * host-keyed lookups: with them the webhook finds which findings a change can alter.
   */
  public interface ReadLog {
    void read(String key, String host);
  }

  /** The same view, writing its reads to {@code log}. */
  public MeshView tracking(ReadLog log) {
    return new MeshView(index, allowed, log);
  }

  private <V> List<V> read(Table<V> table, String key) {
    if (log != null) {
      log.read(table.keyOf(key), null);
    }
    return table.get(key);
  }

  private <V> V readFirst(Table<V> table, String key) {
    if (log != null) {
      log.read(table.keyOf(key), null);
    }
    return table.first(key);
  }

  private <V> Set<V> read(HostTable<V> table, String key, String host) {
    if (log != null) {
      log.read(table.keyOf(key), host);
    }
    return table.intersecting(key, host);
  }

  /** The key a read of whether any resource of a kind exists is written down as. */
  public static String anyKey(String kind) {
    return "any|" + kind;
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
    return read(index.byKind, kind);
  }

  /** True when some resource of the kind exists; cheaper to depend on than {@link #resources}. */
  public boolean any(String kind) {
    require(kind);
    if (log != null) {
      log.read(anyKey(kind), null);
    }
    return !index.byKind.isEmpty(kind);
  }

  public Resource get(String kind, String namespace, String name) {
    require(kind);
    return readFirst(index.byKey, MeshIndex.keyOf(kind, namespace, name));
  }

  /**
   * True when a resource of this kind, namespace and name exists. Cheaper to depend on than
   * {@link #get}: an update of that resource never changes the answer, only its creation or deletion.
   */
  public boolean exists(String kind, String namespace, String name) {
    require(kind);
    String key = MeshIndex.keyOf(kind, namespace, name);
    if (log != null) {
      log.read(existsKey(key), null);
    }
    return !index.byKey.isEmpty(key);
  }

  /** The key a read of whether a resource exists is written down as, for its {@link MeshIndex#keyOf}. */
  private static String existsKey(String resourceKey) {
    return "exists|" + resourceKey;
  }

  /** The key a read of {@link #exists} is written down as. */
  public static String existsKey(String kind, String namespace, String name) {
    return existsKey(MeshIndex.keyOf(kind, namespace, name));
  }

  /**
   * The spec of the resource of this kind, namespace and name (the first when it is defined twice),
   * or null when there is none. Cheaper to depend on than {@link #get}: an update that leaves the
   * spec as it was (a label, an annotation) does not change the answer.
   */
  public JsonNode spec(String kind, String namespace, String name) {
    require(kind);
    String key = MeshIndex.keyOf(kind, namespace, name);
    if (log != null) {
      log.read(specKey(key), null);
    }
    Resource r = index.byKey.first(key);
    return r == null ? null : r.tree().path("spec");
  }

  private static String specKey(String resourceKey) {
    return "spec|" + resourceKey;
  }

  /** The key a read of {@link #spec} is written down as. */
  public static String specKey(String kind, String namespace, String name) {
    return specKey(MeshIndex.keyOf(kind, namespace, name));
  }

  /** The spec of the Gateway a reference names, or null (always for {@code mesh}). */
  public JsonNode gatewaySpec(GatewayRef ref) {
    return ref.isMesh() ? null : spec(Kinds.GATEWAY, ref.namespace(), ref.name());
  }

  /** True when the Gateway a reference names exists (never for {@code mesh}). */
  public boolean gatewayExists(GatewayRef ref) {
    return !ref.isMesh() && exists(Kinds.GATEWAY, ref.namespace(), ref.name());
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
    return read(index.gatewaysBySelectorPort, selectorKey + "|" + port, host);
  }

  /** Gateways with a server of this {@link MeshIndex#serverKey}. */
  public List<Resource> gatewaysWithServer(String serverKey) {
    require(Kinds.GATEWAY);
    return read(index.gatewaysByServer, serverKey);
  }

  /**
   * Gateways whose selector strictly contains the labels of the selector in this
   * {@link MeshIndex#serverKey} that have a server of the same port, bind and host.
   */
  public List<Resource> gatewaysWithNarrowerSelectorAndServer(String serverKey) {
    require(Kinds.GATEWAY);
    return read(index.gatewaysBySelectorSubsetServer, serverKey);
  }

  /** VirtualServices whose {@code gateways} name this Gateway (or, for {@code mesh}, that name none or mesh). */
  public List<Resource> virtualServicesBoundTo(GatewayRef gateway) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.virtualServicesByGateway, gateway.key());
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
    Resource service = readFirst(index.serviceByFqdn, fqdn);
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
    addVisible(read(index.serviceEntriesByHost, host), fromNamespace, out);
    String candidate = Hosts.isWildcard(host) ? host.substring(1) : host;
    for (int dot = candidate.indexOf('.'); dot >= 0; dot = candidate.indexOf('.', dot + 1)) {
      addVisible(read(index.serviceEntriesByWildcard, candidate.substring(dot)), fromNamespace, out);
    }
    addVisible(read(index.serviceEntriesByWildcard, ""), fromNamespace, out);
    return out;
  }

  private void addVisible(List<Resource> entries, String fromNamespace, List<Resource> out) {
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
    return read(index.workloadsByNamespace, namespace);
  }

  /** Workloads whose labels match the selector, in one namespace or (namespace null) in all. */
  public List<Workload> workloadsMatching(String namespace, Map<String, String> selector) {
    require(WORKLOAD_KINDS);
    List<Workload> candidates;
    if (selector.isEmpty()) {
      candidates = namespace == null ? read(index.workloads, "") : workloads(namespace);
    } else {
      candidates = read(index.workloadsByLabel, rarestLabel(namespace, selector));
    }
    List<Workload> out = new ArrayList<>();
    for (Workload w : candidates) {
      if ((namespace == null || namespace.equals(w.namespace())) && w.matches(selector)) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * The selector's label that the fewest workloads (of the namespace, unless null) carry: the
   * candidates to test, and the key the read depends on (a workload the selector matches carries
   * every label of it, so any one will do). Namespaced keys are {@code ns|k=v} ('|' is in no label key).
   */
  private String rarestLabel(String namespace, Map<String, String> selector) {
    String rarest = null;
    int fewest = Integer.MAX_VALUE;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      String key = (namespace == null ? "" : namespace + "|") + e.getKey() + "=" + e.getValue();
      int count = index.workloadsByLabel.count(key);
      if (count < fewest) {
        rarest = key;
        fewest = count;
      }
    }
    return rarest;
  }

  /** VirtualServices that delegate to the VirtualService {@code namespace/name}. */
  public List<Resource> virtualServicesDelegatingTo(String namespace, String name) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.virtualServicesByDelegate, namespace + "/" + name);
  }

  /** Resources of a kind in one namespace. */
  public List<Resource> resourcesIn(String kind, String namespace) {
    require(kind);
    return read(index.byKindAndNamespace, kind + "/" + namespace);
  }

  /** Gateways with a server using this certificate, as {@link MeshIndex#certificateKey} writes it. */
  public List<Resource> gatewaysWithCertificate(String certificateKey) {
    require(Kinds.GATEWAY);
    return read(index.gatewaysByCertificate, certificateKey);
  }

  /** Gateways with a server using this certificate whose selector has the label {@code k=v}. */
  public List<Resource> gatewaysWithCertificate(String certificateKey, String label) {
    require(Kinds.GATEWAY);
    return read(index.gatewaysByCertificateLabel, certificateKey + "|" + label);
  }

  /**
   * How many distinct Gateways (by kind, namespace and name) {@link #gatewaysWithCertificate(String, String)}
   * lists ({@link #gatewaysWithCertificate(String)} when {@code label} is null), leaving out {@code
   * except}: counted by the index, in time that does not grow with how many share the certificate.
   */
  public int countGatewaysWithCertificate(String certificateKey, String label, ResourceKey except) {
    require(Kinds.GATEWAY);
    Table<Resource> table = label == null ? index.gatewaysByCertificate : index.gatewaysByCertificateLabel;
    String key = label == null ? certificateKey : certificateKey + "|" + label;
    if (log != null) {
      log.read(table.keyOf(key), null);
    }
    return table.distinctOwners(key, except);
  }

  /**
   * The first {@code limit} Gateways that {@code accept} accepts, in the order {@link
   * #gatewaysWithCertificate(String, String)} lists them ({@link #gatewaysWithCertificate(String)}
   * when {@code label} is null), without listing the others.
   */
  public List<Resource> firstGatewaysWithCertificate(String certificateKey, String label, int limit,
      Predicate<Resource> accept) {
    require(Kinds.GATEWAY);
    Table<Resource> table = label == null ? index.gatewaysByCertificate : index.gatewaysByCertificateLabel;
    String key = label == null ? certificateKey : certificateKey + "|" + label;
    if (log != null) {
      log.read(table.keyOf(key), null);
    }
    List<Resource> out = new ArrayList<>();
    if (limit > 0) {
      table.walk(key, r -> {
        if (accept.test(r)) {
          out.add(r);
        }
        return out.size() < limit;
      });
    }
    return out;
  }

  /** EnvoyFilters with a patch of this {@link MeshIndex#envoyFilterPatchName} that sets a proxyVersion. */
  public List<Resource> envoyFiltersWithVersionedPatch(String patchName) {
    require(Kinds.ENVOY_FILTER);
    return read(index.envoyFiltersByVersionedPatchName, patchName);
  }

  /** ServiceEntries that list exactly this host (a wildcard host matches only the same wildcard), whatever their exportTo. */
  public List<Resource> serviceEntriesListing(String host) {
    require(Kinds.SERVICE_ENTRY);
    return Hosts.isWildcard(host)
        ? read(index.serviceEntriesByWildcard, host.substring(1))
        : read(index.serviceEntriesByHost, host);
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
      for (Resource service : read(index.servicesBySelectorLabel,
          namespace + "/" + label.getKey() + "=" + label.getValue())) {
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
    return read(index.meshVirtualServicesByHost, fqdn);
  }

  /**
   * VirtualServices bound to mesh, exported everywhere or only to some namespaces as asked (see {@link
   * MeshIndex#exportedEverywhere}), with a host that intersects {@code fqdn}.
   */
  public java.util.Set<Resource> meshVirtualServicesIntersecting(String fqdn, boolean exportedEverywhere) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.meshVirtualServicesByExportAndHost, exportedEverywhere ? "*" : "some", fqdn);
  }

  /** VirtualServices that route the host, one of their own hosts, to a subset (host compared as written). */
  public List<Resource> virtualServicesWithSubsetsFor(String host) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.subsetVirtualServicesByHost, host);
  }

  /**
   * DestinationRules whose host, short names made FQDNs in the rule's namespace, intersects
   * {@code fqdn} (as {@link Hosts#toFqdn}), whatever their {@code exportTo}.
   */
  public java.util.Set<Resource> destinationRulesFor(String fqdn) {
    require(Kinds.DESTINATION_RULE);
    return read(index.destinationRulesByHost, "", fqdn);
  }

  /** VirtualServices bound to this Gateway (not mesh) that define the host, written as {@link Hosts#toFqdn} writes it. */
  public List<Resource> gatewayVirtualServicesForHost(GatewayRef gateway, String fqdn) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.gatewayVirtualServicesByHost, gateway.key() + "|" + fqdn);
  }

  /** VirtualServices, whatever they are bound to, with a host intersecting {@code fqdn} (hosts as {@link Hosts#toFqdn}). */
  public java.util.Set<Resource> virtualServicesIntersecting(String fqdn) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.virtualServicesByHost, "", fqdn);
  }

  /** VirtualServices with an HTTP route whose destination host intersects {@code fqdn} (as {@link Hosts#toFqdn}). */
  public java.util.Set<Resource> virtualServicesRoutingHttpTo(String fqdn) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.virtualServicesByHttpDestination, "", fqdn);
  }

  /** VirtualServices bound to a Gateway other than mesh with a host, as written, intersecting {@code host}. */
  public java.util.Set<Resource> gatewayVirtualServicesIntersecting(String host) {
    require(Kinds.VIRTUAL_SERVICE);
    return read(index.gatewayVirtualServicesByHostAsWritten, "", host);
  }

  /** PeerAuthentications without selector whose own {@code mtls.mode} is {@code mode} (upper case; "" for none or UNSET). */
  public List<Resource> widePeerAuthenticationsWithMode(String mode) {
    require(Kinds.PEER_AUTHENTICATION);
    return read(index.widePeerAuthenticationsByMode, mode);
  }

  /** Gateways whose selector's first label in key order is {@code label} ({@code k=v}). */
  public List<Resource> gatewaysWithFirstSelectorLabel(String label) {
    require(Kinds.GATEWAY);
    return read(index.gatewaysBySelectorLabel, label);
  }

  /** True when a resource's {@code spec.exportTo} (Istio's semantics) makes it visible from a namespace. */
  public static boolean visibleFrom(Resource r, String fromNamespace) {
    return exportedTo(stringList(r.tree().path("spec").path("exportTo")), r.namespace(), fromNamespace);
  }

  /** Workloads of a namespace that run as this service account. */
  public List<Workload> workloadsWithServiceAccount(String namespace, String serviceAccount) {
    require(WORKLOAD_KINDS);
    return read(index.workloadsByServiceAccount, namespace + "/" + serviceAccount);
  }

  /** The workload a Pod or controller among the inputs defines; null for other resources. */
  public Workload workloadOf(Resource owner) {
    require(owner.kindKey());
    return index.workloadOf(owner);
  }

  /**
   * True when the inputs know the namespace: a Namespace object or any resource in it. Null when the
   * inputs contain no Namespace object at all, so that nothing can be said.
   */
  public Boolean namespaceKnown(String name) {
    if (!any(Kinds.NAMESPACE)) {
      return null;
    }
    return namespace(name) != null || readFirst(index.byNamespace, name) != null;
  }

  /** WorkloadEntries of a namespace whose labels match the (non-empty) selector. */
  public List<Resource> workloadEntriesMatching(String namespace, Map<String, String> selector) {
    require(Kinds.WORKLOAD_ENTRY);
    if (selector.isEmpty()) {
      return List.of();
    }
    Map.Entry<String, String> first = selector.entrySet().iterator().next();
    List<Resource> out = new ArrayList<>();
    for (Resource we : read(index.workloadEntriesByLabel,
        namespace + "/" + first.getKey() + "=" + first.getValue())) {
      if (MeshIndex.workloadEntryLabels(we).entrySet().containsAll(selector.entrySet())) {
        out.add(we);
      }
    }
    return out;
  }

  /** The MutatingWebhookConfigurations among the inputs, as sidecar injection applies them. */
  public InjectionWebhooks injectionWebhooks() {
    resources(InjectionWebhooks.KIND);
    return index.injectionWebhooks();
  }

  /** The values of the sidecar injector ConfigMap of a revision ({@link InjectorValues#configMapName}), or null. */
  public InjectorValues injectorValues(String revision) {
    require(Kinds.CONFIG_MAP);
    Resource configMap = readFirst(index.injectorConfigMapsByName, InjectorValues.configMapName(revision));
    return configMap == null ? null : index.injectorValuesOf(configMap);
  }
}
