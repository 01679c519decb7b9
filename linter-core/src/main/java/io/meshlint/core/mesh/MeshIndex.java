package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The mesh as the inputs describe it, indexed once per run so that every cross-resource question a
 * rule asks is a map lookup: resources by kind and name, hosts by name, VirtualServices by the
 * Gateway they bind, workloads by label. Building it is linear in the number of resources.
 * Rules read it through a {@link MeshView} limited to the kinds they declare.
 */
public final class MeshIndex {
  final MeshConfig meshConfig;
  final Settings settings;
  /** The index this one overlays (see {@link #overlay}), or null. */
  private final MeshIndex base;
  /** The base's resources this overlay removes, by identity. */
  private final Set<Resource> removed;
  /** The resources indexed here: all of them, or for an overlay those it adds. */
  private final List<Resource> own;
  /** The number of lookups below: an overlay, made for each admission request, fills its list without growing it. */
  private static final int LOOKUPS = 32;
  /** The lookups in creation order, so that an overlay pairs each with its base's. */
  private final List<Lookup<?>> lookups = new ArrayList<>(LOOKUPS);

  final Table<Resource> byKind = table("kind");
  final Table<Resource> byKey = table("key");
  final Table<Resource> serviceByFqdn = table("serviceFqdn");
  final Table<Resource> serviceEntriesByHost = table("serviceEntryHost");
  /** ServiceEntries with wildcard hosts, keyed by the suffix after the {@code *} ("" for {@code *}). */
  final Table<Resource> serviceEntriesByWildcard = table("serviceEntryWildcard");
  final Table<Resource> virtualServicesByGateway = table("virtualServiceGateway");
  /** Gateways by selector and server port ({@code selector|port}), then by server host. */
  final HostTable<Resource> gatewaysBySelectorPort = hostTable("gatewaySelectorPort", r -> r);
  /**
   * Gateways by their servers as Istio tells duplicates apart ({@link #serverKey}: selector, port,
   * bind and host as written), and by every selector their own selector strictly contains
   * ({@link #selectorSubsetKeys}) in place of the selector: the Gateways with narrower selectors.
   */
  final Table<Resource> gatewaysByServer = table("gatewayServer");
  final Table<Resource> gatewaysBySelectorSubsetServer = table("gatewaySelectorSubsetServer");
  /** Every workload, under the key "". */
  final Table<Workload> workloads = table("workloads", Workload::owner);
  final Table<Workload> workloadsByNamespace = table("workloadNamespace", Workload::owner);
  final Table<Workload> workloadsByLabel = table("workloadLabel", Workload::owner);
  /** Namespaced resources by {@code kind/namespace}. */
  final Table<Resource> byKindAndNamespace = table("kindNamespace");
  /** Gateways by the certificate their servers use, as {@link #certificateKey} writes it. */
  final Table<Resource> gatewaysByCertificate = table("gatewayCertificate");
  /** The same by certificate and each label of the Gateway's selector, {@code certificate|k=v}. */
  final Table<Resource> gatewaysByCertificateLabel = table("gatewayCertificateLabel");
  /** EnvoyFilters by the {@link #envoyFilterPatchName} of each patch that sets {@code match.proxy.proxyVersion}. */
  final Table<Resource> envoyFiltersByVersionedPatchName = table("envoyFilterVersionedPatch");
  /** Services with a selector, keyed by {@code namespace/k=v} for the first label of the selector in key order. */
  final Table<Resource> servicesBySelectorLabel = table("serviceSelectorLabel");
  /** VirtualServices bound to the mesh gateway by the hosts they define, short names made FQDNs as Istio does. */
  final Table<Resource> meshVirtualServicesByHost = table("meshVirtualServiceHost");
  /**
   * VirtualServices bound to mesh by whether they are exported everywhere ({@code *}: no exportTo, or
   * one listing {@code *}) or to some namespaces ({@code some}), then by host (as {@link Hosts#toFqdn}).
   */
  final HostTable<Resource> meshVirtualServicesByExportAndHost = hostTable("meshVirtualServiceExportHost", r -> r);
  /** VirtualServices that route one of their own hosts (as written) to a subset, by that host. */
  final Table<Resource> subsetVirtualServicesByHost = table("subsetVirtualServiceHost");
  /** DestinationRules by their host (under the key ""), short names made FQDNs in the rule's namespace as Istio does. */
  final HostTable<Resource> destinationRulesByHost = hostTable("destinationRuleHost", r -> r);
  /** VirtualServices bound to a Gateway other than mesh, by {@code gatewayKey|host} (host as {@link Hosts#toFqdn}). */
  final Table<Resource> gatewayVirtualServicesByHost = table("gatewayVirtualServiceHost");
  /** Every VirtualService, whatever it is bound to, by its hosts (under the key "", as {@link Hosts#toFqdn}). */
  final HostTable<Resource> virtualServicesByHost = hostTable("virtualServiceHost", r -> r);
  /** VirtualServices by the destination hosts of their HTTP routes (under the key "", as {@link Hosts#toFqdn}). */
  final HostTable<Resource> virtualServicesByHttpDestination = hostTable("virtualServiceHttpDestination", r -> r);
  /** VirtualServices bound to a Gateway other than mesh, by their hosts as written (under the key ""). */
  final HostTable<Resource> gatewayVirtualServicesByHostAsWritten = hostTable("gatewayVirtualServiceHostAsWritten", r -> r);
  /** PeerAuthentications without selector by their own mode ({@link PeerAuthentications#ownMode}). */
  final Table<Resource> widePeerAuthenticationsByMode = table("widePeerAuthenticationMode");
  /** Gateways by the first label of their selector in key order, {@code k=v}. */
  final Table<Resource> gatewaysBySelectorLabel = table("gatewaySelectorLabel");
  /** Workloads by {@code namespace/serviceAccount}, the account Kubernetes gives them ({@code default} when unset). */
  final Table<Workload> workloadsByServiceAccount = table("workloadServiceAccount", Workload::owner);
  /** Resources by the namespace they live in. */
  final Table<Resource> byNamespace = table("namespace");
  /** WorkloadEntries by {@code namespace/k=v} for each of their labels. */
  final Table<Resource> workloadEntriesByLabel = table("workloadEntryLabel");
  /** Sidecar injector ConfigMaps by name, whatever their namespace, as Istio's analyzers look them up. */
  final Table<Resource> injectorConfigMapsByName = table("injectorConfigMap");
  /** VirtualServices by the {@code namespace/name} of each VirtualService they delegate to. */
  final Table<Resource> virtualServicesByDelegate = table("virtualServiceDelegate");
  /** Each Pod's or controller's workload, by the resource itself (a name may be defined twice). */
  private final Map<Resource, Workload> workloadByOwner = new IdentityHashMap<>();
  /**
   * Parsed injector values by ConfigMap. An overlay reads its base's and keeps its own apart: an
   * overlay lives for one admission request, its base for the whole snapshot.
   */
  private final Map<Resource, InjectorValues> injectorValues = new ConcurrentHashMap<>();
  private volatile InjectionWebhooks injectionWebhooks;

  public MeshIndex(List<Resource> resources, MeshConfig meshConfig, Settings settings) {
    this(null, Set.of(), Map.of(), resources, meshConfig, settings);
  }

  private MeshIndex(MeshIndex base, Set<Resource> removed, Map<Resource, Resource> replacements,
      List<Resource> resources, MeshConfig meshConfig, Settings settings) {
    this.base = base;
    this.removed = removed;
    this.own = resources;
    this.meshConfig = meshConfig;
    this.settings = settings;
    if (base != null) {
      for (int i = 0; i < lookups.size(); i++) {
        lookups.get(i).over(base.lookups.get(i), removed, replacements);
      }
    }
    for (Resource r : resources) {
      String kind = r.kindKey();
      byKind.add(kind, r);
      byKey.add(keyOf(kind, r.namespace(), r.name()), r);
      if (r.namespace() != null) {
        byNamespace.add(r.namespace(), r);
        byKindAndNamespace.add(kind + "/" + r.namespace(), r);
      }
      switch (kind) {
        case Kinds.SERVICE -> indexService(r);
        case Kinds.SERVICE_ENTRY -> indexServiceEntry(r);
        case Kinds.VIRTUAL_SERVICE -> indexVirtualService(r);
        case Kinds.GATEWAY -> indexGateway(r);
        case Kinds.ENVOY_FILTER -> indexEnvoyFilter(r);
        case Kinds.DESTINATION_RULE -> indexDestinationRule(r);
        case Kinds.WORKLOAD_ENTRY -> workloadEntryLabels(r).forEach((k, v) ->
            workloadEntriesByLabel.add(r.namespace() + "/" + k + "=" + v, r));
        case Kinds.CONFIG_MAP -> indexInjectorConfigMap(r);
        case Kinds.PEER_AUTHENTICATION -> {
          if (PeerAuthentications.selector(r).isEmpty()) {
            widePeerAuthenticationsByMode.add(PeerAuthentications.ownMode(r), r);
          }
        }
        default -> addWorkload(r);
      }
    }
  }

  /**
   * The state after a change, read through this index without copying it: this index's resources
   * less {@code removed} (compared by identity), plus {@code added}. Building it costs time in the
   * size of the change only; reading it costs a filter over what this index answers.
   */
  public MeshIndex overlay(Collection<Resource> removed, List<Resource> added) {
    if (base != null) {
      throw new IllegalStateException("an overlay is not overlaid again");
    }
    Set<Resource> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    gone.addAll(removed);
    Map<String, Resource> addedByKey = new java.util.HashMap<>();
    added.forEach(r -> addedByKey.putIfAbsent(keyOf(r.kindKey(), r.namespace(), r.name()), r));
    Map<Resource, Resource> replacements = new IdentityHashMap<>();
    for (Resource r : gone) {
      Resource replacement = addedByKey.get(keyOf(r.kindKey(), r.namespace(), r.name()));
      if (replacement != null) {
        replacements.put(r, replacement);
      }
    }
    return new MeshIndex(this, gone, replacements, added, meshConfig, settings);
  }

  /**
   * Every key of this index's own lookups (not its base's), as {@code name|key}, with the host for
   * host-keyed lookups (null otherwise): what a change of these resources touches.
   */
  public void forEachKey(BiConsumer<String, String> action) {
    lookups.forEach(l -> l.forEachKey(action));
  }

  /** The resource of this kind, namespace and name, or null; the first one when defined twice. */
  public Resource get(String kind, String namespace, String name) {
    return byKey.first(keyOf(kind, namespace, name));
  }

  /** Every resource of this kind, namespace and name: more than one when the inputs define it twice. */
  public List<Resource> named(String kind, String namespace, String name) {
    return byKey.get(keyOf(kind, namespace, name));
  }

  /** True when some resource of the kind exists. */
  public boolean hasAny(String kind) {
    return !byKind.isEmpty(kind);
  }

  static String keyOf(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }

  private Table<Resource> table(String name) {
    return table(name, r -> r);
  }

  private <V> Table<V> table(String name, Function<V, Resource> owner) {
    Table<V> t = new Table<>(name, owner);
    lookups.add(t);
    return t;
  }

  private <V> HostTable<V> hostTable(String name, Function<V, Resource> owner) {
    HostTable<V> t = new HostTable<>(name, owner);
    lookups.add(t);
    return t;
  }

  Workload workloadOf(Resource owner) {
    Workload w = workloadByOwner.get(owner);
    if (w == null && base != null && !removed.contains(owner)) {
      return base.workloadOf(owner);
    }
    return w;
  }

  /** A sidecar injector ConfigMap's values, parsed once per ConfigMap. */
  InjectorValues injectorValuesOf(Resource configMap) {
    InjectorValues known = base == null ? null : base.injectorValues.get(configMap);
    return known != null ? known : injectorValues.computeIfAbsent(configMap, InjectorValues::of);
  }

  /** The MutatingWebhookConfigurations as injection applies them, built on first use. */
  InjectionWebhooks injectionWebhooks() {
    InjectionWebhooks webhooks = injectionWebhooks;
    if (webhooks == null) {
      webhooks = new InjectionWebhooks(byKind.get(InjectionWebhooks.KIND));
      injectionWebhooks = webhooks;
    }
    return webhooks;
  }

  private void indexInjectorConfigMap(Resource r) {
    if (r.name().startsWith(InjectorValues.CONFIG_MAP_PREFIX)) {
      injectorConfigMapsByName.add(r.name(), r);
    }
  }

  public MeshConfig meshConfig() {
    return meshConfig;
  }

  public Settings settings() {
    return settings;
  }

  /** Every resource, in the order indexed (an overlay's new versions where the old ones were, then the others). */
  public List<Resource> all() {
    if (base == null) {
      return own;
    }
    List<Resource> out = new ArrayList<>(base.own.size() + own.size());
    byKind.merge(base.own, own, out);
    return out;
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

  /** Above this many labels a selector's subsets are not indexed (2^n of them); real selectors have one to three. */
  private static final int MAX_NESTED_SELECTOR_LABELS = 6;

  /**
   * The selector keys of every non-empty proper subset of a selector's labels, as {@link
   * #selectorKey} writes them (label keys and values hold no comma); none for a selector of one label
   * or of more than {@value #MAX_NESTED_SELECTOR_LABELS}.
   */
  public static List<String> selectorSubsetKeys(String selectorKey) {
    String[] labels = selectorKey.split(",");
    if (labels.length < 2 || labels.length > MAX_NESTED_SELECTOR_LABELS) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int mask = 1; mask < (1 << labels.length) - 1; mask++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < labels.length; i++) {
        if ((mask & (1 << i)) != 0) {
          sb.append(sb.length() == 0 ? "" : ",").append(labels[i]);
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** Whether a resource's {@code spec.exportTo} is absent, empty or lists {@code *}. */
  public static boolean exportedEverywhere(Resource r) {
    JsonNode exportTo = r.tree().path("spec").path("exportTo");
    if (!exportTo.isArray() || exportTo.isEmpty()) {
      return true;
    }
    for (JsonNode e : exportTo) {
      if (e.asText().equals("*")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A Gateway server's key among the servers of Gateways that select the same workload: Istio drops a
   * TLS server whose host, as written, another server on the same port and bind already serves.
   */
  public static String serverKey(String selectorKey, String port, String bind, String host) {
    return selectorKey + "|" + port + "|" + bind + "|" + host;
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
    List<String> subsets = selectorSubsetKeys(selector);
    if (!selector.isEmpty()) {
      gatewaysBySelectorLabel.add(selector.split(",", 2)[0], r);
    }
    for (JsonNode server : r.tree().path("spec").path("servers")) {
      String certificate = certificateKey(server.path("tls"));
      if (certificate != null) {
        gatewaysByCertificate.addOnce(certificate, r);
        selectorNode.fields().forEachRemaining(label -> gatewaysByCertificateLabel.addOnce(
            certificate + "|" + label.getKey() + "=" + label.getValue().asText(), r));
      }
      String port = server.path("port").path("number").asText();
      String bind = server.path("bind").asText("");
      String selectorPort = selector + "|" + port;
      for (JsonNode host : server.path("hosts")) {
        gatewaysBySelectorPort.add(selectorPort, GatewayHost.parse(host.asText()).host(), r);
        gatewaysByServer.addOnce(serverKey(selector, port, bind, host.asText()), r);
        for (String subset : subsets) {
          gatewaysBySelectorSubsetServer.addOnce(serverKey(subset, port, bind, host.asText()), r);
        }
      }
    }
  }

  private void indexEnvoyFilter(Resource r) {
    for (JsonNode patch : r.tree().path("spec").path("configPatches")) {
      if (!patch.path("match").path("proxy").path("proxyVersion").asText("").isEmpty()) {
        envoyFiltersByVersionedPatchName.addOnce(envoyFilterPatchName(patch), r);
      }
    }
  }

  private void indexServiceEntry(Resource r) {
    for (JsonNode host : r.tree().path("spec").path("hosts")) {
      String h = host.asText();
      if (Hosts.isWildcard(h)) {
        serviceEntriesByWildcard.add(h.substring(1), r);
      } else {
        serviceEntriesByHost.add(h, r);
      }
    }
  }

  private void indexService(Resource r) {
    serviceByFqdn.add(r.name() + "." + r.namespace() + ".svc." + settings.clusterDomain(), r);
    JsonNode selector = r.tree().path("spec").path("selector");
    if (selector.isObject() && !selector.isEmpty()) {
      String first = selectorKey(selector).split(",", 2)[0];
      servicesBySelectorLabel.add(r.namespace() + "/" + first, r);
    }
  }

  private void indexVirtualService(Resource r) {
    JsonNode gateways = r.tree().path("spec").path("gateways");
    boolean mesh = !gateways.isArray() || gateways.isEmpty();
    boolean gatewayBound = false;
    if (mesh) {
      virtualServicesByGateway.add(GatewayRef.MESH, r);
    } else {
      for (JsonNode g : gateways) {
        GatewayRef ref = GatewayRef.parse(g.asText(), r.namespace());
        virtualServicesByGateway.add(ref.key(), r);
        mesh |= ref.isMesh();
        gatewayBound |= !ref.isMesh();
      }
    }
    for (JsonNode host : r.tree().path("spec").path("hosts")) {
      virtualServicesByHost.add("", Hosts.toFqdn(host.asText(), r.namespace(), settings.clusterDomain()), r);
      if (gatewayBound) {
        gatewayVirtualServicesByHostAsWritten.add("", host.asText(), r);
      }
    }
    for (JsonNode http : r.tree().path("spec").path("http")) {
      for (JsonNode route : http.path("route")) {
        String destination = route.path("destination").path("host").asText();
        if (!destination.isEmpty()) {
          virtualServicesByHttpDestination.add("", Hosts.toFqdn(destination, r.namespace(), settings.clusterDomain()), r);
        }
      }
    }
    indexSubsetRoutes(r);
    indexGatewayHosts(r);
    for (JsonNode route : r.tree().path("spec").path("http")) {
      JsonNode delegate = route.path("delegate");
      String name = delegate.path("name").asText("");
      if (!name.isEmpty()) {
        String namespace = delegate.path("namespace").asText("");
        virtualServicesByDelegate.addOnce((namespace.isEmpty() ? r.namespace() : namespace) + "/" + name, r);
      }
    }
    if (mesh) {
      String export = exportedEverywhere(r) ? "*" : "some";
      for (JsonNode host : r.tree().path("spec").path("hosts")) {
        String fqdn = Hosts.toFqdn(host.asText(), r.namespace(), settings.clusterDomain());
        meshVirtualServicesByHost.addOnce(fqdn, r);
        meshVirtualServicesByExportAndHost.add(export, fqdn, r);
      }
    }
  }

  private void indexDestinationRule(Resource r) {
    String host = r.tree().path("spec").path("host").asText();
    if (!host.isEmpty()) {
      destinationRulesByHost.add("", Hosts.toFqdn(host, r.namespace(), settings.clusterDomain()), r);
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
        gatewayVirtualServicesByHost.addOnce(key, r);
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
          subsetVirtualServicesByHost.addOnce(host, r);
        }
      }
    }
  }

  private void addWorkload(Resource r) {
    Workload w = Workload.of(r);
    if (w == null) {
      return;
    }
    workloads.add("", w);
    workloadsByNamespace.add(w.namespace(), w);
    for (Map.Entry<String, String> label : w.labels().entrySet()) {
      String key = label.getKey() + "=" + label.getValue();
      workloadsByLabel.add(key, w);
      // By namespace too: a label such as app=api recurs in every team's namespace.
      workloadsByLabel.add(w.namespace() + "|" + key, w);
    }
    workloadByOwner.put(r, w);
    workloadsByServiceAccount.add(w.namespace() + "/" + w.serviceAccount(), w);
  }
}
