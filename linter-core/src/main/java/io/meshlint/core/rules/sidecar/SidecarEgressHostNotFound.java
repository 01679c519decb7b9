package io.meshlint.core.rules.sidecar;

import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1048",
    name = "SidecarEgressHostNotFound",
    severity = Severity.WARNING,
    summary = "A Sidecar egress host names a service that no Service or ServiceEntry provides.",
    description = """
        A Sidecar's `egress[].hosts` (`namespace/dnsName`) is the list of services its workloads may \
        reach; Istio configures nothing else into their proxies. A host that no Service or \
        ServiceEntry provides is usually a typo, and the service the author meant is then missing: \
        calls to it fail with 404 or 502 (or leave the mesh unmanaged through the passthrough \
        cluster, without retries, mTLS or telemetry).

        Istio matches these names against the registry's full names, so a short name \
        (`default/reviews`) never matches: write `default/reviews.default.svc.cluster.local`. \
        Wildcard names (`*`, `*.example.com`) and the `~` namespace are not checked; a namespace \
        of `.` or `*` looks the host up from the Sidecar's own namespace.

        Fix the name, or add the ServiceEntry for an external host.""",
    subjects = {Kinds.SIDECAR},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY},
    aliases = {"KIA1004"})
public final class SidecarEgressHostNotFound implements Rule {

  @Override
  public void check(Resource sidecar, RuleContext ctx) {
    Trees.forEach(sidecar.tree().path("spec").path("egress"), FieldPath.of("spec", "egress"), (egress, egressPath) ->
        Trees.forEach(egress.path("hosts"), egressPath.key("hosts"), (hostNode, hostPath) -> {
          String entry = hostNode.asText();
          int slash = entry.indexOf('/');
          String ns = slash < 0 ? "*" : entry.substring(0, slash);
          String host = entry.substring(slash + 1);
          if (ns.equals("~") || host.isEmpty() || Hosts.isWildcard(host)) {
            return;
          }
          String from = ns.equals("*") || ns.equals(".") ? sidecar.namespace() : ns;
          if (!host.contains(".")) {
            ctx.report(hostPath, "Egress host \"" + entry + "\" is a short name, which never matches: write the full"
                + " name, e.g. " + host + "." + from + ".svc." + ctx.mesh().settings().clusterDomain());
          } else if (!ctx.mesh().hostResolves(host, from)) {
            ctx.report(hostPath, "Egress host \"" + entry + "\" has no matching entry in the service registry"
                + " (Service or ServiceEntry)");
          }
        }));
  }
}
