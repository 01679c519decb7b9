package io.meshlint.core.rules.mtls;

import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.rules.injection.Injection;
import java.util.ArrayList;
import java.util.List;

@RuleMeta(
    code = "MSH1021",
    name = "IstioMutualWithoutSidecar",
    severity = Severity.ERROR,
    summary = "A DestinationRule requires Istio mTLS (`ISTIO_MUTUAL`) towards workloads that run without a sidecar.",
    description = """
        `tls.mode: ISTIO_MUTUAL` makes the client's sidecar open an Istio mTLS connection. A \
        workload without a sidecar (not injected, or opted out) receives a TLS handshake where it \
        expects plain text and drops it: clients see `503 upstream connect error or \
        disconnect/reset before headers` (reset reason: connection termination). Automatic mTLS \
        would have sent plain text to it.

        meshlint follows the DestinationRule's host to a Service among the inputs, and the \
        Service's selector (narrowed by the subset's labels for a subset's policy) to its \
        workloads, Pods and pod templates of controllers alike, and reports workloads known to \
        run without a sidecar: Pods and templates labelled or annotated \
        `sidecar.istio.io/inject: "false"`, pods on the host network, and workloads in a Namespace \
        among the inputs that is neither labelled for injection nor ambient, unless they opt in \
        themselves. A workload with an `istio-proxy` container always counts as injected. \
        Workloads whose Namespace is not among the inputs are assumed injected.

        Fix: inject the workload (label its namespace `istio-injection=enabled` and restart it), \
        or drop the `tls` block so that automatic mTLS picks plain text for it, or set \
        `mode: DISABLE` for that host.""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE, Kinds.NAMESPACE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class IstioMutualWithoutSidecar implements Rule {

  @Override
  public void check(Resource rule, RuleContext ctx) {
    MeshView mesh = ctx.mesh();
    Resource service = DestinationTls.service(rule, mesh);
    if (service == null) {
      return;
    }
    for (DestinationTls.Site site : DestinationTls.sites(rule)) {
      if (!site.mode().equals("ISTIO_MUTUAL")) {
        continue;
      }
      List<String> withoutSidecar = new ArrayList<>();
      for (Workload w : DestinationTls.workloads(service, site, mesh)) {
        if (w.podSpec().path("hostNetwork").asBoolean(false) || !Injection.inMesh(w, mesh.namespace(w.namespace()))) {
          withoutSidecar.add(WorkloadSelectors.workloadName(w));
        }
      }
      if (!withoutSidecar.isEmpty()) {
        ctx.report(site.path(), "tls.mode ISTIO_MUTUAL opens Istio mTLS to service " + service.namespace() + "/"
            + service.name() + ", but " + WorkloadSelectors.goList(withoutSidecar)
            + " run without a sidecar and cannot terminate it: requests to them fail with 503");
      }
    }
  }
}
