package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/** The protocol Istio gives a port: how it decides whether HTTP routes, TCP routes or TLS routes apply. */
public final class Protocols {
  private Protocols() {}

  private static final Set<String> HTTP = Set.of("http", "http2", "grpc", "grpc-web", "http_proxy");
  /** Proxied as plain TCP; UDP is not proxied at all. */
  private static final Set<String> OPAQUE = Set.of("tcp", "mongo", "mysql", "redis");

  /**
   * A Service port's protocol, lower case: {@code appProtocol} (Kubernetes' {@code kubernetes.io/h2c},
   * {@code ws}, {@code wss} included), else the port name's prefix before the first dash; "" when
   * Istio has to sniff it.
   */
  public static String ofServicePort(JsonNode port) {
    if (port.path("protocol").asText().equals("UDP")) {
      return "udp";
    }
    String name = (port.has("appProtocol") ? port.path("appProtocol").asText() : port.path("name").asText())
        .toLowerCase(Locale.ROOT);
    switch (name) {
      case "kubernetes.io/h2c" -> {
        return "http2";
      }
      case "kubernetes.io/ws" -> {
        return "http";
      }
      case "kubernetes.io/wss" -> {
        return "https";
      }
      default -> { }
    }
    if (name.startsWith("grpc-web")) {
      return "grpc-web";
    }
    int dash = name.indexOf('-');
    String prefix = dash >= 0 ? name.substring(0, dash) : name;
    return HTTP.contains(prefix) || OPAQUE.contains(prefix) || prefix.equals("https") || prefix.equals("tls")
        || prefix.equals("udp") ? prefix : "";
  }

  /** A ServiceEntry or Gateway port's {@code protocol}, lower case. */
  public static String ofDeclaredPort(JsonNode port) {
    return port.path("protocol").asText("").toLowerCase(Locale.ROOT);
  }

  /** True for protocols whose traffic Istio routes as opaque TCP, so that HTTP routes never see it. */
  public static boolean isOpaque(String protocol) {
    return OPAQUE.contains(protocol);
  }

  /** True for protocols whose traffic is TLS the proxy does not terminate: routed by SNI. */
  public static boolean isTls(String protocol) {
    return protocol.equals("https") || protocol.equals("tls");
  }

  public static boolean isHttp(String protocol) {
    return HTTP.contains(protocol);
  }
}
