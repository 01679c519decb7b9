package io.meshlint.core.rules.mtls;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.PeerAuthentications;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.rules.injection.Injection;
import io.meshlint.core.rules.workload.WorkloadPorts;

@RuleMeta(
    code = "MSH1020",
    name = "StrictMtlsDisabledByDestinationRule",
    severity = Severity.ERROR,
    summary = "A DestinationRule sends plaintext (`tls.mode: DISABLE`) to workloads whose PeerAuthentication is STRICT.",
    description = """
        With `tls.mode: DISABLE` the client's sidecar sends plain text, even where Istio's automatic \
        mTLS would have used mTLS. A server-side sidecar whose PeerAuthentication is `STRICT` \
        accepts only mTLS and resets those connections: clients see `503 upstream connect error \
        or disconnect/reset before headers`, although both sides look healthy.

        meshlint follows the DestinationRule's host to a Service among the inputs, and the \
        Service's selector (narrowed by the subset's labels for a subset's policy) to its \
        workloads, Pods and pod templates of controllers alike. For each Service port the `tls` \
        block applies to (a port-level setting overrides the whole policy), it finds the mode the \
        workload's sidecar accepts on the target port, as Istio does: the workload's \
        PeerAuthentication (its `portLevelMtls` first), then the namespace's, then the mesh-wide \
        one in the root namespace, `UNSET` deferring to the next. Workloads known to run without a \
        sidecar are skipped, as are hosts with wildcards and hosts that are not Services.

        Fix: remove the `tls` block (automatic mTLS then does the right thing) or set \
        `mode: ISTIO_MUTUAL`; or, if the server really must accept plain text, make its \
        PeerAuthentication `PERMISSIVE` (or `DISABLE` for that port with `portLevelMtls`).""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE, Kinds.PEER_AUTHENTICATION, Kinds.NAMESPACE, Kinds.POD, Kinds.DEPLOYMENT,
        Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class StrictMtlsDisabledByDestinationRule implements Rule {

  @Override
  public void check(Resource rule, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    Resource service = DestinationTls.service(rule, mesh);
    if (service == null) {
      return;
    }
    for (DestinationTls.Site site : DestinationTls.sites(rule)) {
      if (site.mode().equals(PeerAuthentications.DISABLE)) {
        String conflict = firstStrict(service, site, mesh);
        if (conflict != null) {
          ctx.report(site.path(), "tls.mode DISABLE sends plain text to service " + service.namespace() + "/"
              + service.name() + ", but " + conflict + ": its sidecar rejects plain text and requests fail with 503");
        }
      }
    }
  }

  /** The first workload and port that accept only mTLS, described; null when none. */
  private static String firstStrict(Resource service, DestinationTls.Site site, MeshView mesh) {
    for (Workload w : DestinationTls.workloads(service, site, mesh)) {
      if (!Injection.inMesh(w, mesh.namespace(w.namespace()))) {
        continue;
      }
      for (JsonNode port : DestinationTls.ports(service, site)) {
        int target = WorkloadPorts.targetPortNumber(port, w);
        PeerAuthentications.Mode mode = PeerAuthentications.of(w, target, mesh);
        if (mode.mode().equals(PeerAuthentications.STRICT)) {
          return "workload " + WorkloadSelectors.workloadName(w) + " requires mTLS on port "
              + (target < 0 ? port.path("port").asText() : String.valueOf(target)) + ": " + mode.describe();
        }
      }
    }
    return null;
  }
}
