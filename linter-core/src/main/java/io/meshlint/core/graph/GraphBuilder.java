package io.meshlint.core.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rules.egress.ExternalHostWithoutServiceEntry;
import io.meshlint.core.rules.egress.ExternalHosts.Endpoint;
import io.meshlint.core.rules.virtualservice.ReferencedResourceNotFound;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link Graph} of a lint run from the mesh index the rules read and the findings they
 * produced: routing comes from the resources, markings from the findings. A dangling reference is
 * drawn where {@code IST0101} points ({@code spec.gateways[i]}, {@code ...destination.host},
 * {@code ...destination.subset}); the findings of {@code MSH1002} on workloads mark the external host
 * they name; subset findings ({@code IST0173}) mark the subset; any other finding marks the node of
 * its resource.
 *
 * <p>With context files, only reported resources and their neighbours are drawn.
 */
public final class GraphBuilder {
  static final String DANGLING_CODE = "IST0101";
  static final String EXTERNAL_HOST_CODE = "MSH1002";

  private final MeshView mesh;
  private final String clusterDomain;
  private final Map<ResourceKey, List<Finding>> findingsByResource = new HashMap<>();
  private final Set<Finding> placed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, Draft> nodes = new LinkedHashMap<>();
  private final Map<ResourceKey, String> nodeOfResource = new HashMap<>();
  private final List<EdgeDraft> edges = new ArrayList<>();
  private final List<Finding> findings;

  private GraphBuilder(MeshIndex index, List<Finding> findings) {
    this.mesh = index.view();
    this.clusterDomain = index.settings().clusterDomain();
    this.findings = findings;
    for (Finding f : findings) {
      if (f.resource() != null) {
        findingsByResource.computeIfAbsent(f.resource(), k -> new ArrayList<>()).add(f);
      }
    }
  }

  /** The graph of a run: {@code index} and {@code findings} as {@code Linter.run} returns them. */
  public static Graph build(MeshIndex index, List<Finding> findings) {
    return new GraphBuilder(index, findings).build();
  }

  private Graph build() {
    mesh.resources(Kinds.GATEWAY).forEach(this::gateway);
    mesh.resources(Kinds.SERVICE).forEach(this::service);
    mesh.resources(Kinds.SERVICE_ENTRY).forEach(this::serviceEntry);
    List<Workload> workloads = mesh.workloadsMatching(null, Map.of());
    workloads.forEach(this::workload);
    mesh.resources(Kinds.DESTINATION_RULE).forEach(this::destinationRule);
    mesh.resources(Kinds.VIRTUAL_SERVICE).forEach(this::virtualService);
    mesh.resources(Kinds.SERVICE).forEach(this::selects);
    mesh.resources(Kinds.SERVICE_ENTRY).forEach(this::selects);
    workloads.forEach(this::calls);
    markTheRest();
    return prune();
  }

  // --- nodes -------------------------------------------------------------------------------------

  private void gateway(Resource g) {
    Draft n = resourceNode(g, Node.Type.GATEWAY);
    for (JsonNode server : g.tree().path("spec").path("servers")) {
      List<String> hosts = new ArrayList<>();
      for (JsonNode h : server.path("hosts")) {
        hosts.add(h.asText());
        n.hosts.add(GatewayHost.parse(h.asText()).host());
      }
      JsonNode port = server.path("port");
      n.details.add(port.path("protocol").asText("?") + " " + port.path("number").asText("?") + ": "
          + String.join(", ", hosts));
    }
    JsonNode selector = g.tree().path("spec").path("selector");
    if (selector.isObject() && !selector.isEmpty()) {
      n.details.add("selector " + MeshIndex.selectorKey(selector));
    }
  }

  private void service(Resource s) {
    Draft n = resourceNode(s, Node.Type.SERVICE);
    String fqdn = s.name() + "." + s.namespace() + ".svc." + clusterDomain;
    n.hosts.addAll(List.of(s.name(), s.name() + "." + s.namespace(), s.name() + "." + s.namespace() + ".svc", fqdn));
    List<String> ports = new ArrayList<>();
    for (JsonNode p : s.tree().path("spec").path("ports")) {
      String target = p.path("targetPort").asText("");
      ports.add(p.path("port").asText("?") + (target.isEmpty() || target.equals(p.path("port").asText()) ? "" : "→" + target)
          + (p.has("name") ? "/" + p.path("name").asText() : ""));
    }
    if (!ports.isEmpty()) {
      n.details.add("ports " + String.join(", ", ports));
    }
    JsonNode selector = s.tree().path("spec").path("selector");
    if (selector.isObject() && !selector.isEmpty()) {
      n.details.add("selector " + MeshIndex.selectorKey(selector));
    }
  }

  private void serviceEntry(Resource se) {
    Draft n = resourceNode(se, Node.Type.SERVICE_ENTRY);
    JsonNode spec = se.tree().path("spec");
    n.external = !"MESH_INTERNAL".equals(spec.path("location").asText("MESH_EXTERNAL"));
    List<String> hosts = new ArrayList<>();
    spec.path("hosts").forEach(h -> hosts.add(h.asText()));
    n.hosts.addAll(hosts);
    n.details.add((n.external ? "external: " : "internal: ") + String.join(", ", hosts));
    List<String> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      ports.add(p.path("number").asText("?") + "/" + p.path("protocol").asText("?"));
    }
    if (!ports.isEmpty()) {
      n.details.add("ports " + String.join(", ", ports));
    }
  }

  private void workload(Workload w) {
    Resource owner = w.owner();
    Draft n = node(owner.kindKey() + "/" + owner.namespace() + "/" + owner.name(), Node.Type.WORKLOAD, owner.key(),
        owner.namespace(), owner.name(), owner.reported());
    nodeOfResource.putIfAbsent(owner.key(), n.id);
    if (!w.labels().isEmpty()) {
      n.details.add("labels " + labels(w.labels()));
    }
  }

  private void destinationRule(Resource dr) {
    JsonNode spec = dr.tree().path("spec");
    String host = spec.path("host").asText("");
    Trees.forEach(spec.path("subsets"), FieldPath.of("spec", "subsets"), (subset, path) -> {
      String name = subset.path("name").asText("");
      Draft n = node(subsetId(dr, name), Node.Type.SUBSET, dr.key(), dr.namespace(), name + " of " + host,
          dr.reported());
      n.hosts.add(host);
      n.hosts.add(Hosts.toFqdn(host, dr.namespace(), clusterDomain));
      Map<String, String> labels = Resource.stringMap(subset.path("labels"));
      n.details.add("DestinationRule " + dr.name());
      if (!labels.isEmpty()) {
        n.details.add("labels " + labels(labels));
      }
      for (Finding f : findingsUnder(dr.key(), path)) {
        n.marks.add(Mark.of(f));
        placed.add(f);
      }
      String provider = hostProvider(host, dr.namespace());
      if (provider != null) {
        edge(n.id, provider, Edge.Type.SUBSET_OF, null, null, null);
      }
    });
  }

  // --- VirtualServices -----------------------------------------------------------------------------

  private void virtualService(Resource vs) {
    Draft n = resourceNode(vs, Node.Type.VIRTUAL_SERVICE);
    JsonNode spec = vs.tree().path("spec");
    List<String> hosts = new ArrayList<>();
    spec.path("hosts").forEach(h -> hosts.add(h.asText()));
    for (String h : hosts) {
      n.hosts.add(h);
      n.hosts.add(Hosts.toFqdn(h, vs.namespace(), clusterDomain));
    }
    n.details.add("hosts " + String.join(", ", hosts));
    List<String> gatewayNames = new ArrayList<>();
    spec.path("gateways").forEach(g -> gatewayNames.add(g.asText()));
    n.details.add("gateways " + (gatewayNames.isEmpty() ? "mesh" : String.join(", ", gatewayNames)));

    Trees.forEach(spec.path("gateways"), FieldPath.of("spec", "gateways"), (g, path) -> {
      GatewayRef ref = GatewayRef.parse(g.asText(), vs.namespace());
      if (ref.isMesh()) {
        return;
      }
      Resource gateway = mesh.gateway(ref);
      if (gateway != null) {
        edge(nodeOfResource.get(gateway.key()), n.id, Edge.Type.BINDS, null, servedHosts(gateway, hosts), null);
      } else {
        Finding f = finding(vs.key(), DANGLING_CODE, path);
        Draft missing = missing(Node.Type.GATEWAY, ref.namespace(), ref.name(), null, f);
        edge(missing.id, n.id, Edge.Type.BINDS, null, null, f);
      }
    });
    FieldPath specPath = FieldPath.of("spec");
    for (String protocol : new String[] {"http", "tcp", "tls"}) {
      Trees.forEach(spec.path(protocol), specPath.key(protocol), (route, routePath) -> {
        String match = matchSummary(protocol, route.path("match"));
        Set<Edge.Flag> flags = EnumSet.noneOf(Edge.Flag.class);
        if (protocol.equals("http")) {
          if (route.has("fault")) {
            flags.add(Edge.Flag.FAULT);
          }
          if (route.has("retries")) {
            flags.add(Edge.Flag.RETRIES);
          }
          if (route.has("timeout")) {
            flags.add(Edge.Flag.TIMEOUT);
          }
          if (route.has("mirror") || route.has("mirrors")) {
            flags.add(Edge.Flag.MIRROR);
          }
        }
        JsonNode destinations = route.path("route");
        Trees.forEach(destinations, routePath.key("route"), (d, dPath) -> {
          Integer weight = d.has("weight") ? Integer.valueOf(d.path("weight").asInt())
              : destinations.size() == 1 ? Integer.valueOf(100) : null;
          destination(vs, n, d.path("destination"), dPath.key("destination"), Edge.Type.ROUTE, protocol, weight, match,
              flags);
        });
        if (route.path("mirror").has("host")) {
          JsonNode pct = route.path("mirrorPercentage").path("value");
          Integer weight = pct.isNumber() ? Integer.valueOf((int) Math.round(pct.asDouble()))
              : route.path("mirrorPercent").isNumber() ? Integer.valueOf(route.path("mirrorPercent").asInt()) : null;
          destination(vs, n, route.path("mirror"), routePath.key("mirror"), Edge.Type.MIRROR, protocol, weight, match,
              EnumSet.noneOf(Edge.Flag.class));
        }
        Trees.forEach(route.path("mirrors"), routePath.key("mirrors"), (m, mPath) -> {
          JsonNode pct = m.path("percentage").path("value");
          Integer weight = pct.isNumber() ? Integer.valueOf((int) Math.round(pct.asDouble())) : null;
          destination(vs, n, m.path("destination"), mPath.key("destination"), Edge.Type.MIRROR, protocol, weight,
              match, EnumSet.noneOf(Edge.Flag.class));
        });
      });
    }
  }

  /** An edge from the VirtualService to what a destination names, or to a missing node. */
  private void destination(Resource vs, Draft from, JsonNode destination, FieldPath path, Edge.Type type,
      String protocol, Integer weight, String match, Set<Edge.Flag> flags) {
    String host = destination.path("host").asText("");
    if (host.isEmpty()) {
      return;
    }
    String subset = destination.path("subset").asText("");
    JsonNode portNode = destination.path("port").path("number");
    Edge.Route route = new Edge.Route(protocol, weight, subset.isEmpty() ? null : subset,
        portNode.isNumber() ? Integer.valueOf(portNode.asInt()) : null, match, flags, path.toString());
    String target = Hosts.isWildcard(host) ? hostNode(host, false).id : hostProvider(host, vs.namespace());
    if (target == null) {
      Finding f = finding(vs.key(), DANGLING_CODE, path.key("host"));
      edge(from.id, missing(Node.Type.HOST, vs.namespace(), host, host, f).id, type, route, null, f);
      return;
    }
    if (!subset.isEmpty() && !Hosts.isWildcard(host)) {
      Resource dr = ReferencedResourceNotFound.destinationRuleDefining(mesh, vs.namespace(), host, subset);
      if (dr != null) {
        target = subsetId(dr, subset);
      } else {
        Finding f = finding(vs.key(), DANGLING_CODE, path.key("subset"));
        target = missing(Node.Type.SUBSET, vs.namespace(), subset + " of " + host, host, f).id;
        edge(from.id, target, type, route, null, f);
        return;
      }
    }
    edge(from.id, target, type, route, null, null);
  }

  /** The VirtualService's hosts that a server of the Gateway serves, for the binding's label. */
  private static String servedHosts(Resource gateway, List<String> vsHosts) {
    Set<String> served = new LinkedHashSet<>();
    for (JsonNode server : gateway.tree().path("spec").path("servers")) {
      for (JsonNode h : server.path("hosts")) {
        String gwHost = GatewayHost.parse(h.asText()).host();
        for (String vsHost : vsHosts) {
          if (Hosts.intersect(gwHost, vsHost)) {
            served.add(vsHost + ":" + server.path("port").path("number").asText("?"));
          }
        }
      }
    }
    return String.join(", ", served);
  }

  /** {@code prefix /api, header end-user | exact /}: each match's conditions, matches separated by |. */
  static String matchSummary(String protocol, JsonNode matches) {
    if (!matches.isArray() || matches.isEmpty()) {
      return null;
    }
    List<String> alternatives = new ArrayList<>();
    for (JsonNode m : matches) {
      List<String> parts = new ArrayList<>();
      if (protocol.equals("http")) {
        for (String field : new String[] {"uri", "authority", "scheme", "method"}) {
          JsonNode cond = m.path(field);
          cond.fieldNames().forEachRemaining(how -> parts.add(
              (field.equals("uri") ? "" : field + " ") + how + " " + cond.path(how).asText()));
        }
        m.path("headers").fieldNames().forEachRemaining(k -> parts.add("header " + k
            + (m.path("headers").path(k).has("exact") ? "=" + m.path("headers").path(k).path("exact").asText() : "")));
        m.path("queryParams").fieldNames().forEachRemaining(k -> parts.add("query " + k));
      } else {
        List<String> sni = new ArrayList<>();
        m.path("sniHosts").forEach(h -> sni.add(h.asText()));
        if (!sni.isEmpty()) {
          parts.add("sni " + String.join(",", sni));
        }
      }
      if (m.has("port")) {
        parts.add("port " + m.path("port").asText());
      }
      if (m.path("sourceLabels").isObject() && !m.path("sourceLabels").isEmpty()) {
        parts.add("from " + MeshIndex.selectorKey(m.path("sourceLabels")));
      }
      if (m.has("sourceNamespace")) {
        parts.add("from ns " + m.path("sourceNamespace").asText());
      }
      if (m.path("gateways").isArray() && !m.path("gateways").isEmpty()) {
        List<String> gws = new ArrayList<>();
        m.path("gateways").forEach(g -> gws.add(g.asText()));
        parts.add("via " + String.join(",", gws));
      }
      if (parts.isEmpty()) {
        return null; // one alternative matches everything
      }
      alternatives.add(String.join(", ", parts));
    }
    String summary = String.join(" | ", alternatives);
    return summary.length() > 60 ? summary.substring(0, 59) + "…" : summary;
  }

  // --- workloads -------------------------------------------------------------------------------------

  /** Service (or ServiceEntry with a workload selector) to the workloads it selects. */
  private void selects(Resource r) {
    JsonNode selector = r.kind().equals(Kinds.SERVICE) ? r.tree().path("spec").path("selector")
        : r.tree().path("spec").path("workloadSelector").path("labels");
    Map<String, String> labels = Resource.stringMap(selector);
    if (labels.isEmpty()) {
      return;
    }
    for (Workload w : mesh.workloadsMatching(r.namespace(), labels)) {
      edge(nodeOfResource.get(r.key()), workloadId(w), Edge.Type.SELECTS, null, null, null);
    }
  }

  /** Workload to the external hosts MSH1002's discovery finds in it. */
  private void calls(Workload w) {
    String namespace = w.namespace();
    Map<String, Endpoint> external = new LinkedHashMap<>();
    ExternalHostWithoutServiceEntry.discover(w, mesh, (endpoints, path, source) -> {
      for (Endpoint e : endpoints) {
        String host = e.host().toLowerCase(Locale.ROOT);
        if (ExternalHostWithoutServiceEntry.isExternal(mesh, host, namespace)) {
          external.putIfAbsent(host, e);
        }
      }
    });
    for (Map.Entry<String, Endpoint> e : external.entrySet()) {
      String host = e.getKey();
      List<Resource> entries = mesh.serviceEntriesFor(host, namespace);
      String target;
      if (!entries.isEmpty()) {
        target = nodeOfResource.get(entries.get(0).key());
      } else {
        Draft hostNode = hostNode(host, true);
        for (Finding f : findingsByResource.getOrDefault(w.owner().key(), List.of())) {
          if (f.rule().code().equals(EXTERNAL_HOST_CODE) && host.equals(ExternalHostWithoutServiceEntry.reportedHost(f.message()))) {
            hostNode.marks.add(Mark.of(f));
            placed.add(f);
          }
        }
        target = hostNode.id;
      }
      edge(workloadId(w), target, Edge.Type.CALLS, null, e.getValue().what() + " :" + e.getValue().port(), null);
    }
  }

  // --- markings ------------------------------------------------------------------------------------

  /** Findings not drawn yet mark the node of their resource, when it has one. */
  private void markTheRest() {
    for (Finding f : findings) {
      if (placed.contains(f) || f.resource() == null) {
        continue;
      }
      String id = nodeOfResource.get(f.resource());
      if (id != null) {
        nodes.get(id).marks.add(Mark.of(f));
        placed.add(f);
      }
    }
  }

  /**
   * Keeps reported nodes and their neighbours, and the edges touching a reported node; without
   * context files every input is reported, so only assumed defaults (the default ingress gateway)
   * that nothing routes to drop out.
   */
  private Graph prune() {
    Set<String> keep = new LinkedHashSet<>();
    nodes.values().stream().filter(n -> n.reported).forEach(n -> keep.add(n.id));
    List<Edge> keptEdges = new ArrayList<>();
    for (EdgeDraft e : edges) {
      if (keep.contains(e.from) || keep.contains(e.to)) {
        keptEdges.add(new Edge(e.from, e.to, e.type, e.route, e.note, e.finding != null,
            e.finding == null ? List.of() : List.of(Mark.of(e.finding))));
      }
    }
    keptEdges.forEach(e -> {
      keep.add(e.from());
      keep.add(e.to());
    });
    List<Node> kept = nodes.values().stream().filter(n -> keep.contains(n.id))
        .sorted(Comparator.comparing((Draft n) -> n.type.ordinal())
            .thenComparing(n -> n.namespace == null ? "\uffff" : n.namespace)
            .thenComparing(n -> n.name)
            .thenComparing(n -> n.id))
        .map(Draft::toNode)
        .toList();
    return new Graph(kept, keptEdges, findings);
  }

  // --- helpers -------------------------------------------------------------------------------------

  /** The node of the Service or ServiceEntry that provides a host seen from a namespace, or null. */
  private String hostProvider(String host, String fromNamespace) {
    if (host.isEmpty() || Hosts.isWildcard(host)) {
      return null;
    }
    Resource service = mesh.service(host, fromNamespace);
    if (service != null) {
      return nodeOfResource.get(service.key());
    }
    List<Resource> entries = mesh.serviceEntriesFor(host, fromNamespace);
    return entries.isEmpty() ? null : nodeOfResource.get(entries.get(0).key());
  }

  private Draft resourceNode(Resource r, Node.Type type) {
    Draft n = node(r.kindKey() + "/" + r.namespace() + "/" + r.name(), type, r.key(), r.namespace(), r.name(),
        r.reported());
    nodeOfResource.putIfAbsent(r.key(), n.id);
    return n;
  }

  private Draft hostNode(String host, boolean external) {
    Draft n = node("host:" + host, Node.Type.HOST, null, null, host, false);
    n.external = external;
    if (n.hosts.isEmpty()) {
      n.hosts.add(host);
      n.details.add(external ? "no ServiceEntry declares it" : "no Service or ServiceEntry");
    }
    return n;
  }

  /** The node of something a reference names that the inputs do not define, marked with the finding if any. */
  private Draft missing(Node.Type standsFor, String namespace, String name, String host, Finding f) {
    Draft n = node("missing:" + standsFor.display() + "/" + namespace + "/" + name, Node.Type.MISSING, null,
        namespace, name, false);
    n.standsFor = standsFor;
    if (n.details.isEmpty()) {
      if (host != null) {
        n.hosts.add(host);
        n.hosts.add(Hosts.toFqdn(host, namespace, clusterDomain));
      }
      n.details.add("not found");
    }
    if (f != null) {
      n.marks.add(Mark.of(f));
      placed.add(f);
    }
    return n;
  }

  private Draft node(String id, Node.Type type, ResourceKey resource, String namespace, String name,
      boolean reported) {
    return nodes.computeIfAbsent(id, k -> new Draft(id, type, resource, namespace, name, reported));
  }

  private void edge(String from, String to, Edge.Type type, Edge.Route route, String note, Finding finding) {
    if (from == null || to == null) {
      return;
    }
    if (finding != null) {
      placed.add(finding);
    }
    edges.add(new EdgeDraft(from, to, type, route, note == null || note.isEmpty() ? null : note, finding));
  }

  private static String subsetId(Resource dr, String subset) {
    return dr.kindKey() + "/" + dr.namespace() + "/" + dr.name() + "#" + subset;
  }

  private static String workloadId(Workload w) {
    Resource owner = w.owner();
    return owner.kindKey() + "/" + owner.namespace() + "/" + owner.name();
  }

  private Finding finding(ResourceKey resource, String code, FieldPath path) {
    for (Finding f : findingsByResource.getOrDefault(resource, List.of())) {
      if (f.rule().code().equals(code) && path.equals(f.path())) {
        return f;
      }
    }
    return null;
  }

  /** Findings of a resource at {@code prefix} or below it. */
  private List<Finding> findingsUnder(ResourceKey resource, FieldPath prefix) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findingsByResource.getOrDefault(resource, List.of())) {
      if (f.path() != null && startsWith(f.path(), prefix)) {
        out.add(f);
      }
    }
    return out;
  }

  private static boolean startsWith(FieldPath path, FieldPath prefix) {
    if (path.size() < prefix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      if (!path.segment(i).equals(prefix.segment(i))) {
        return false;
      }
    }
    return true;
  }

  private static String labels(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(labels).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  /** A node while the graph is being built. */
  private static final class Draft {
    final String id;
    final Node.Type type;
    final ResourceKey resource;
    final String namespace;
    final String name;
    final boolean reported;
    final List<String> details = new ArrayList<>();
    final List<String> hosts = new ArrayList<>();
    final List<Mark> marks = new ArrayList<>();
    boolean external;
    Node.Type standsFor;

    Draft(String id, Node.Type type, ResourceKey resource, String namespace, String name, boolean reported) {
      this.id = id;
      this.type = type;
      this.resource = resource;
      this.namespace = namespace;
      this.name = name;
      this.reported = reported;
    }

    Node toNode() {
      return new Node(id, type, resource, namespace, name, List.copyOf(details), List.copyOf(new LinkedHashSet<>(hosts)),
          external, reported, standsFor, List.copyOf(marks));
    }
  }

  private record EdgeDraft(String from, String to, Edge.Type type, Edge.Route route, String note, Finding finding) {}
}
