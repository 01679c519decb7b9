package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@RuleMeta(
    code = "IST0109",
    name = "ConflictingMeshGatewayVirtualServiceHosts",
    severity = Severity.ERROR,
    summary = "Two VirtualServices bound to the mesh gateway define the same host.",
    description = """
        Sidecars do not merge VirtualServices: when two VirtualServices bound to the `mesh` gateway \
        (no `gateways`, or `mesh` among them) define the same host for the same namespaces, each \
        sidecar uses one of them and ignores the other's routes, depending on which is older. \
        (Istio does merge VirtualServices bound to ingress Gateways, so those are not reported.)

        Hosts are compared as Istio compares them: a short name (`reviews`) stands for \
        `reviews.<namespace of the VirtualService>.svc.cluster.local`, other names as written. Two \
        VirtualServices conflict only where both are visible: `exportTo` empty or `*` is every \
        namespace, `.` the VirtualService's own namespace, so a VirtualService exported everywhere \
        also conflicts with one exported to a single namespace; between two such, as in Istio, \
        wildcards count too (`*.example.com` exported everywhere conflicts with \
        `*.shop.example.com` exported to one namespace). As with `istioctl analyze`, each \
        VirtualService is reported once, at its first conflicting host. The same VirtualService \
        defined twice in the inputs is not a conflict.

        Fix: merge the VirtualServices into one, give them distinct hosts, or restrict each to its \
        own namespace with `exportTo: ["."]`.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class ConflictingMeshGatewayVirtualServiceHosts implements Rule {
  private static final String ALL = "*";

  @Override
  public void check(Resource vs, RuleContext ctx) {
    if (!boundToMesh(vs)) {
      return;
    }
    Set<String> scopes = scopes(vs);
    String domain = ctx.mesh().settings().clusterDomain();
    JsonNode hosts = vs.tree().path("spec").path("hosts");
    for (int i = 0; i < hosts.size(); i++) {
      String fqdn = Hosts.toFqdn(hosts.get(i).asText(), vs.namespace(), domain);
      List<String> conflicting = new ArrayList<>();
      String sharedScope = null;
      for (Resource other : ctx.mesh().meshVirtualServicesForHost(fqdn)) {
        if (other == vs) {
          conflicting.add(fullName(vs));
          continue;
        }
        String shared = other.key().equals(vs.key()) ? null : sharedScope(scopes, scopes(other));
        if (shared != null) {
          conflicting.add(fullName(other));
          sharedScope = sharedScope == null ? shared : sharedScope;
        }
      }
      for (Resource other : wildcardOverlaps(vs, scopes, fqdn, domain, ctx)) {
        if (!conflicting.contains(fullName(other))) {
          conflicting.add(fullName(other));
          sharedScope = sharedScope != null ? sharedScope : sharedScope(scopes, scopes(other));
        }
      }
      if (sharedScope != null) {
        ctx.report(FieldPath.of("spec", "hosts", i), "The VirtualServices " + String.join(",", conflicting)
            + " associated with mesh gateway define the same host " + sharedScope + "/" + fqdn + " which can lead "
            + "to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single "
            + "resource.");
        return;
      }
    }
  }

  /**
   * Istio also matches, by wildcard, a host exported to some namespaces against the hosts exported
   * everywhere (and only those): the mesh VirtualServices on the other side with a host that
   * overlaps {@code fqdn} without being equal to it.
   */
  private static List<Resource> wildcardOverlaps(Resource vs, Set<String> scopes, String fqdn, String domain,
      RuleContext ctx) {
    boolean exportedEverywhere = scopes.contains(ALL);
    List<Resource> out = new ArrayList<>();
    if (scopes.isEmpty()) {
      return out;
    }
    for (Resource other : ctx.mesh().meshVirtualServicesIntersecting(fqdn, !exportedEverywhere)) {
      if (other == vs || other.key().equals(vs.key()) || scopes(other).isEmpty()) {
        continue;
      }
      for (JsonNode h : other.tree().path("spec").path("hosts")) {
        String theirs = Hosts.toFqdn(h.asText(), other.namespace(), domain);
        if (!theirs.equals(fqdn) && Hosts.intersect(theirs, fqdn)) {
          out.add(other);
          break;
        }
      }
    }
    return out;
  }

  private static boolean boundToMesh(Resource vs) {
    JsonNode gateways = vs.tree().path("spec").path("gateways");
    if (!gateways.isArray() || gateways.isEmpty()) {
      return true;
    }
    for (JsonNode g : gateways) {
      if (g.asText().equals(GatewayRef.MESH)) {
        return true;
      }
    }
    return false;
  }

  private static String fullName(Resource r) {
    return r.namespace() + "/" + r.name();
  }

  /** The namespaces the VirtualService applies to: {@code *} for all. */
  private static Set<String> scopes(Resource vs) {
    JsonNode exportTo = vs.tree().path("spec").path("exportTo");
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : exportTo) {
      String ns = e.asText();
      if (ns.equals(ALL)) {
        return Set.of(ALL);
      }
      if (!ns.equals("~")) {
        out.add(ns.equals(".") ? vs.namespace() : ns);
      }
    }
    return exportTo.isArray() && !exportTo.isEmpty() ? out : Set.of(ALL);
  }

  /** A scope where both apply, as Istio names it in the message, or null when none. */
  private static String sharedScope(Set<String> a, Set<String> b) {
    if (a.contains(ALL)) {
      return b.isEmpty() ? null : b.iterator().next();
    }
    if (b.contains(ALL)) {
      return a.isEmpty() ? null : a.iterator().next();
    }
    return a.stream().filter(b::contains).collect(Collectors.collectingAndThen(Collectors.toList(),
        l -> l.isEmpty() ? null : l.get(0)));
  }
}
