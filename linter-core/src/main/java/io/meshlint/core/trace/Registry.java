package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.CreationOrder;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Protocols;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts a proxy knows (Istio's service registry as one client sees it): Kubernetes Services by
 * their {@code NAME.NS.svc.DOMAIN} name and ServiceEntry hosts, limited by {@code exportTo} and
 * the client's Sidecar; with their ports and the workloads behind them.
 */
final class Registry {
  private final MeshView mesh;
  private final String domain;

  Registry(MeshView mesh) {
    this.mesh = mesh;
    this.domain = mesh.settings().clusterDomain();
  }

  /**
   * A host as the client finds it.
   *
   * @param target the Service or ServiceEntry, null when none is visible
   * @param hidden why a target that exists is not visible to the client, else null
   */
  record Lookup(Resource target, String hidden) {
    static final Lookup NONE = new Lookup(null, null);
  }

  /** True for names only the cluster's DNS answers: nothing outside resolves them. */
  boolean isClusterName(String host) {
    return host.endsWith(".svc." + domain) || host.endsWith("." + domain);
  }

  /** {@code host} fully qualified as Istio qualifies route hosts: a name without dots is a Service of {@code namespace}. */
  String qualify(String host, String namespace) {
    return Hosts.toFqdn(host, namespace, domain);
  }

  /**
   * The Service or ServiceEntry a fully qualified host names, as {@code client} sees it: exported
   * to its namespace and, for a sidecar with a Sidecar resource, imported by the egress listener
   * of {@code port}. A ServiceEntry with the exact host wins over wildcard ones, the oldest first.
   */
  Lookup find(String fqdn, int port, Client client) {
    Resource service = null;
    if (fqdn.endsWith(".svc." + domain)) {
      String[] parts = fqdn.split("\\.");
      service = parts.length >= 3 ? mesh.get(Kinds.SERVICE, parts[1], parts[0]) : null;
    }
    List<Resource> entries = new ArrayList<>();
    if (service == null) {
      entries.addAll(mesh.serviceEntriesFor(fqdn, client.namespace()));
      entries.sort(Comparator.comparing((Resource se) -> !declares(se, fqdn)).thenComparing(CreationOrder.OLDEST_FIRST));
    }
    Resource target = service != null ? service : entries.isEmpty() ? null : entries.get(0);
    if (target == null) {
      List<Resource> hiddenEntries = mesh.serviceEntriesListing(fqdn);
      return hiddenEntries.isEmpty() ? Lookup.NONE
          : new Lookup(null, "ServiceEntry " + name(hiddenEntries.get(0)) + " is not exported to namespace " + client.namespace());
    }
    if (service != null && mesh.service(fqdn, client.namespace()) == null) {
      return new Lookup(null, "Service " + name(service) + " is not exported to namespace " + client.namespace()
          + " (annotation networking.istio.io/exportTo)");
    }
    if (client.sidecar() != null && client.proxy() && !client.isGateway()
        && SidecarScope.imports(client.sidecar(), port, target.namespace(), fqdn) == null) {
      return new Lookup(null, "Sidecar " + name(client.sidecar()) + " does not import " + fqdn
          + " (" + target.kind() + " " + name(target) + ") into the egress listener for port " + port);
    }
    return new Lookup(target, null);
  }

  private static boolean declares(Resource se, String host) {
    for (JsonNode h : se.tree().path("spec").path("hosts")) {
      if (h.asText().equals(host)) {
        return true;
      }
    }
    return false;
  }

  static String name(Resource r) {
    return r.namespace() + "/" + r.name();
  }

  /** A port of a target: its number, Istio's protocol for it, and the port the workloads listen on. */
  record Port(int number, String protocol, JsonNode targetPort) {}

  /** The target's ports in declaration order. */
  List<Port> ports(Resource target) {
    List<Port> out = new ArrayList<>();
    boolean service = target.kind().equals(Kinds.SERVICE);
    for (JsonNode p : target.tree().path("spec").path("ports")) {
      if (service) {
        out.add(new Port(p.path("port").asInt(), Protocols.ofServicePort(p), p.path("targetPort")));
      } else {
        out.add(new Port(p.path("number").asInt(), Protocols.ofDeclaredPort(p), p.path("targetPort")));
      }
    }
    return out;
  }

  Port port(Resource target, int number) {
    for (Port p : ports(target)) {
      if (p.number() == number) {
        return p;
      }
    }
    return null;
  }

  /**
   * The port a workload listens on for a target port: a numeric {@code targetPort}, a named one
   * looked up among the containers' ports, else the port itself.
   */
  static int workloadPort(Port port, Workload workload) {
    JsonNode target = port.targetPort();
    if (target.canConvertToInt() && target.asInt() > 0) {
      return target.asInt();
    }
    if (target.isTextual() && workload != null) {
      for (JsonNode c : workload.podSpec().path("containers")) {
        for (JsonNode cp : c.path("ports")) {
          if (target.asText().equals(cp.path("name").asText())) {
            return cp.path("containerPort").asInt();
          }
        }
      }
    }
    return port.number();
  }

  /** The workloads behind a target, narrowed by a subset's labels; see {@link Endpoints}. */
  Endpoints endpoints(Resource target, Map<String, String> subsetLabels) {
    JsonNode spec = target.tree().path("spec");
    if (target.kind().equals(Kinds.SERVICE)) {
      if (spec.path("type").asText().equals("ExternalName")) {
        return new Endpoints(List.of(), List.of(), "ExternalName " + spec.path("externalName").asText());
      }
      Map<String, String> selector = Resource.stringMap(spec.path("selector"));
      if (selector.isEmpty()) {
        boolean listed = mesh.get("Endpoints", target.namespace(), target.name()) != null
            || mesh.resourcesIn("EndpointSlice.discovery.k8s.io", target.namespace()).stream()
                .anyMatch(s -> target.name().equals(s.labels().get("kubernetes.io/service-name")));
        return new Endpoints(List.of(), List.of(), listed ? "endpoints listed by hand (Endpoints among the inputs)" : null);
      }
      Map<String, String> all = new LinkedHashMap<>(selector);
      all.putAll(subsetLabels);
      return new Endpoints(mesh.workloadsMatching(target.namespace(), all), List.of(), null);
    }
    Map<String, String> selector = Resource.stringMap(spec.path("workloadSelector").path("labels"));
    if (!selector.isEmpty()) {
      Map<String, String> all = new LinkedHashMap<>(selector);
      all.putAll(subsetLabels);
      return new Endpoints(mesh.workloadsMatching(target.namespace(), all),
          mesh.workloadEntriesMatching(target.namespace(), all), null);
    }
    JsonNode listed = spec.path("endpoints");
    String resolution = spec.path("resolution").asText("NONE");
    if (listed.isArray() && !listed.isEmpty()) {
      long matching = 0;
      for (JsonNode e : listed) {
        Map<String, String> labels = Resource.stringMap(e.path("labels"));
        if (subsetLabels.entrySet().stream().allMatch(l -> l.getValue().equals(labels.get(l.getKey())))) {
          matching++;
        }
      }
      return new Endpoints(List.of(), List.of(), matching == 0 ? null : matching + " address"
          + (matching == 1 ? "" : "es") + " of spec.endpoints");
    }
    if (!subsetLabels.isEmpty()) {
      return new Endpoints(List.of(), List.of(), null);
    }
    return switch (resolution) {
      case "DNS", "DNS_ROUND_ROBIN" -> new Endpoints(List.of(), List.of(), "the host's own DNS addresses (resolution "
          + resolution + ")");
      case "STATIC" -> new Endpoints(List.of(), List.of(), null);
      default -> new Endpoints(List.of(), List.of(), "the address the application connected to (resolution NONE)");
    };
  }

  /**
   * What serves a target.
   *
   * @param workloads Pods and controllers
   * @param entries WorkloadEntries
   * @param other endpoints that are neither, described; null when there are none
   */
  record Endpoints(List<Workload> workloads, List<Resource> entries, String other) {
    boolean none() {
      return workloads.isEmpty() && entries.isEmpty() && other == null;
    }
  }
}
