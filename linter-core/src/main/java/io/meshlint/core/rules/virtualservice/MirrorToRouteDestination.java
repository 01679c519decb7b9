package io.meshlint.core.rules.virtualservice;

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
import java.util.HashSet;
import java.util.Set;

@RuleMeta(
    code = "MSH1012",
    name = "MirrorToRouteDestination",
    severity = Severity.WARNING,
    summary = "A mirror copies traffic to the same host and subset the route already sends it to.",
    description = """
        Mirroring ("testing in production") sends a fire-and-forget copy of each request to a \
        second destination, typically the new version of a service. When the mirror names the \
        host and subset (and port) of one of the route's own destinations, the same pods get \
        every mirrored request twice: writes happen twice (duplicate orders, double charges, \
        repeated messages), load doubles, and nothing new is tested. It usually means the \
        `subset` of the mirror was forgotten or copied from the route.

        meshlint compares `mirror` and `mirrors[].destination` of each http route with its \
        `route[].destination`s; hosts are compared with short names made full Service names.

        Fix: point the mirror at the version under test (its own subset or host).""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class MirrorToRouteDestination implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    String domain = ctx.mesh().settings().clusterDomain();
    Trees.forEach(vs.tree().path("spec").path("http"), FieldPath.of("spec", "http"), (route, routePath) -> {
      Set<String> primary = new HashSet<>();
      for (JsonNode d : route.path("route")) {
        primary.add(key(d.path("destination"), vs, domain, true));
        // A mirror without port meets the destination on whatever port it names.
        primary.add(key(d.path("destination"), vs, domain, false));
      }
      if (route.path("mirror").isObject()) {
        check(route.path("mirror"), routePath.key("mirror"), primary, vs, domain, ctx);
      }
      Trees.forEach(route.path("mirrors"), routePath.key("mirrors"),
          (m, mPath) -> check(m.path("destination"), mPath.key("destination"), primary, vs, domain, ctx));
    });
  }

  private static void check(JsonNode mirror, FieldPath path, Set<String> primary, Resource vs, String domain,
      RuleContext ctx) {
    if (mirror.path("host").asText().isEmpty() || !primary.contains(key(mirror, vs, domain, true))) {
      return;
    }
    String subset = mirror.path("subset").asText();
    ctx.report(path, "The mirror targets " + mirror.path("host").asText() + (subset.isEmpty() ? "" : " subset " + subset)
        + ", which this route already sends the requests to: those pods get every mirrored request twice");
  }

  /** Host, subset and (when {@code withPort}) port number. */
  private static String key(JsonNode destination, Resource vs, String domain, boolean withPort) {
    return Hosts.toFqdn(destination.path("host").asText(), vs.namespace(), domain) + "|"
        + destination.path("subset").asText() + "|"
        + (withPort ? destination.path("port").path("number").asText() : "");
  }
}
