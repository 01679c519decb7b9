package io.meshlint.core.rules.gatewayapi;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1052",
    name = "GatewayApiParentNotFound",
    severity = Severity.ERROR,
    summary = "A Gateway API route's parentRef names a Gateway (or Service) that does not exist.",
    description = """
        An HTTPRoute, GRPCRoute, TCPRoute or TLSRoute attaches to the Gateways its `parentRefs` \
        name (`namespace` defaults to the route's own). When the Gateway does not exist the route \
        is attached nowhere: its status says `Accepted: False` and its hosts answer 404, or the \
        connection is refused. A parentRef to a Service (`group: ""`, `kind: Service`, Istio's mesh \
        routing, GAMMA) must name an existing Service too.

        Fix the name or namespace of the parentRef, or create the Gateway.""",
    subjects = {GatewayApi.HTTP_ROUTE, GatewayApi.GRPC_ROUTE, GatewayApi.TCP_ROUTE, GatewayApi.TLS_ROUTE},
    reads = {GatewayApi.GATEWAY, Kinds.SERVICE})
public final class GatewayApiParentNotFound implements Rule {

  @Override
  public void check(Resource route, RuleContext ctx) {
    Trees.forEach(route.tree().path("spec").path("parentRefs"), FieldPath.of("spec", "parentRefs"), (node, path) -> {
      GatewayApi.Ref ref = GatewayApi.parentRef(node, route);
      if (ref.is(Kinds.GATEWAY_API, "Gateway") && !ctx.mesh().exists(GatewayApi.GATEWAY, ref.namespace(), ref.name())) {
        ctx.report(path, "Parent Gateway " + ref + " not found: the route is attached nowhere");
      } else if (ref.is("", "Service") && !ctx.mesh().exists(Kinds.SERVICE, ref.namespace(), ref.name())) {
        ctx.report(path, "Parent Service " + ref + " not found: the route is attached nowhere");
      }
    });
  }
}
