package io.meshlint.core.rules.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "MSH1053",
    name = "GatewayApiRouteNotAdmitted",
    severity = Severity.ERROR,
    summary = "No listener of a route's parent Gateway admits the route.",
    description = """
        A route attaches to a Gateway only through a listener that admits it: the listener named \
        by the parentRef's `sectionName` (and on its `port`, when given), or else any listener, \
        and that listener must
        - allow the route's namespace: `allowedRoutes.namespaces.from` is `Same` (the default: \
        only routes in the Gateway's namespace), `All`, or `Selector` (routes in namespaces whose \
        labels match `selector`; a parentRef from another namespace needs this, not a \
        ReferenceGrant);
        - allow the route's kind: `allowedRoutes.kinds`, by default HTTPRoute and GRPCRoute on \
        HTTP and HTTPS listeners, TLSRoute on TLS listeners (and TCPRoute when they terminate \
        TLS), TCPRoute on TCP listeners;
        - share a host name with the route: a listener `hostname` (`*.example.com` matches \
        subdomains) and the route's `hostnames` must intersect when both are set.

        Otherwise the route's status says `Accepted: False` (`NotAllowedByListeners` or \
        `NoMatchingListenerHostname`) and its traffic gets 404 or a refused connection. The message \
        gives each listener's reason. A `Selector` on namespaces is checked only when the route's \
        Namespace object is among the inputs (its `kubernetes.io/metadata.name` label included); \
        `matchExpressions` are not evaluated.

        Fix the parentRef's `sectionName`/`port`, the listener's `allowedRoutes` or `hostname`, or \
        the route's `hostnames`.""",
    subjects = {GatewayApi.HTTP_ROUTE, GatewayApi.GRPC_ROUTE, GatewayApi.TCP_ROUTE, GatewayApi.TLS_ROUTE},
    reads = {GatewayApi.GATEWAY, Kinds.NAMESPACE})
public final class GatewayApiRouteNotAdmitted implements Rule {
  private static final Map<String, Set<String>> DEFAULT_KINDS = Map.of(
      "HTTP", Set.of("HTTPRoute", "GRPCRoute"),
      "HTTPS", Set.of("HTTPRoute", "GRPCRoute"),
      "TLS", Set.of("TLSRoute"),
      "TCP", Set.of("TCPRoute"),
      "UDP", Set.of("UDPRoute"));

  @Override
  public void check(Resource route, RuleContext ctx) {
    Trees.forEach(route.tree().path("spec").path("parentRefs"), FieldPath.of("spec", "parentRefs"), (node, path) -> {
      GatewayApi.Ref ref = GatewayApi.parentRef(node, route);
      Resource gateway = ref.is(Kinds.GATEWAY_API, "Gateway")
          ? ctx.mesh().get(GatewayApi.GATEWAY, ref.namespace(), ref.name()) : null;
      if (gateway == null) {
        return; // MSH1052
      }
      String section = node.path("sectionName").asText("");
      String port = node.path("port").asText("");
      List<String> reasons = new ArrayList<>();
      boolean candidate = false;
      for (JsonNode listener : gateway.tree().path("spec").path("listeners")) {
        if ((!section.isEmpty() && !section.equals(listener.path("name").asText()))
            || (!port.isEmpty() && !port.equals(listener.path("port").asText()))) {
          continue;
        }
        candidate = true;
        String reason = refusal(listener, route, gateway, ctx);
        if (reason == null) {
          return;
        }
        reasons.add("listener " + listener.path("name").asText() + ": " + reason);
      }
      if (!candidate) {
        ctx.report(path, "Gateway " + ref + " has no listener" + (section.isEmpty() ? "" : " named " + section)
            + (port.isEmpty() ? "" : " on port " + port) + ": the route is not attached");
      } else {
        ctx.report(path, "No listener of Gateway " + ref + " admits this route (" + String.join("; ", reasons) + ")");
      }
    });
  }

  /** Why the listener refuses the route, or null when it admits it. */
  private static String refusal(JsonNode listener, Resource route, Resource gateway, RuleContext ctx) {
    JsonNode allowed = listener.path("allowedRoutes");
    JsonNode kinds = allowed.path("kinds");
    boolean kindAllowed;
    if (kinds.isArray() && !kinds.isEmpty()) {
      kindAllowed = false;
      for (JsonNode k : kinds) {
        kindAllowed |= k.path("kind").asText().equals(route.kind())
            && k.path("group").asText(Kinds.GATEWAY_API).equals(Kinds.GATEWAY_API);
      }
    } else {
      String protocol = listener.path("protocol").asText();
      Set<String> defaults = DEFAULT_KINDS.getOrDefault(protocol, Set.of());
      kindAllowed = defaults.contains(route.kind()) || (protocol.equals("TLS") && route.kind().equals("TCPRoute")
          && listener.path("tls").path("mode").asText("Terminate").equals("Terminate"));
    }
    if (!kindAllowed) {
      return "does not allow kind " + route.kind();
    }
    String from = allowed.path("namespaces").path("from").asText("Same");
    if (from.equals("Same") && !route.namespace().equals(gateway.namespace())) {
      return "allows routes from namespace " + gateway.namespace() + " only (from: Same)";
    }
    if (from.equals("Selector") && !selectorAdmits(allowed.path("namespaces").path("selector"), route.namespace(), ctx)) {
      return "namespace " + route.namespace() + " does not match the namespace selector";
    }
    String hostname = listener.path("hostname").asText("");
    JsonNode hostnames = route.tree().path("spec").path("hostnames");
    if (!hostname.isEmpty() && hostnames.isArray() && !hostnames.isEmpty()) {
      for (JsonNode h : hostnames) {
        if (Hosts.intersect(hostname, h.asText())) {
          return null;
        }
      }
      return "hostname " + hostname + " matches none of the route's hostnames";
    }
    return null;
  }

  private static boolean selectorAdmits(JsonNode selector, String namespace, RuleContext ctx) {
    Resource ns = ctx.mesh().namespace(namespace);
    if (ns == null || selector.path("matchExpressions").size() > 0) {
      return true; // cannot tell
    }
    Map<String, String> labels = new HashMap<>(ns.labels());
    labels.put("kubernetes.io/metadata.name", namespace);
    return labels.entrySet().containsAll(Resource.stringMap(selector.path("matchLabels")).entrySet());
  }
}
