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
import java.util.HashMap;
import java.util.Map;

@RuleMeta(
    code = "MSH1005",
    name = "DuplicateRouteDestination",
    severity = Severity.WARNING,
    summary = "One route lists the same host, subset and port twice.",
    description = """
        A route's `route[]` entries split its traffic by `weight`. Two entries with the same \
        destination (host, subset and port) send their shares to the same pods, so the split is \
        not the one the weights suggest: a canary meant to get 10% gets none, or all of it. It is \
        almost always a copy-paste slip where the second entry should name another subset or \
        host.

        meshlint compares the destinations of each `http`, `tcp` and `tls` route; hosts are \
        compared with short names made full Service names in the VirtualService's namespace.

        Fix: correct the subset or host of the copy, or merge the two entries into one with the \
        sum of their weights.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class DuplicateRouteDestination implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    String domain = ctx.mesh().settings().clusterDomain();
    for (String protocol : new String[] {"http", "tcp", "tls"}) {
      Trees.forEach(vs.tree().path("spec").path(protocol), FieldPath.of("spec", protocol), (route, routePath) -> {
        Map<String, Integer> first = new HashMap<>();
        Trees.forEach(route.path("route"), routePath.key("route"), (d, dPath) -> {
          JsonNode destination = d.path("destination");
          String host = destination.path("host").asText();
          if (host.isEmpty()) {
            return;
          }
          String key = Hosts.toFqdn(host, vs.namespace(), domain) + "|" + destination.path("subset").asText() + "|"
              + destination.path("port").path("number").asText();
          Integer earlier = first.putIfAbsent(key, (Integer) dPath.segment(dPath.size() - 1));
          if (earlier != null) {
            String subset = destination.path("subset").asText();
            ctx.report(dPath.key("destination"), "Destination " + host + (subset.isEmpty() ? "" : " subset " + subset)
                + " is already route[" + earlier + "] of this route: both weights go to the same pods");
          }
        });
      });
    }
  }
}
