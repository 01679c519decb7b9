package io.meshlint.core.rules.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.function.BiConsumer;

/** Kubernetes Gateway API kinds as the index names them ({@link Kinds#keyOf}), and the references routes make. */
final class GatewayApi {
  static final String GATEWAY = "Gateway.gateway.networking.k8s.io";
  static final String HTTP_ROUTE = "HTTPRoute.gateway.networking.k8s.io";
  static final String GRPC_ROUTE = "GRPCRoute.gateway.networking.k8s.io";
  static final String TCP_ROUTE = "TCPRoute.gateway.networking.k8s.io";
  static final String TLS_ROUTE = "TLSRoute.gateway.networking.k8s.io";
  static final String REFERENCE_GRANT = "ReferenceGrant.gateway.networking.k8s.io";

  private GatewayApi() {}

  /** A reference's group, kind, namespace (defaulting to the referrer's) and name. */
  record Ref(String group, String kind, String namespace, String name) {
    static Ref of(JsonNode ref, String defaultGroup, String defaultKind, String fromNamespace) {
      return new Ref(ref.path("group").asText(defaultGroup), ref.path("kind").asText(defaultKind),
          ref.path("namespace").asText(fromNamespace), ref.path("name").asText());
    }

    boolean is(String group, String kind) {
      return this.group.equals(group) && this.kind.equals(kind);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  static Ref parentRef(JsonNode ref, Resource route) {
    return Ref.of(ref, Kinds.GATEWAY_API, "Gateway", route.namespace());
  }

  static Ref backendRef(JsonNode ref, Resource route) {
    return Ref.of(ref, "", "Service", route.namespace());
  }

  /** Calls {@code action} for each {@code spec.rules[].backendRefs[]} of a route, with its path. */
  static void forEachBackendRef(Resource route, BiConsumer<JsonNode, FieldPath> action) {
    Trees.forEach(route.tree().path("spec").path("rules"), FieldPath.of("spec", "rules"), (rule, rulePath) ->
        Trees.forEach(rule.path("backendRefs"), rulePath.key("backendRefs"), action));
  }
}
