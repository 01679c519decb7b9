package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Protocols;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The destinations of a VirtualService's routes and the ports of the hosts they name. */
final class Destinations {
  private Destinations() {}

  /** One destination: {@code protocol} is {@code http}, {@code tcp} or {@code tls}; mirrors are http. */
  record Site(String protocol, JsonNode destination, FieldPath path, boolean mirror) {
    String host() {
      return destination.path("host").asText();
    }
  }

  /** A port of the Service or ServiceEntry a host resolves to; protocol lower case, "" when Istio sniffs it. */
  record Port(int number, String protocol) {}


  static void forEach(Resource vs, Consumer<Site> action) {
    JsonNode spec = vs.tree().path("spec");
    FieldPath specPath = FieldPath.of("spec");
    for (String protocol : new String[] {"http", "tcp", "tls"}) {
      Trees.forEach(spec.path(protocol), specPath.key(protocol), (route, routePath) -> {
        Trees.forEach(route.path("route"), routePath.key("route"), (d, dPath) -> {
          if (d.path("destination").isObject()) {
            action.accept(new Site(protocol, d.path("destination"), dPath.key("destination"), false));
          }
        });
        if (protocol.equals("http")) {
          if (route.path("mirror").isObject()) {
            action.accept(new Site(protocol, route.path("mirror"), routePath.key("mirror"), true));
          }
          Trees.forEach(route.path("mirrors"), routePath.key("mirrors"), (m, mPath) -> {
            if (m.path("destination").isObject()) {
              action.accept(new Site(protocol, m.path("destination"), mPath.key("destination"), true));
            }
          });
        }
      });
    }
  }

  /**
   * The ports of the Service the host names from the namespace, else of the first visible
   * ServiceEntry declaring it; null when the host resolves to neither (IST0101's business).
   */
  static List<Port> ports(String host, String namespace, MeshView mesh) {
    if (host.isEmpty() || Hosts.isWildcard(host)) {
      return null;
    }
    List<Port> out = new ArrayList<>();
    Resource service = mesh.service(host, namespace);
    if (service != null) {
      service.tree().path("spec").path("ports").forEach(p -> out.add(new Port(p.path("port").asInt(), Protocols.ofServicePort(p))));
      return out;
    }
    List<Resource> entries = mesh.serviceEntriesFor(host, namespace);
    if (entries.isEmpty()) {
      return null;
    }
    entries.get(0).tree().path("spec").path("ports").forEach(p ->
        out.add(new Port(p.path("number").asInt(), p.path("protocol").asText().toLowerCase(Locale.ROOT))));
    return out;
  }
}
