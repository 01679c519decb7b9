package io.meshlint.core.rules.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "MSH1054",
    name = "GatewayApiBackendNotFound",
    severity = Severity.ERROR,
    summary = "A Gateway API route's backendRef names a Service, or a Service port, that does not exist.",
    description = """
        Each `rules[].backendRefs[]` of an HTTPRoute, GRPCRoute, TCPRoute or TLSRoute names a \
        Service (`namespace` defaults to the route's) and its `port`, the Service port (not the \
        container's). A missing Service or a port the Service does not expose makes the route's \
        status say `ResolvedRefs: False` (`BackendNotFound`): HTTP and gRPC requests for that \
        backend get 500, TCP and TLS connections are refused; with several backends, that share \
        of the traffic fails.

        Only backendRefs to Services (`group: ""`, `kind: Service`, the default) are checked.

        Fix the name, namespace or port, or create the Service.""",
    subjects = {GatewayApi.HTTP_ROUTE, GatewayApi.GRPC_ROUTE, GatewayApi.TCP_ROUTE, GatewayApi.TLS_ROUTE},
    reads = {Kinds.SERVICE})
public final class GatewayApiBackendNotFound implements Rule {

  @Override
  public void check(Resource route, RuleContext ctx) {
    GatewayApi.forEachBackendRef(route, (node, path) -> {
      GatewayApi.Ref ref = GatewayApi.backendRef(node, route);
      if (!ref.is("", "Service")) {
        return;
      }
      Resource service = ctx.mesh().get(Kinds.SERVICE, ref.namespace(), ref.name());
      if (service == null) {
        ctx.report(path, "Backend Service " + ref + " not found");
        return;
      }
      JsonNode port = node.path("port");
      if (port.isMissingNode()) {
        return;
      }
      for (JsonNode p : service.tree().path("spec").path("ports")) {
        if (p.path("port").asInt() == port.asInt()) {
          return;
        }
      }
      ctx.report(path.key("port"), "Backend Service " + ref + " has no port " + port.asText());
    });
  }
}
