package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests worth following in a mesh, one per HTTP route rule of each VirtualService: what the graph
 * page offers to trace. Each is built from the rule's first match (exact or prefix URI, exact method,
 * headers and query parameters, port) and enters where the VirtualService is bound: through each
 * Gateway's server that exposes the host, or from a workload of the VirtualService's namespace for
 * {@code mesh}. Rules whose first match needs a regular expression, or a header or query value other
 * than an exact one, are left out: no sample is sure to match them.
 */
public final class SampleRequests {
  private SampleRequests() {}

  public static List<Request> of(MeshIndex index, int limit) {
    MeshView mesh = index.view();
    Map<String, Request> out = new LinkedHashMap<>();
    List<Resource> virtualServices = mesh.resources(Kinds.VIRTUAL_SERVICE).stream()
        .sorted(Comparator.comparing(Resource::namespace).thenComparing(Resource::name)).toList();
    for (Resource vs : virtualServices) {
      JsonNode spec = vs.tree().path("spec");
      List<String> gateways = new ArrayList<>();
      spec.path("gateways").forEach(g -> gateways.add(g.asText()));
      if (gateways.isEmpty()) {
        gateways.add(GatewayRef.MESH);
      }
      for (JsonNode hostNode : spec.path("hosts")) {
        String host = hostNode.asText().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || Hosts.isWildcard(host)) {
          continue;
        }
        for (JsonNode rule : spec.path("http")) {
          JsonNode match = rule.path("match").path(0);
          String path = samplePath(match);
          if (path == null) {
            continue;
          }
          for (String gateway : gateways) {
            for (Entry entry : entries(mesh, GatewayRef.parse(gateway, vs.namespace()), vs.namespace(), host)) {
              if (match.has("port") && match.path("port").asInt() != entry.port) {
                continue;
              }
              Request request = request(match, entry, host, path);
              if (request == null) {
                continue;
              }
              out.putIfAbsent(request.describe() + " " + entry.from, request);
              if (out.size() >= limit) {
                return List.copyOf(out.values());
              }
            }
          }
        }
      }
    }
    return List.copyOf(out.values());
  }

  /** Where a request for {@code host} enters: a Gateway server's scheme and port, or a namespace's sidecars. */
  private record Entry(String scheme, int port, String from) {}

  private static List<Entry> entries(MeshView mesh, GatewayRef ref, String vsNamespace, String host) {
    if (ref.isMesh()) {
      return List.of(new Entry("http", 80, "namespace:" + vsNamespace));
    }
    Resource gateway = mesh.gateway(ref);
    if (gateway == null) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    JsonNode servers = gateway.tree().path("spec").path("servers");
    for (int i = 0; i < servers.size(); i++) {
      GatewayServer server = new GatewayServer(gateway, i, servers.get(i));
      String scheme = switch (server.protocol()) {
        case "HTTP", "HTTP2" -> "http";
        case "HTTPS" -> "https";
        default -> null;
      };
      int port = servers.get(i).path("port").path("number").asInt();
      if (scheme != null && port > 0 && server.hostSpecificity(host, vsNamespace) >= 0) {
        out.add(new Entry(scheme, port, "gateway:" + gateway.namespace() + "/" + gateway.name()));
      }
    }
    return out;
  }

  /** A path the match's URI condition accepts, with its exact query parameters; null for a regex. */
  private static String samplePath(JsonNode match) {
    JsonNode uri = match.path("uri");
    String path;
    if (uri.isMissingNode()) {
      path = "/";
    } else if (uri.has("exact")) {
      path = uri.path("exact").asText();
    } else if (uri.has("prefix")) {
      path = uri.path("prefix").asText();
    } else {
      return null;
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    List<String> query = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : match.path("queryParams").properties()) {
      if (!p.getValue().has("exact")) {
        return null;
      }
      query.add(p.getKey() + "=" + p.getValue().path("exact").asText());
    }
    return query.isEmpty() ? path : path + "?" + String.join("&", query);
  }

  /** The request, or null when the match cannot be met by a sample or makes no valid URL. */
  private static Request request(JsonNode match, Entry entry, String host, String path) {
    boolean defaultPort = entry.port == (entry.scheme.equals("https") ? 443 : 80);
    String url = entry.scheme + "://" + host + (defaultPort ? "" : ":" + entry.port) + path;
    List<String> headers = new ArrayList<>();
    for (Map.Entry<String, JsonNode> h : match.path("headers").properties()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!h.getValue().has("exact") || name.startsWith(":") || name.equals("host")) {
        return null;
      }
      headers.add(h.getKey() + ":" + h.getValue().path("exact").asText());
    }
    if (match.has("method") && !match.path("method").has("exact")) {
      return null;
    }
    String method = match.path("method").path("exact").asText("GET");
    try {
      return Request.parse(url, method, headers, entry.from);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
