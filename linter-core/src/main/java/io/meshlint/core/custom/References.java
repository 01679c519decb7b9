package io.meshlint.core.custom;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a custom rule sees as {@code refs}: the resources its subject refers to or is referred to by,
 * looked up in the mesh index as the built-in rules do.
 *
 * <ul>
 *   <li>VirtualService: {@code refs.gateways} (bound Gateways that exist), {@code refs.services} and
 *       {@code refs.serviceEntries} (what its destination hosts resolve to);
 *   <li>Gateway: {@code refs.virtualServices} (VirtualServices bound to it);
 *   <li>DestinationRule: {@code refs.services} and {@code refs.serviceEntries} for its host.
 * </ul>
 */
final class References {
  /** The kinds these lookups read; custom rules declare them so the webhook knows what they depend on. */
  static final Set<String> READS = Set.of(Kinds.GATEWAY, Kinds.VIRTUAL_SERVICE, Kinds.SERVICE, Kinds.SERVICE_ENTRY);

  private References() {}

  static Map<String, Object> of(Resource subject, MeshView mesh) {
    Map<String, List<Resource>> refs = new LinkedHashMap<>();
    JsonNode spec = subject.tree().path("spec");
    switch (subject.kind()) {
      case Kinds.VIRTUAL_SERVICE -> {
        List<Resource> gateways = new ArrayList<>();
        for (JsonNode g : spec.path("gateways")) {
          Resource gateway = mesh.gateway(GatewayRef.parse(g.asText(), subject.namespace()));
          if (gateway != null) {
            gateways.add(gateway);
          }
        }
        refs.put("gateways", gateways);
        Set<String> hosts = new LinkedHashSet<>();
        for (String protocol : List.of("http", "tcp", "tls")) {
          for (JsonNode route : spec.path(protocol)) {
            route.path("route").forEach(d -> hosts.add(d.path("destination").path("host").asText()));
          }
        }
        destinations(hosts, subject.namespace(), mesh, refs);
      }
      case Kinds.GATEWAY -> refs.put("virtualServices",
          mesh.virtualServicesBoundTo(new GatewayRef(subject.namespace(), subject.name())));
      case Kinds.DESTINATION_RULE -> destinations(Set.of(spec.path("host").asText()), subject.namespace(), mesh, refs);
      default -> { }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    refs.forEach((name, resources) -> out.put(name, resources.stream().map(r -> CustomRule.toCel(r.tree())).toList()));
    return out;
  }

  private static void destinations(Set<String> hosts, String namespace, MeshView mesh, Map<String, List<Resource>> refs) {
    Set<Resource> services = new LinkedHashSet<>();
    Set<Resource> entries = new LinkedHashSet<>();
    for (String host : hosts) {
      if (host.isEmpty()) {
        continue;
      }
      Resource service = mesh.service(host, namespace);
      if (service != null) {
        services.add(service);
      }
      entries.addAll(mesh.serviceEntriesFor(host, namespace));
    }
    refs.put("services", new ArrayList<>(services));
    refs.put("serviceEntries", new ArrayList<>(entries));
  }
}
