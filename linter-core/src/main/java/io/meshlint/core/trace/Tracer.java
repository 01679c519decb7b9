package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.PeerAuthentications;
import io.meshlint.core.mesh.Protocols;
import io.meshlint.core.mesh.Sidecars;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.trace.Trace.Destination;
import io.meshlint.core.trace.Trace.Hop;
import io.meshlint.core.trace.Trace.Outcome;
import io.meshlint.core.trace.Trace.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows one request through the mesh the inputs configure and says what Istio would do with it:
 * the Gateway server and VirtualService rule that take it (or why none does), the route's action,
 * the destinations with the DestinationRule, endpoints, client TLS and authorization that apply,
 * through egress gateways when a route leads to one. It reads the same {@link MeshIndex} as lint,
 * so a trace costs lookups, not a pass over the mesh.
 *
 * <p>The semantics are Istio's (pilot's route, virtual host, cluster and RBAC building); where a
 * choice depends on what only a live cluster knows (IP addresses, JWTs, the age of objects without
 * a {@code creationTimestamp}), the trace says what it assumed.
 */
public final class Tracer {
  /** How many gateways a request may pass before the trace stops (a route loop). */
  private static final int MAX_GATEWAYS = 4;
  private static final Set<String> TERMINATING = Set.of("SIMPLE", "MUTUAL", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL");

  private final MeshView mesh;
  private final Registry registry;
  private final VirtualServices virtualServices;
  private final Authorizer authorizer;

  public Tracer(MeshIndex index) {
    this.mesh = index.view();
    this.registry = new Registry(mesh);
    this.virtualServices = new VirtualServices(mesh);
    this.authorizer = new Authorizer(mesh);
  }

  /**
   * Traces the request. A source the inputs do not define, or a host and port no Gateway exposes
   * (for {@code --from gateway}), is an {@link IllegalArgumentException}: a usage error.
   */
  public Trace trace(Request request) {
    TraceRun run = new TraceRun(request);
    Request.Source from = request.from();
    switch (from.kind()) {
      case GATEWAY -> {
        Resource gateway = from.anyGateway() ? exposing(request) : mesh.get(Kinds.GATEWAY, from.namespace(), from.name());
        if (gateway == null) {
          throw new IllegalArgumentException("no Gateway " + from.namespace() + "/" + from.name() + " among the inputs");
        }
        run.from = gateway.key();
        viaGateway(run, gateway, !from.anyGateway(), request, 100, 0, false);
      }
      case WORKLOAD -> {
        Workload w = workload(from.namespace(), from.name());
        run.from = w.owner().key();
        Resource ns = mesh.namespace(w.namespace());
        boolean proxy = w.hasProxy(ns);
        Client client = new Client(w.namespace(), w.labels(), w.serviceAccount(), GatewayRef.MESH, w,
            proxy ? Sidecars.applying(w.namespace(), w.labels(), mesh) : null, proxy);
        fromSidecar(run, client, request);
      }
      case NAMESPACE -> {
        if (Boolean.FALSE.equals(mesh.namespaceKnown(from.namespace()))) {
          throw new IllegalArgumentException("no namespace " + from.namespace() + " among the inputs");
        }
        run.from = new ResourceKey(Kinds.NAMESPACE, null, from.namespace());
        run.note("from any injected workload of namespace " + from.namespace() + ": its labels and service account are not known");
        Client client = new Client(from.namespace(), Map.of(), null, GatewayRef.MESH, null,
            Sidecars.applying(from.namespace(), null, mesh), true);
        fromSidecar(run, client, request);
      }
    }
    return run.finish();
  }

  // --- sources ---------------------------------------------------------------------------------

  /** The workload {@code ns/name}: a controller of that name (a Deployment first), else a Pod. */
  private Workload workload(String namespace, String name) {
    Workload found = null;
    for (Workload w : mesh.workloads(namespace)) {
      if (w.owner().name().equals(name) && (found == null || rank(w) < rank(found))) {
        found = w;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("no workload " + namespace + "/" + name + " (a Pod or a controller of pods)"
          + " among the inputs");
    }
    return found;
  }

  private static int rank(Workload w) {
    int i = List.of(Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB).indexOf(w.owner().kindKey());
    return i >= 0 ? i : w.isPod() ? Integer.MAX_VALUE : Integer.MAX_VALUE - 1;
  }

  /**
   * The Gateway whose server exposes the request's host and port: the most specific server host
   * wins (exact, then longer wildcards), servers of the request's protocol first.
   */
  private Resource exposing(Request request) {
    Resource best = null;
    long bestScore = Long.MIN_VALUE;
    List<Resource> gateways = mesh.resources(Kinds.GATEWAY).stream()
        .sorted(Comparator.comparing((Resource g) -> g.namespace()).thenComparing(Resource::name)).toList();
    List<String> onPort = new ArrayList<>();
    for (Resource g : gateways) {
      for (GatewayServer server : GatewayServer.onPort(g, request.port())) {
        onPort.add(g.namespace() + "/" + g.name());
        int specificity = server.hostSpecificity(request.host(), null);
        if (specificity < 0) {
          continue;
        }
        long score = (server.accepts(request, false) ? 1L << 32 : 0) + specificity;
        if (score > bestScore) {
          best = g;
          bestScore = score;
        }
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no Gateway exposes " + request.host() + ":" + request.port()
          + (onPort.isEmpty() ? " (no Gateway has a server on port " + request.port() + ")"
          : " (servers on port " + request.port() + ": " + String.join(", ", onPort.stream().distinct().toList()) + ")")
          + "; name one with --from gateway:NS/NAME or trace from a workload");
    }
    return best;
  }

  // --- gateways --------------------------------------------------------------------------------

  /**
   * The request through a gateway proxy: the proxy that runs {@code gateway} (and, unless
   * {@code only}, every Gateway selecting the same proxy, which Istio merges), its server for the
   * port and host, then the routes of the VirtualServices bound to it.
   */
  private void viaGateway(TraceRun run, Resource gateway, boolean only, Request request, double share, int depth,
      boolean meshTls) {
    if (depth >= MAX_GATEWAYS) {
      run.fail(new Outcome(Result.NO_ROUTE, null, "the request passes more than " + MAX_GATEWAYS
          + " gateways: the routes loop"), share);
      return;
    }
    Map<String, String> selector = Resource.stringMap(gateway.tree().path("spec").path("selector"));
    List<Workload> proxies = selector.isEmpty() ? List.of() : mesh.workloadsMatching(null, selector).stream()
        .sorted(Comparator.comparing((Workload w) -> !w.namespace().equals(gateway.namespace()))).toList();
    if (proxies.isEmpty()) {
      run.hop(gateway, FieldPath.of("spec", "selector"), "selects no gateway workload");
      run.fail(new Outcome(Result.NO_ROUTE, request.isTcp() || request.isTls() ? null : 404, "Gateway "
          + Registry.name(gateway) + " selects no workload (selector " + MeshIndex.selectorKey(gateway.tree()
          .path("spec").path("selector")) + "): no gateway proxy serves it"), share);
      return;
    }
    Workload proxy = proxies.get(0);
    Client client = new Client(proxy.namespace(), proxy.labels(), proxy.serviceAccount(),
        gateway.namespace() + "/" + gateway.name(), proxy, null, true);
    List<Resource> merged = new ArrayList<>(List.of(gateway));
    if (!only) {
      mesh.resources(Kinds.GATEWAY).stream()
          .filter(g -> g != gateway && proxy.matches(Resource.stringMap(g.tree().path("spec").path("selector")))
              && !Resource.stringMap(g.tree().path("spec").path("selector")).isEmpty())
          .sorted(Comparator.comparing((Resource g) -> g.namespace()).thenComparing(Resource::name))
          .forEach(merged::add);
    }
    List<GatewayServer> onPort = new ArrayList<>();
    merged.forEach(g -> onPort.addAll(GatewayServer.onPort(g, request.port())));
    GatewayServer chosen = null;
    GatewayServer otherProtocol = null;
    int best = -1;
    for (GatewayServer s : onPort) {
      int specificity = s.hostSpecificity(request.host(), null);
      if (specificity > best && s.accepts(request, meshTls)) {
        chosen = s;
        best = specificity;
      } else if (specificity >= 0 && otherProtocol == null) {
        otherProtocol = s;
      }
    }
    Integer notFound = request.isTcp() || request.isTls() ? null : 404;
    if (chosen == null) {
      if (otherProtocol != null) {
        run.hop(otherProtocol.gateway(), otherProtocol.path(), "port " + request.port() + " "
            + otherProtocol.protocol() + " does not take a " + request.scheme() + " request");
        run.fail(new Outcome(Result.NO_ROUTE, notFound, "the server for " + request.host() + ":" + request.port()
            + " of Gateway " + Registry.name(otherProtocol.gateway()) + " expects " + otherProtocol.protocol()
            + ", not " + request.scheme()), share);
      } else {
        run.hop(gateway, FieldPath.of("spec", "servers"), "no server lists " + request.host() + " on port " + request.port());
        run.fail(new Outcome(Result.NO_ROUTE, notFound, "no server of Gateway " + Registry.name(gateway)
            + " exposes " + request.host() + ":" + request.port() + boundElsewhere(run, merged, request.host())), share);
      }
      return;
    }
    String mode = chosen.tlsMode();
    String protocol = chosen.protocol();
    StringBuilder note = new StringBuilder("port " + request.port() + " " + protocol + ", hosts "
        + chosen.node().path("hosts") + " take " + request.host());
    if (depth > 0 || merged.size() > 1) {
      note.append(" (proxy ").append(proxy.owner().kind()).append(' ').append(Registry.name(proxy.owner())).append(')');
    }
    if (mode != null && chosen.isTls()) {
      note.append(TERMINATING.contains(mode) ? "; terminates TLS (" + mode + ")" : "; TLS " + mode + " by SNI");
      if (mode.equals("MUTUAL")) {
        note.append(": the client must present a certificate");
      }
    }
    boolean redirect = !protocol.equals("HTTPS") && chosen.node().path("tls").path("httpsRedirect").asBoolean(false);
    if (redirect) {
      note.append("; httpsRedirect");
    }
    run.hop(chosen.gateway(), chosen.path(), note.toString());
    if (redirect && !request.isTcp()) {
      run.effects.redirect = chosen.node().path("tls");
      run.end(new Outcome(Result.REDIRECT, 301, "httpsRedirect on Gateway " + Registry.name(chosen.gateway())
          + ": redirected to https://" + request.host() + request.path()));
      return;
    }
    boolean tlsServer = chosen.isTls();
    if (tlsServer && "AUTO_PASSTHROUGH".equals(mode)) {
      autoPassthrough(run, client, request, share, depth);
      return;
    }
    List<GatewayServer> routeServers = new ArrayList<>();
    String section;
    if (tlsServer && !TERMINATING.contains(mode)) {
      section = "tls";
      routeServers.add(chosen);
    } else if (protocol.equals("TLS") || request.isTcp()) {
      section = "tcp";
      routeServers.add(chosen);
    } else {
      section = "http";
      if (tlsServer) {
        routeServers.add(chosen);
      } else {
        // Plain HTTP servers of one port share one route table: their hosts' virtual hosts all apply.
        onPort.stream().filter(s -> s.accepts(request, meshTls)).forEach(routeServers::add);
      }
    }
    List<Entry> entries = gatewayEntries(routeServers, client, request.host(), section);
    if (entries.isEmpty()) {
      run.fail(new Outcome(Result.NO_ROUTE, notFound, "no VirtualService bound to Gateway " + Registry.name(chosen.gateway())
          + " serves " + request.host() + " with " + section + " routes" + hiddenBindings(routeServers, client, request.host())
          + boundElsewhere(run, merged, request.host())),
          share);
      return;
    }
    route(run, entries, section, request, share, depth);
  }

  /** Why VirtualServices that name the host and the Gateway are not taken, for the no-route reason. */
  private String hiddenBindings(List<GatewayServer> servers, Client client, String host) {
    List<String> why = new ArrayList<>();
    for (GatewayServer s : servers) {
      for (Resource vs : mesh.virtualServicesBoundTo(new GatewayRef(s.gateway().namespace(), s.gateway().name()))) {
        boolean names = false;
        for (JsonNode h : vs.tree().path("spec").path("hosts")) {
          names |= Hosts.specificity(registry.qualify(h.asText().toLowerCase(Locale.ROOT), vs.namespace()), host) >= 0;
        }
        if (!names) {
          continue;
        }
        if (VirtualServices.visibility(vs, client.namespace()) < 0) {
          why.add("VirtualService " + Registry.name(vs) + " is not exported to the gateway proxy's namespace "
              + client.namespace());
        } else if (s.hostSpecificity(host, vs.namespace()) < 0) {
          why.add("server hosts " + s.node().path("hosts") + " do not admit VirtualService " + Registry.name(vs)
              + " of namespace " + vs.namespace());
        }
      }
    }
    return why.isEmpty() ? "" : " (" + String.join("; ", why.stream().distinct().toList()) + ")";
  }

  /**
   * The VirtualServices that name the host but bind none of these Gateways (a typo in a gateway
   * name, the seed's pitfall), as hops and in the no-route reason: lint's findings on them then
   * show in the trace.
   */
  private String boundElsewhere(TraceRun run, List<Resource> gateways, String host) {
    List<String> keys = gateways.stream().map(g -> g.namespace() + "/" + g.name()).toList();
    List<String> why = new ArrayList<>();
    for (Resource vs : mesh.resources(Kinds.VIRTUAL_SERVICE)) {
      JsonNode bound = vs.tree().path("spec").path("gateways");
      boolean names = false;
      for (JsonNode h : vs.tree().path("spec").path("hosts")) {
        names |= Hosts.specificity(registry.qualify(h.asText().toLowerCase(Locale.ROOT), vs.namespace()), host) >= 0;
      }
      List<String> refs = new ArrayList<>();
      bound.forEach(g -> refs.add(GatewayRef.parse(g.asText(), vs.namespace()).key()));
      if (names && !refs.isEmpty() && refs.stream().noneMatch(keys::contains) && !refs.equals(List.of(GatewayRef.MESH))) {
        run.hop(vs, FieldPath.of("spec", "gateways"), "names " + host + " but binds " + String.join(", ", refs));
        why.add("VirtualService " + Registry.name(vs) + " names " + host + " but binds Gateway "
            + String.join(", ", refs.stream().filter(r -> !r.equals(GatewayRef.MESH)).toList()));
      }
    }
    return why.isEmpty() ? "" : "; " + String.join("; ", why);
  }

  /** A VirtualService one proxy applies to a request, with the client it routes for. */
  private record Entry(Resource vs, Client client) {}

  /**
   * The VirtualServices a gateway applies to a host: bound to one of the servers' Gateways,
   * visible to the proxy's namespace, with a host that the server hosts (those admitting the
   * VirtualService's namespace) intersect; of the virtual hosts this makes, Envoy takes the most
   * specific domain covering the request's host, and Istio merges every VirtualService that made it.
   */
  private List<Entry> gatewayEntries(List<GatewayServer> servers, Client client, String host, String section) {
    Map<String, List<Entry>> byDomain = new LinkedHashMap<>();
    for (GatewayServer s : servers) {
      Resource g = s.gateway();
      List<Resource> bound = VirtualServices.ordered(mesh.virtualServicesBoundTo(new GatewayRef(g.namespace(), g.name())),
          client.namespace());
      for (Resource vs : bound) {
        if (!vs.tree().path("spec").path(section).isArray() || vs.tree().path("spec").path(section).isEmpty()) {
          continue;
        }
        for (String domain : s.intersections(vs, mesh.settings().clusterDomain())) {
          List<Entry> entries = byDomain.computeIfAbsent(domain, d -> new ArrayList<>());
          if (entries.stream().noneMatch(e -> e.vs() == vs)) {
            entries.add(new Entry(vs, client.forGateway(g)));
          }
        }
      }
    }
    String best = null;
    int bestScore = -1;
    for (String domain : byDomain.keySet()) {
      int score = Hosts.specificity(domain, host);
      if (score > bestScore) {
        best = domain;
        bestScore = score;
      }
    }
    return best == null ? List.of() : byDomain.get(best);
  }

  /** AUTO_PASSTHROUGH: the SNI names the cluster, {@code outbound_.PORT_.SUBSET_.HOST}; no VirtualService applies. */
  private void autoPassthrough(TraceRun run, Client client, Request request, double share, int depth) {
    String[] parts = request.host().split("_\\.", 4);
    if (parts.length != 4 || !parts[0].equals("outbound") || !parts[1].matches("\\d+")) {
      run.fail(new Outcome(Result.NO_ROUTE, null, "AUTO_PASSTHROUGH routes only SNIs of the form "
          + "outbound_.PORT_.SUBSET_.HOST (Istio's multi-network traffic), not " + request.host()), share);
      return;
    }
    int port = Integer.parseInt(parts[1]);
    run.note("the SNI names " + parts[3] + " port " + port + (parts[2].isEmpty() ? "" : " subset " + parts[2]));
    deliver(run, client, request, parts[3], port, parts[2].isEmpty() ? null : parts[2], share, depth);
  }

  // --- sidecars --------------------------------------------------------------------------------

  /** The request from a workload: through its sidecar's routes, or straight out when it has none. */
  private void fromSidecar(TraceRun run, Client client, Request request) {
    String fqdn = sourceFqdn(request.host(), client.namespace());
    if (!fqdn.equals(request.host())) {
      run.note(request.host() + " stands for " + fqdn + " in namespace " + client.namespace());
    }
    if (!client.proxy()) {
      direct(run, client, request, fqdn);
      return;
    }
    Registry.Lookup lookup = registry.find(fqdn, request.port(), client);
    if (lookup.hidden() != null && client.sidecar() != null && lookup.hidden().startsWith("Sidecar")) {
      run.hop(client.sidecar(), FieldPath.of("spec", "egress"), "does not import " + fqdn);
    }
    Resource target = lookup.target();
    Registry.Port port = target == null ? null : registry.port(target, request.port());
    if (target != null && port == null) {
      if (target.kind().equals(Kinds.SERVICE)) {
        // No listener of the sidecar routes this port for the Service: its ClusterIP refuses it.
        run.fail(new Outcome(Result.NO_ENDPOINTS, request.isTcp() || request.isTls() ? null : 503,
            "Service " + Registry.name(target) + " has no port " + request.port()), 100);
        return;
      }
      run.note("ServiceEntry " + Registry.name(target) + " declares no port " + request.port());
      target = null;
    }
    if (target == null && lookup.hidden() == null && registry.isClusterName(fqdn)) {
      // The application asks the cluster's DNS first: no Service, no address, no request.
      run.fail(new Outcome(Result.NO_ENDPOINTS, null, fqdn + " resolves to nothing: no Service provides it, so the"
          + " cluster's DNS has no address for it"), 100);
      return;
    }
    String section = request.isTcp() ? "tcp" : request.isTls() ? "tls" : "http";
    if (section.equals("http") && port != null && Protocols.isOpaque(port.protocol())) {
      run.note("port " + request.port() + " of " + target.kind() + " " + Registry.name(target) + " is "
          + port.protocol() + ": Istio routes it as TCP, HTTP rules do not apply");
      section = "tcp";
    }
    Entry entry = meshEntry(run, client, request, fqdn, target != null, section);
    if (entry != null) {
      route(run, List.of(entry), section, request, 100, 0);
      return;
    }
    if (target != null) {
      run.note("no VirtualService routes " + fqdn + ": the sidecar sends it to " + target.kind() + " "
          + Registry.name(target));
      deliver(run, client, request, fqdn, request.port(), null, 100, 0);
      return;
    }
    unknownHost(run, client, request, fqdn, lookup.hidden());
  }

  /**
   * The fully qualified name a workload's DNS gives a host: a name without dots is a Service of
   * the workload's namespace; {@code name.ns} and {@code name.ns.svc} name a Service when there is
   * one; any other name stays as written.
   */
  private String sourceFqdn(String host, String namespace) {
    if (!host.contains(".")) {
      return registry.qualify(host, namespace);
    }
    String fqdn = mesh.serviceFqdn(host, namespace);
    if (fqdn != null && !fqdn.equals(host)) {
      String[] parts = fqdn.split("\\.");
      if (mesh.get(Kinds.SERVICE, parts[1], parts[0]) != null) {
        return fqdn;
      }
    }
    return host;
  }

  /**
   * The VirtualService a sidecar applies to the host: bound to the mesh, visible to the source's
   * namespace and imported by its Sidecar, with the most specific host covering the request's;
   * of several with that host Istio keeps the first (private, exported, public; oldest first) and
   * ignores the others. A VirtualService for a host outside the registry applies on port 80 only.
   */
  private Entry meshEntry(TraceRun run, Client client, Request request, String fqdn, boolean registered, String section) {
    if (!registered && request.port() != 80) {
      return null;
    }
    List<Resource> candidates = VirtualServices.ordered(mesh.virtualServicesBoundTo(new GatewayRef(null, GatewayRef.MESH)),
        client.namespace());
    Map<Resource, Integer> scores = new LinkedHashMap<>();
    int best = -1;
    for (Resource vs : candidates) {
      if (!vs.tree().path("spec").path(section).isArray() || vs.tree().path("spec").path(section).isEmpty()) {
        continue;
      }
      int score = -1;
      for (JsonNode h : vs.tree().path("spec").path("hosts")) {
        String vsHost = registry.qualify(h.asText().toLowerCase(Locale.ROOT), vs.namespace());
        if (client.sidecar() != null && SidecarScope.imports(client.sidecar(), request.port(), vs.namespace(), vsHost) == null) {
          continue;
        }
        score = Math.max(score, Math.max(Hosts.specificity(vsHost, fqdn), Hosts.specificity(vsHost, request.host())));
      }
      if (score >= 0) {
        scores.put(vs, score);
        best = Math.max(best, score);
      }
    }
    Resource chosen = null;
    for (Map.Entry<Resource, Integer> e : scores.entrySet()) {
      if (e.getValue() != best) {
        continue;
      }
      if (chosen == null) {
        chosen = e.getKey();
      } else {
        run.note("VirtualService " + Registry.name(e.getKey()) + " also routes " + fqdn + ": for sidecars Istio keeps "
            + "the first VirtualService of a host (" + Registry.name(chosen) + ") and ignores this one");
      }
    }
    return chosen == null ? null : new Entry(chosen, client);
  }

  /** A host no visible Service or ServiceEntry provides: DNS fails, the outbound policy blocks it, or it passes through. */
  private void unknownHost(TraceRun run, Client client, Request request, String fqdn, String hidden) {
    String why = hidden != null ? hidden : "no Service or ServiceEntry visible from namespace " + client.namespace()
        + " provides " + fqdn;
    String sidecarPolicy = SidecarScope.outboundPolicy(client.sidecar());
    String policy = sidecarPolicy != null ? sidecarPolicy : mesh.meshConfig().outboundTrafficPolicy();
    if (policy.equalsIgnoreCase(MeshConfig.REGISTRY_ONLY)) {
      if (sidecarPolicy != null) {
        run.hop(client.sidecar(), FieldPath.of("spec", "outboundTrafficPolicy", "mode"), "outbound traffic policy REGISTRY_ONLY");
      }
      run.fail(new Outcome(Result.BLOCKED, request.isTcp() || request.isTls() ? null : 502, why
          + "; the outbound traffic policy is REGISTRY_ONLY (" + (sidecarPolicy != null ? "Sidecar "
          + Registry.name(client.sidecar()) : "mesh config") + "), so the sidecar blocks it"), 100);
      return;
    }
    run.note(why + "; the outbound traffic policy ALLOW_ANY lets the sidecar pass it through unrouted");
    run.destinations.add(new Destination(fqdn, request.port(), null, 100, null, null, List.of(), "none",
        Trace.Authorization.ALLOW));
  }

  /** A workload without sidecar: its request goes where the cluster's DNS and kube-proxy send it, with no Istio rule. */
  private void direct(TraceRun run, Client client, Request request, String fqdn) {
    run.note("workload " + Registry.name(client.workload().owner()) + " runs without a sidecar: no VirtualService, "
        + "DestinationRule or outbound policy applies to its requests");
    String[] parts = fqdn.split("\\.");
    Resource service = fqdn.endsWith(".svc." + mesh.settings().clusterDomain()) && parts.length > 2
        ? mesh.get(Kinds.SERVICE, parts[1], parts[0]) : null;
    if (service == null) {
      if (registry.isClusterName(fqdn)) {
        run.fail(new Outcome(Result.NO_ENDPOINTS, null, fqdn + " resolves to nothing: no Service provides it"), 100);
      } else {
        run.destinations.add(new Destination(fqdn, request.port(), null, 100, null, null, List.of(), "none",
            Trace.Authorization.ALLOW));
      }
      return;
    }
    deliver(run, client, request, fqdn, request.port(), null, 100, 0);
  }

  // --- routes ----------------------------------------------------------------------------------

  /** The first rule of the entries' VirtualServices that matches, and what it does. */
  private void route(TraceRun run, List<Entry> entries, String section, Request request, double share, int depth) {
    List<String> misses = new ArrayList<>();
    for (Entry entry : entries) {
      List<String> notes = new ArrayList<>();
      List<VirtualServices.Rule> rules = virtualServices.rules(entry.vs(), section, notes);
      notes.forEach(run::note);
      for (VirtualServices.Rule rule : rules) {
        String matched = matchRule(rule, section, request, entry.client(), misses);
        if (matched != null) {
          if (rule.via() != null) {
            run.hop(rule.root(), rule.via(), "delegates to " + Registry.name(rule.owner()));
          }
          run.hop(rule.owner(), rule.path(), matched);
          act(run, entry, rule, section, request, share, depth);
          return;
        }
      }
    }
    Entry first = entries.get(0);
    run.hop(first.vs(), FieldPath.of("spec", section), "no rule matches");
    run.fail(new Outcome(Result.NO_ROUTE, section.equals("http") ? 404 : null, "no " + section + " rule of "
        + String.join(", ", entries.stream().map(e -> "VirtualService " + Registry.name(e.vs())).toList())
        + " matches: " + String.join("; ", misses)), share);
  }

  /** Why the rule takes the request (its match, or "no match conditions"), or null when it does not, adding why to {@code misses}. */
  private String matchRule(VirtualServices.Rule rule, String section, Request request, Client client, List<String> misses) {
    JsonNode matches = rule.node().path("match");
    if (!matches.isArray() || matches.isEmpty()) {
      return "no match conditions: takes every request";
    }
    List<String> why = new ArrayList<>();
    String vsNamespace = rule.owner().namespace();
    for (int m = 0; m < matches.size(); m++) {
      JsonNode match = matches.get(m);
      String miss = switch (section) {
        case "http" -> Matches.http(match, request, client, vsNamespace, request.port());
        case "tls" -> Matches.tls(match, request.host(), client, vsNamespace, request.port());
        default -> Matches.l4(match, client, vsNamespace, request.port());
      };
      if (miss == null) {
        return "match[" + m + "]" + describeMatch(match) + " takes the request";
      }
      why.add(miss);
    }
    misses.add(rule.path() + " (" + Registry.name(rule.owner()) + "): " + String.join(", or ", why));
    return null;
  }

  /** A match as the notes show it: {@code uri prefix "/api", headers end-user exact "jason"}. */
  private static String describeMatch(JsonNode match) {
    List<String> parts = new ArrayList<>();
    match.fields().forEachRemaining(e -> {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("name")) {
        return;
      }
      if (Set.of("headers", "withoutHeaders", "queryParams").contains(key) && value.isObject()) {
        List<String> conditions = new ArrayList<>();
        value.fields().forEachRemaining(c -> conditions.add(c.getKey()
            + (Matches.isPresence(c.getValue()) ? " present" : " " + Matches.describe(c.getValue()))));
        parts.add(key + " " + String.join(" and ", conditions));
      } else if (value.isObject() && value.size() == 1 && Set.of("uri", "scheme", "method", "authority").contains(key)) {
        parts.add(key + " " + Matches.describe(value));
      } else {
        parts.add(key + " " + (value.isValueNode() ? value.asText() : value.toString()));
      }
    });
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  /** What a matching rule does: redirect, answer, abort, or route to its destinations. */
  private void act(TraceRun run, Entry entry, VirtualServices.Rule rule, String section, Request request, double share,
      int depth) {
    JsonNode node = rule.node();
    String ns = rule.owner().namespace();
    if (section.equals("http")) {
      run.effects(RouteEffects.of(node, ns, registry));
      if (node.path("redirect").isObject()) {
        JsonNode r = node.path("redirect");
        int status = r.path("redirectCode").asInt(0) == 0 ? 301 : r.path("redirectCode").asInt();
        run.end(new Outcome(Result.REDIRECT, status, "redirected (" + status + ") to " + location(r, request, entry.client())));
        return;
      }
      if (node.path("directResponse").isObject()) {
        int status = node.path("directResponse").path("status").asInt();
        run.end(new Outcome(Result.DIRECT_RESPONSE, status, "answered by the proxy with status " + status));
        return;
      }
      for (Trace.Mirror m : RouteEffects.of(node, ns, registry).mirrors) {
        if (registry.find(m.host(), request.port(), entry.client()).target() == null) {
          run.note("the mirror host " + m.host() + " resolves to no Service or ServiceEntry: the copies are dropped");
        }
      }
      Trace.Abort abort = RouteEffects.abort(node.path("fault").path("abort"));
      if (abort != null && abort.percent() >= 100) {
        run.end(new Outcome(Result.FAULT, abort.httpStatus(), "the fault aborts every request with "
            + (abort.httpStatus() != null ? "HTTP status " + abort.httpStatus() : "gRPC status " + abort.grpcStatus())));
        return;
      }
      request = rewrite(node, rule, request);
    }
    JsonNode routes = node.path("route");
    if (!routes.isArray() || routes.isEmpty()) {
      run.fail(new Outcome(Result.NO_ROUTE, section.equals("http") ? 404 : null, "rule " + rule.path()
          + " has no route, redirect or direct response"), share);
      return;
    }
    double total = 0;
    for (JsonNode d : routes) {
      total += d.path("weight").asInt(0);
    }
    for (JsonNode d : routes) {
      double weight = routes.size() == 1 ? 100 : total == 0 ? 0 : 100.0 * d.path("weight").asInt(0) / total;
      if (weight <= 0) {
        continue;
      }
      JsonNode destination = d.path("destination");
      String host = registry.qualify(destination.path("host").asText().toLowerCase(Locale.ROOT), ns);
      int port = destination.path("port").path("number").asInt(0);
      String subset = destination.path("subset").asText("");
      deliver(run, entry.client(), request, host, port == 0 ? -1 : port, subset.isEmpty() ? null : subset,
          share * weight / 100, depth);
    }
  }

  /** The redirect's target: the rule's scheme, authority, port and URI, the request's where it sets none. */
  private static String location(JsonNode r, Request request, Client client) {
    String scheme = r.path("scheme").asText(client.isGateway() && request.isTls() ? "https" : "http");
    String authority = r.path("authority").asText(request.host());
    String port = "";
    if (r.path("port").asInt(0) > 0) {
      port = ":" + r.path("port").asInt();
    } else if (r.path("derivePort").asText("").equals("FROM_REQUEST_PORT")) {
      port = ":" + request.port();
    }
    if ((port.equals(":80") && scheme.equals("http")) || (port.equals(":443") && scheme.equals("https"))) {
      port = "";
    }
    return scheme + "://" + authority + port + r.path("uri").asText(request.path());
  }

  /**
   * The request as the destination sees it after the rule's {@code rewrite}: a URI rewrite replaces
   * the matched prefix (the whole path for exact and regex matches), a regex rewrite substitutes,
   * an authority rewrite changes the host.
   */
  private static Request rewrite(JsonNode rule, VirtualServices.Rule matched, Request request) {
    JsonNode rewrite = rule.path("rewrite");
    if (!rewrite.isObject()) {
      return request;
    }
    String path = request.path();
    JsonNode regex = rewrite.path("uriRegexRewrite");
    if (regex.isObject()) {
      try {
        String replacement = regex.path("rewrite").asText().replaceAll("\\\\(\\d)", "\\$$1");
        path = request.pathOnly().replaceAll(regex.path("match").asText(), replacement)
            + path.substring(request.pathOnly().length());
      } catch (RuntimeException e) {
        // an invalid pattern is a lint finding; the path stays as sent
      }
    } else if (rewrite.has("uri")) {
      path = rewrite.path("uri").asText() + path.substring(matchedPrefix(rule, request).length());
    }
    String host = rewrite.path("authority").asText(request.host());
    return request.rewritten(host, path);
  }

  /** What Envoy's prefix rewrite replaces: the prefix a uri prefix match matched, the whole path otherwise, "/" without a uri match. */
  private static String matchedPrefix(JsonNode rule, Request request) {
    for (JsonNode m : rule.path("match")) {
      JsonNode uri = m.path("uri");
      if (uri.has("prefix") && Matches.string(uri, request.path(), m.path("ignoreUriCase").asBoolean(false))) {
        return request.path().substring(0, uri.path("prefix").asText().length());
      }
      if ((uri.has("exact") || uri.has("regex")) && Matches.string(uri, request.pathOnly(), m.path("ignoreUriCase").asBoolean(false))) {
        return request.pathOnly();
      }
    }
    return "/";
  }

  // --- destinations ----------------------------------------------------------------------------

  /**
   * Delivers the request to one destination of a route: the Service or ServiceEntry, the port,
   * the subset of the DestinationRule the client applies, the endpoints, the TLS the client
   * sends, the server side's mTLS and authorization; through the gateway when the endpoints are a
   * gateway's proxies.
   *
   * @param port the destination port, -1 to take the target's only port or else the request's
   */
  private void deliver(TraceRun run, Client client, Request request, String host, int port, String subset,
      double share, int depth) {
    Registry.Lookup lookup = registry.find(host, request.port(), client);
    Resource target = lookup.target();
    if (target == null) {
      int p = port < 0 ? request.port() : port;
      run.destination(new Destination(host, p, subset, share, null, null, List.of(), "none", Trace.Authorization.ALLOW),
          new Outcome(Result.NO_ENDPOINTS, request.isTcp() || request.isTls() ? null : 503, host + " resolves to no "
              + "Service or ServiceEntry: " + (lookup.hidden() != null ? lookup.hidden()
              : "none visible from namespace " + client.namespace() + " provides it")));
      return;
    }
    List<Registry.Port> ports = registry.ports(target);
    int number = port > 0 ? port : ports.size() == 1 ? ports.get(0).number() : request.port();
    Registry.Port targetPort = registry.port(target, number);
    DestinationRules.Applied rules = client.proxy()
        ? DestinationRules.forHost(host, target.namespace(), client, mesh) : DestinationRules.Applied.NONE;
    if (targetPort == null) {
      run.destination(new Destination(host, number, subset, share, target, rules.first(), List.of(), "none",
          Trace.Authorization.ALLOW), new Outcome(Result.NO_ENDPOINTS, request.isTcp() || request.isTls() ? null : 503,
          target.kind() + " " + Registry.name(target) + " has no port " + number));
      return;
    }
    DestinationRules.Subset chosen = null;
    if (subset != null) {
      chosen = rules.subset(subset);
      if (chosen == null) {
        run.destination(new Destination(host, number, subset, share, target, rules.first(), List.of(), "none",
            Trace.Authorization.ALLOW), new Outcome(Result.NO_ENDPOINTS, request.isTcp() || request.isTls() ? null : 503,
            "subset " + subset + " of " + host + " is not defined: " + (rules.first() == null
                ? "no DestinationRule for the host applies to the client" : "DestinationRule "
                + Registry.name(rules.first()) + " has no such subset")));
        return;
      }
      run.hop(chosen.rule(), chosen.path(), "subset " + subset + ": labels " + chosen.labels());
    }
    Registry.Endpoints endpoints = registry.endpoints(target, chosen == null ? Map.of() : chosen.labels());
    Resource rule = chosen != null ? chosen.rule() : rules.first();
    List<Resource> serving = new ArrayList<>();
    endpoints.workloads().forEach(w -> serving.add(w.owner()));
    serving.addAll(endpoints.entries());
    if (endpoints.none()) {
      run.destination(new Destination(host, number, subset, share, target, rule, List.of(), "none",
          Trace.Authorization.ALLOW), new Outcome(Result.NO_ENDPOINTS, request.isTcp() || request.isTls() ? null : 503,
          target.kind() + " " + Registry.name(target) + (chosen == null ? "" : " subset " + subset)
              + " selects no workload" + (target.kind().equals(Kinds.SERVICE)
              && Resource.stringMap(target.tree().path("spec").path("selector")).isEmpty()
              ? " (it has no selector and no Endpoints among the inputs)" : "")));
      return;
    }
    if (endpoints.other() != null) {
      int onward = targetPort.targetPort().asInt(number);
      run.note(host + ":" + number + " is served by " + endpoints.other()
          + (target.kind().equals(Kinds.SERVICE_ENTRY) && onward > 0 && onward != number ? ", on their port " + onward : ""));
    }
    Tls tls = clientTls(client, rules, number, chosen, target, endpoints);
    if (tls.hop() != null) {
      run.hop(tls.hop().resource(), tls.hop().field(), tls.hop().note());
    }
    Request forwarded = request.onPort(number);
    List<Resource> gateways = endpoints.workloads().isEmpty() ? List.of() : gatewaysOf(endpoints.workloads().get(0));
    if (!gateways.isEmpty()) {
      viaGateway(run, gateways.get(0), false, forwarded, share, depth + 1, tls.mode().equals("ISTIO_MUTUAL"));
      return;
    }
    Workload server = endpoints.workloads().stream().filter(w -> w.hasProxy(mesh.namespace(w.namespace())))
        .findFirst().orElse(null);
    Trace.Authorization authorization = Trace.Authorization.ALLOW;
    Outcome failure = null;
    if (server == null) {
      if (!endpoints.workloads().isEmpty()) {
        run.note(Registry.name(endpoints.workloads().get(0).owner()) + " runs without a sidecar: no authorization policy"
            + " or PeerAuthentication is enforced there");
      }
    } else {
      int workloadPort = Registry.workloadPort(targetPort, server);
      PeerAuthentications.Mode peer = PeerAuthentications.of(server, workloadPort, mesh);
      boolean mtls = tls.mode().equals("ISTIO_MUTUAL");
      if ((peer.mode().equals(PeerAuthentications.STRICT) && !mtls)
          || (peer.mode().equals(PeerAuthentications.DISABLE) && mtls)) {
        if (peer.policy() != null) {
          run.hop(peer.policy(), FieldPath.of("spec", "mtls", "mode"), "mTLS " + peer.mode() + " on "
              + Registry.name(server.owner()));
        }
        failure = new Outcome(Result.NO_ENDPOINTS, request.isTcp() || request.isTls() ? null : 503,
            Registry.name(server.owner()) + " accepts " + (mtls ? "only plain text" : "only Istio mTLS") + " (" + peer.mode()
                + (peer.policy() == null ? "" : ", PeerAuthentication " + Registry.name(peer.policy())) + ") and the client sends "
                + tls.mode() + ": the connection is reset");
      } else {
        boolean identity = mtls && !peer.mode().equals(PeerAuthentications.DISABLE) && client.proxy();
        String principal = identity ? client.principal(mesh.meshConfig().trustDomain()) : null;
        Authorizer.Seen seen = new Authorizer.Seen(forwarded, forwarded.authority(), forwarded.pathOnly(), principal,
            identity ? client.namespace() : null, workloadPort, request.isTls() ? request.host() : null,
            request.isTcp() || request.isTls());
        Authorizer.Decision decision = authorizer.decide(server, seen);
        authorization = decision.authorization();
        if (authorization.policy() != null) {
          run.hop(authorization.policy(), authorization.rule(), decision.note());
        }
        if (authorization.decision().equals("deny")) {
          failure = new Outcome(Result.DENIED, request.isTcp() || request.isTls() ? null : 403, "denied at "
              + Registry.name(server.owner()) + ": " + (authorization.policy() == null ? "" : "AuthorizationPolicy "
              + Registry.name(authorization.policy()) + " ") + decision.note());
        } else if (authorization.decision().equals("custom")) {
          run.note("at " + Registry.name(server.owner()) + ": " + decision.note());
        }
      }
    }
    run.destination(new Destination(host, number, subset, share, target, rule, serving, tls.mode(), authorization), failure);
  }

  /** The Gateways whose selector picks this workload: it is a gateway proxy. */
  private List<Resource> gatewaysOf(Workload w) {
    return mesh.resources(Kinds.GATEWAY).stream()
        .filter(g -> {
          Map<String, String> selector = Resource.stringMap(g.tree().path("spec").path("selector"));
          return !selector.isEmpty() && w.matches(selector);
        })
        .sorted(Comparator.comparing((Resource g) -> g.namespace()).thenComparing(Resource::name))
        .toList();
  }

  /** What the client sends and, when a DestinationRule decides it, the hop that shows where. */
  private record Tls(String mode, Hop hop) {}

  /**
   * The client TLS to one port of a destination: the DestinationRule's setting (port level, then
   * subset), else auto mTLS: Istio mTLS to workloads with a sidecar unless the server disables it,
   * plain text to the rest and to hosts outside the mesh.
   */
  private Tls clientTls(Client client, DestinationRules.Applied rules, int port, DestinationRules.Subset subset,
      Resource target, Registry.Endpoints endpoints) {
    if (!client.proxy()) {
      return new Tls("none", null);
    }
    DestinationRules.Tls set = rules.tls(port, subset);
    if (set.mode() != null) {
      String mode = set.mode().toUpperCase(Locale.ROOT);
      String note = switch (mode) {
        case "SIMPLE" -> "originates TLS (SIMPLE) to port " + port;
        case "MUTUAL" -> "originates mutual TLS with the client certificate it names to port " + port;
        case "ISTIO_MUTUAL" -> "Istio mTLS to port " + port;
        default -> "plain text to port " + port + " (tls " + mode + ")";
      };
      String sni = set.settings().path("sni").asText("");
      return new Tls(mode, new Hop(set.rule(), set.path().key("mode"), note + (sni.isEmpty() ? "" : ", SNI " + sni)));
    }
    boolean external = target.kind().equals(Kinds.SERVICE_ENTRY)
        && !target.tree().path("spec").path("location").asText("MESH_EXTERNAL").equals("MESH_INTERNAL");
    if (external || !mesh.meshConfig().raw().path("enableAutoMtls").asBoolean(true) || endpoints.workloads().isEmpty()) {
      return new Tls("none", null);
    }
    for (Workload w : endpoints.workloads()) {
      if (w.hasProxy(mesh.namespace(w.namespace()))) {
        Registry.Port p = registry.port(target, port);
        String peer = PeerAuthentications.of(w, p == null ? port : Registry.workloadPort(p, w), mesh).mode();
        return new Tls(peer.equals(PeerAuthentications.DISABLE) ? "none" : "ISTIO_MUTUAL", null);
      }
    }
    return new Tls("none", null);
  }
}
