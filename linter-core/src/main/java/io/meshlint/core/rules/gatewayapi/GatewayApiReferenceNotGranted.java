package io.meshlint.core.rules.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1055",
    name = "GatewayApiReferenceNotGranted",
    severity = Severity.ERROR,
    summary = "A Gateway API reference to another namespace has no ReferenceGrant there allowing it.",
    description = """
        A route's `backendRefs` to a Service in another namespace, and a Gateway listener's \
        `tls.certificateRefs` to a Secret in another namespace, are honoured only when a \
        ReferenceGrant in the target namespace allows them: its `from` lists the referring kind and \
        namespace, its `to` the target kind (and, when given, the name). Without one the reference \
        is refused (`ResolvedRefs: False`, `RefNotPermitted`): requests to the backend get 500, and \
        the listener has no certificate, so TLS handshakes fail.

        A route's parentRefs to a Gateway in another namespace need no ReferenceGrant; the \
        Gateway's `allowedRoutes` govern them (MSH1053).

        Fix: add a ReferenceGrant in the target namespace, for example
        ```yaml
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: allow-routes, namespace: backend-namespace}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: route-namespace}]
          to: [{group: "", kind: Service}]
        ```""",
    subjects = {GatewayApi.HTTP_ROUTE, GatewayApi.GRPC_ROUTE, GatewayApi.TCP_ROUTE, GatewayApi.TLS_ROUTE,
        GatewayApi.GATEWAY},
    reads = {GatewayApi.REFERENCE_GRANT})
public final class GatewayApiReferenceNotGranted implements Rule {

  @Override
  public void check(Resource subject, RuleContext ctx) {
    if (subject.kindKey().equals(GatewayApi.GATEWAY)) {
      Trees.forEach(subject.tree().path("spec").path("listeners"), FieldPath.of("spec", "listeners"),
          (listener, listenerPath) -> Trees.forEach(listener.path("tls").path("certificateRefs"),
              listenerPath.then("tls.certificateRefs"),
              (node, path) -> check(subject, GatewayApi.Ref.of(node, "", "Secret", subject.namespace()), path, ctx)));
    } else {
      GatewayApi.forEachBackendRef(subject, (node, path) ->
          check(subject, GatewayApi.backendRef(node, subject), path, ctx));
    }
  }

  private static void check(Resource from, GatewayApi.Ref to, FieldPath path, RuleContext ctx) {
    if (to.namespace().equals(from.namespace())) {
      return;
    }
    for (Resource grant : ctx.mesh().resourcesIn(GatewayApi.REFERENCE_GRANT, to.namespace())) {
      if (grants(grant.tree().path("spec"), from, to)) {
        return;
      }
    }
    ctx.report(path.key("namespace"), "Reference to " + to.kind() + " " + to + " from namespace " + from.namespace()
        + " is not allowed by any ReferenceGrant in namespace " + to.namespace());
  }

  private static boolean grants(JsonNode spec, Resource from, GatewayApi.Ref to) {
    boolean fromOk = false;
    for (JsonNode f : spec.path("from")) {
      fromOk |= f.path("group").asText().equals(Kinds.GATEWAY_API) && f.path("kind").asText().equals(from.kind())
          && f.path("namespace").asText().equals(from.namespace());
    }
    if (!fromOk) {
      return false;
    }
    for (JsonNode t : spec.path("to")) {
      if (t.path("group").asText().equals(to.group()) && t.path("kind").asText().equals(to.kind())
          && (!t.has("name") || t.path("name").asText().equals(to.name()))) {
        return true;
      }
    }
    return false;
  }
}
