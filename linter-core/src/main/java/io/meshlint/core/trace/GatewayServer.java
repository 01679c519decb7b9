package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One server of a Gateway, as a gateway proxy picks it for a request and binds VirtualServices to it. */
record GatewayServer(Resource gateway, int index, JsonNode node) {

  /** The Gateway's servers listening on {@code port}. */
  static List<GatewayServer> onPort(Resource gateway, int port) {
    List<GatewayServer> out = new ArrayList<>();
    JsonNode servers = gateway.tree().path("spec").path("servers");
    for (int i = 0; i < servers.size(); i++) {
      if (servers.get(i).path("port").path("number").asInt() == port) {
        out.add(new GatewayServer(gateway, i, servers.get(i)));
      }
    }
    return out;
  }

  FieldPath path() {
    return FieldPath.of("spec", "servers", index);
  }

  String protocol() {
    return node.path("port").path("protocol").asText("").toUpperCase(Locale.ROOT);
  }

  boolean isTls() {
    return protocol().equals("HTTPS") || protocol().equals("TLS");
  }

  /** The TLS mode; Istio's enum makes PASSTHROUGH the default of a {@code tls} block without one. */
  String tlsMode() {
    return node.path("tls").isObject() ? node.path("tls").path("mode").asText("PASSTHROUGH").toUpperCase(Locale.ROOT) : null;
  }

  /**
   * How specifically the server's hosts cover {@code host} ({@link Hosts#specificity}); -1 when
   * none does. With {@code vsNamespace}, only hosts whose namespace part admits VirtualServices of
   * that namespace count.
   */
  int hostSpecificity(String host, String vsNamespace) {
    int best = -1;
    for (JsonNode h : node.path("hosts")) {
      GatewayHost gh = GatewayHost.parse(h.asText());
      if (vsNamespace == null || gh.admits(vsNamespace, gateway.namespace())) {
        best = Math.max(best, Hosts.specificity(gh.host().toLowerCase(Locale.ROOT), host));
      }
    }
    return best;
  }

  /**
   * True when the server speaks what the request sends: HTTP servers take http, HTTPS and TLS
   * servers https, TCP servers tcp. A request that a mesh client forwards with Istio mTLS (to an
   * egress gateway) also arrives on ISTIO_MUTUAL servers.
   */
  boolean accepts(Request request, boolean meshTls) {
    String protocol = protocol();
    if (meshTls && isTls() && "ISTIO_MUTUAL".equals(tlsMode())) {
      return true;
    }
    return switch (request.scheme()) {
      case "https" -> isTls();
      case "tcp" -> protocol.equals("TCP") || protocol.equals("MONGO") || protocol.equals("REDIS") || protocol.equals("MYSQL");
      default -> protocol.equals("HTTP") || protocol.equals("HTTP2") || protocol.equals("GRPC")
          || protocol.equals("GRPC-WEB");
    };
  }

  /**
   * The virtual host domains the server and a VirtualService make, as Istio intersects their
   * hosts: of each pair where one covers the other, the narrower one. Server hosts whose namespace
   * part does not admit the VirtualService's namespace take no part; a VirtualService host without
   * dots is a Service of its namespace.
   */
  List<String> intersections(Resource vs, String clusterDomain) {
    List<String> out = new ArrayList<>();
    for (JsonNode sh : node.path("hosts")) {
      GatewayHost gh = GatewayHost.parse(sh.asText());
      if (!gh.admits(vs.namespace(), gateway.namespace())) {
        continue;
      }
      String serverHost = gh.host().toLowerCase(Locale.ROOT);
      for (JsonNode vh : vs.tree().path("spec").path("hosts")) {
        String vsHost = Hosts.toFqdn(vh.asText().toLowerCase(Locale.ROOT), vs.namespace(), clusterDomain);
        String narrower = Hosts.covers(serverHost, vsHost) ? vsHost : Hosts.covers(vsHost, serverHost) ? serverHost : null;
        if (narrower != null && !out.contains(narrower)) {
          out.add(narrower);
        }
      }
    }
    return out;
  }
}
