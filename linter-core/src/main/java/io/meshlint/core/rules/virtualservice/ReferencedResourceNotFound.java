package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.rules.gateway.GatewayCredentials;
import io.meshlint.core.rules.security.UnknownSourceNamespaces;
import io.meshlint.core.source.FieldPath;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "IST0101",
    name = "ReferencedResourceNotFound",
    severity = Severity.ERROR,
    summary = "A resource refers to a Gateway, host, workload or Secret that does not exist.",
    description = """
        Istio drops what it cannot resolve, silently: a VirtualService bound to a Gateway that does \
        not exist is not served on any ingress; a route to a host that no Service or ServiceEntry \
        provides answers 503 (no healthy upstream); a Gateway whose selector matches no workload \
        configures no proxy at all.

        meshlint checks, as `istioctl analyze` does:
        - VirtualService `gateways` and `http[].match[].gateways` name existing Gateways, Istio's \
        or Kubernetes Gateways (`name` in the VirtualService's namespace, `namespace/name`, or the \
        reserved `mesh`);
        - every `route[].destination.host` (http, tcp, tls), `mirror.host` and \
        `mirrors[].destination.host` is provided by a Service (short name, `name.namespace`, \
        `name.namespace.svc` or the full name) or a ServiceEntry, visible (by their own \
        `exportTo`) from one of the namespaces the VirtualService is exported to (its own when \
        its `exportTo` is empty, `.` or `*`), and every route entry names a host;
        - a destination's `port.number` is a port of the Service (`ports[].port`, not the \
        container port) or ServiceEntry (`ports[].number`) the host resolves to: otherwise Istio \
        has no cluster for it and requests fail with 503 (`NC`, no cluster);
        - every `subset` of those destinations (and of mirrors) is defined by a DestinationRule for \
        the host (its `host` equal, or a wildcard covering it, short names taken in the \
        DestinationRule's namespace) that is visible from the VirtualService's namespace: a route \
        to an undefined subset has no cluster, and its requests fail with 503 (`NR`, no route). \
        Unlike `istioctl analyze`, meshlint honours the DestinationRule's `exportTo` and wildcard \
        hosts, and compares dotted hosts as written wherever the DestinationRule lives (as Istio's \
        proxies do), so a ServiceEntry host with its DestinationRule in another namespace is not \
        reported;
        - a Gateway's `selector` matches some workload: a Pod or the pod template of a \
        Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob. Unlike `istioctl analyze` \
        in file mode, which looks at Pods only and so reports nearly every Gateway, meshlint counts \
        pod templates. Istio's default ingress gateway (`istio: ingressgateway` in `istio-system`) \
        is assumed to exist unless the inputs define their own or the setting \
        `assumeDefaultIngressGateway: false` is given;
        - a Gateway server's `tls.credentialName` names a Secret in the namespace of the gateway \
        workload (the first the selector matches; `namespace/name` names another namespace), \
        when the inputs hold Secrets at all: most repositories keep Secrets out of their \
        manifests, and then meshlint cannot tell (istioctl would report every TLS server);
        - an AuthorizationPolicy's `from[].source.namespaces` and `notNamespaces` match some \
        namespace (exactly, or as `*`, `prefix*` or `*suffix`): a Namespace among the inputs, a \
        system namespace, Istio's or the mesh's root namespace. A namespace that does not exist \
        matches no caller, so an ALLOW rule lets nobody in (`403 RBAC: access denied`) and a DENY \
        rule blocks nobody. This is checked only when the inputs hold Namespace objects at all \
        (lint with `--context` over every namespace's manifests, or use `meshlint audit`);
        - a Sidecar's `workloadSelector` and a Telemetry's `selector` match some workload (a Pod \
        or a pod template, as above) in their own namespace.

        Fix the name (the message quotes what was not found), or add the missing resource.""",
    subjects = {Kinds.VIRTUAL_SERVICE, Kinds.GATEWAY, Kinds.SIDECAR, Kinds.TELEMETRY, Kinds.AUTHORIZATION_POLICY},
    reads = {ReferencedResourceNotFound.K8S_GATEWAY, Kinds.SECRET, Kinds.NAMESPACE, Kinds.SERVICE, Kinds.SERVICE_ENTRY, Kinds.DESTINATION_RULE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class ReferencedResourceNotFound implements Rule {
  static final String K8S_GATEWAY = "Gateway.gateway.networking.k8s.io";

  @Override
  public void check(Resource subject, RuleContext ctx) {
    switch (subject.kind()) {
      case Kinds.GATEWAY -> checkGatewaySelector(subject, ctx);
      case Kinds.SIDECAR -> checkPolicySelector(subject, FieldPath.of("spec", "workloadSelector", "labels"), ctx);
      case Kinds.TELEMETRY -> checkPolicySelector(subject, FieldPath.of("spec", "selector", "matchLabels"), ctx);
      case Kinds.AUTHORIZATION_POLICY -> UnknownSourceNamespaces.forEach(subject, ctx.mesh(),
          (path, namespace) -> ctx.report(path, notFound("namespace", namespace)));
      default -> checkVirtualService(subject, ctx);
    }
  }

  /** A namespace's policy applies to the workloads its selector matches in that namespace. */
  private static void checkPolicySelector(Resource policy, FieldPath selectorPath, RuleContext ctx) {
    JsonNode selectorNode = selectorPath.in(policy.tree());
    Map<String, String> selector = Resource.stringMap(selectorNode);
    if (!selector.isEmpty() && ctx.mesh().workloadsMatching(policy.namespace(), selector).isEmpty()) {
      ctx.report(selectorPath, notFound("selector", MeshIndex.selectorKey(selectorNode)));
    }
  }

  private static void checkGatewaySelector(Resource gateway, RuleContext ctx) {
    JsonNode selectorNode = gateway.tree().path("spec").path("selector");
    Map<String, String> selector = Resource.stringMap(selectorNode);
    if (selector.isEmpty()) {
      return;
    }
    // Gateways select workloads in every namespace unless Istio is told to scope them.
    if (ctx.mesh().workloadsMatching(null, selector).isEmpty()) {
      ctx.report(FieldPath.of("spec", "selector"), notFound("selector", MeshIndex.selectorKey(selectorNode)));
      return;
    }
    // Where the inputs hold no Secret at all, they are kept elsewhere and nothing can be told.
    String namespace = GatewayCredentials.workloadNamespace(gateway, ctx.mesh());
    if (namespace != null && ctx.mesh().any(Kinds.SECRET)) {
      GatewayCredentials.forEachCredential(gateway, (i, name) -> {
        if (GatewayCredentials.secret(name, namespace, ctx.mesh()) == null) {
          ctx.report(FieldPath.of("spec", "servers", i, "tls", "credentialName"), notFound("credentialName", name));
        }
      });
    }
  }

  private static void checkVirtualService(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    FieldPath specPath = FieldPath.of("spec");
    Trees.forEach(spec.path("gateways"), specPath.key("gateways"), (g, path) -> checkGateway(vs, g.asText(), path, ctx));
    Trees.forEach(spec.path("http"), specPath.key("http"), (route, routePath) -> {
      Trees.forEach(route.path("match"), routePath.key("match"), (match, matchPath) ->
          Trees.forEach(match.path("gateways"), matchPath.key("gateways"),
              (g, path) -> checkGateway(vs, g.asText(), path, ctx)));
      checkDestinations(vs, route.path("route"), routePath.key("route"), ctx);
      JsonNode mirror = route.path("mirror");
      if (mirror.has("host")) {
        checkHost(vs, mirror.path("host").asText(), routePath.then("mirror.host"), "mirror host", ctx);
        checkSubset(vs, mirror, routePath.key("mirror"), "mirror", ctx);
      }
      Trees.forEach(route.path("mirrors"), routePath.key("mirrors"), (m, mirrorPath) -> {
        if (m.path("destination").has("host")) {
          checkHost(vs, m.path("destination").path("host").asText(), mirrorPath.then("destination.host"),
              "mirror host", ctx);
          checkSubset(vs, m.path("destination"), mirrorPath.key("destination"), "mirror", ctx);
        }
      });
    });
    for (String protocol : new String[] {"tcp", "tls"}) {
      Trees.forEach(spec.path(protocol), specPath.key(protocol),
          (route, routePath) -> checkDestinations(vs, route.path("route"), routePath.key("route"), ctx));
    }
    Destinations.forEach(vs, site -> checkPort(vs, site, ctx));
  }

  /** A destination port that the host's Service or ServiceEntry does not expose has no cluster. */
  private static void checkPort(Resource vs, Destinations.Site site, RuleContext ctx) {
    if (!site.destination().path("port").path("number").canConvertToInt()) {
      return;
    }
    int port = site.destination().path("port").path("number").asInt();
    List<Destinations.Port> ports = Destinations.ports(site.host(), vs.namespace(), ctx.mesh());
    if (ports != null && ports.stream().noneMatch(p -> p.number() == port)) {
      ctx.report(site.path().then("port.number"), notFound("host:port", site.host() + ":" + port)
          + " (the host's ports: " + ports.stream().map(p -> String.valueOf(p.number())).toList() + ")");
    }
  }

  private static void checkDestinations(Resource vs, JsonNode destinations, FieldPath path, RuleContext ctx) {
    Trees.forEach(destinations, path, (d, dPath) -> {
      JsonNode host = d.path("destination").path("host");
      if (host.asText("").isEmpty()) {
        // A route entry without a destination host sends its share of the traffic nowhere.
        ctx.report(dPath, notFound("host", ""));
      } else {
        checkHost(vs, host.asText(), dPath.then("destination.host"), "host", ctx);
        checkSubset(vs, d.path("destination"), dPath.key("destination"), "host", ctx);
      }
    });
  }

  private static void checkGateway(Resource vs, String ref, FieldPath path, RuleContext ctx) {
    GatewayRef gateway = GatewayRef.parse(ref, vs.namespace());
    // Internal gateways are IST0165's business.
    if (!gateway.isMesh() && !GatewayRef.isInternal(ref) && !ctx.mesh().gatewayExists(gateway)
        && !ctx.mesh().exists(K8S_GATEWAY, gateway.namespace(), gateway.name())) {
      ctx.report(path, notFound("gateway", ref));
    }
  }

  private static void checkHost(Resource vs, String host, FieldPath path, String what, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    if (host.isEmpty() || Hosts.isWildcard(host)) {
      return;
    }
    // The VirtualService applies in the namespaces it is exported to; the host must be visible from one.
    String fqdn = Hosts.toFqdn(host, vs.namespace(), mesh.settings().clusterDomain());
    for (String namespace : appliesIn(vs)) {
      if (mesh.hostResolves(fqdn, namespace)) {
        return;
      }
    }
    ctx.report(path, notFound(what, host));
  }

  /** The namespaces a VirtualService is exported to; its own for none, {@code .} or {@code *}. */
  private static Set<String> appliesIn(Resource vs) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : vs.tree().path("spec").path("exportTo")) {
      String ns = e.asText();
      if (!ns.equals("~")) {
        out.add(ns.equals(".") || ns.equals("*") ? vs.namespace() : ns);
      }
    }
    return out.isEmpty() ? Set.of(vs.namespace()) : out;
  }

  private static void checkSubset(Resource vs, JsonNode destination, FieldPath path, String what, RuleContext ctx) {
    String host = destination.path("host").asText();
    String subset = destination.path("subset").asText();
    if (subset.isEmpty() || host.isEmpty() || Hosts.isWildcard(host)) {
      return;
    }
    if (destinationRuleDefining(ctx.mesh(), vs.namespace(), host, subset) == null) {
      ctx.report(path.key("subset"), notFound(what + "+subset in destinationrule", host + "+" + subset));
    }
  }

  /**
   * The DestinationRule visible from {@code fromNamespace} that defines the subset for the host (its
   * host equal or a wildcard covering it); null when none does.
   */
  public static Resource destinationRuleDefining(MeshView mesh, String fromNamespace, String host, String subset) {
    String fqdn = Hosts.toFqdn(host, fromNamespace, mesh.settings().clusterDomain());
    for (Resource dr : mesh.destinationRulesFor(fqdn)) {
      String drHost = Hosts.toFqdn(dr.tree().path("spec").path("host").asText(), dr.namespace(),
          mesh.settings().clusterDomain());
      if (Hosts.covers(drHost, fqdn) && MeshView.visibleFrom(dr, fromNamespace) && definesSubset(dr, subset)) {
        return dr;
      }
    }
    return null;
  }

  private static boolean definesSubset(Resource dr, String subset) {
    for (JsonNode s : dr.tree().path("spec").path("subsets")) {
      if (s.path("name").asText().equals(subset)) {
        return true;
      }
    }
    return false;
  }

  private static String notFound(String what, String name) {
    return "Referenced " + what + " not found: \"" + name + "\"";
  }
}
