package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

@RuleMeta(
    code = "IST0149",
    name = "JwtClaimBasedRoutingWithoutRequestAuthN",
    severity = Severity.ERROR,
    summary = "A VirtualService routes on JWT claims on a gateway that no RequestAuthentication validates tokens for.",
    description = """
        Header matches on `@request.auth.claims.*` read the claims of a JWT that a \
        RequestAuthentication has validated on that proxy. Without a RequestAuthentication \
        selecting the gateway workload there are no claims, so the match never succeeds and \
        requests fall through to later routes (or get 404).

        meshlint reports, as `istioctl analyze` does, a VirtualService whose `http[].match[]` \
        `headers` or `withoutHeaders` use a `@request.auth.claims` key, once for each workload \
        of each Gateway in its `gateways` (not `mesh`) that no RequestAuthentication selects, \
        looking in the workload's namespace and in the root namespace (`istio-system` unless the \
        mesh config says otherwise; a RequestAuthentication without selector selects all \
        workloads of its namespace). Unlike `istioctl analyze`, which looks at Pods only, meshlint \
        also counts pod templates; Istio's default ingress gateway is assumed as elsewhere.

        Fix: apply a RequestAuthentication (with the issuer and JWKS of the tokens) that selects \
        the gateway workload, in its namespace or in the root namespace.""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.GATEWAY, Kinds.REQUEST_AUTHENTICATION, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET,
        Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class JwtClaimBasedRoutingWithoutRequestAuthN implements Rule {
  private static final String CLAIM_PREFIX = "@request.auth.claims";

  @Override
  public void check(Resource vs, RuleContext ctx) {
    FieldPath claimPath = firstClaimMatch(vs.tree().path("spec").path("http"));
    if (claimPath == null) {
      return;
    }
    String key = claimPath.segment(claimPath.size() - 1).toString();
    MeshView mesh = ctx.mesh();
    for (JsonNode g : vs.tree().path("spec").path("gateways")) {
      GatewayRef ref = GatewayRef.parse(g.asText(), vs.namespace());
      Resource gateway = mesh.gateway(ref);
      if (gateway == null) {
        continue;
      }
      var selector = Resource.stringMap(gateway.tree().path("spec").path("selector"));
      for (Workload w : mesh.workloadsMatching(null, selector)) {
        if (!authenticated(w, mesh)) {
          ctx.report(claimPath, "The virtual service uses the JWT claim based routing (key: " + key + ") but found no "
              + "request authentication for the gateway (" + gateway.namespace() + "/" + gateway.name() + ") pod ("
              + WorkloadSelectors.workloadName(w) + "). The request authentication must first be applied for the "
              + "gateway pods to validate the JWT token and make the claims available for routing.");
        }
      }
    }
  }

  private static boolean authenticated(Workload w, MeshView mesh) {
    List<Resource> candidates = new ArrayList<>(mesh.resourcesIn(Kinds.REQUEST_AUTHENTICATION, w.namespace()));
    String root = mesh.meshConfig().rootNamespace();
    if (!root.equals(w.namespace())) {
      candidates.addAll(mesh.resourcesIn(Kinds.REQUEST_AUTHENTICATION, root));
    }
    for (Resource ra : candidates) {
      if (w.matches(Resource.stringMap(ra.tree().path("spec").path("selector").path("matchLabels")))) {
        return true;
      }
    }
    return false;
  }

  /** The first {@code headers} or {@code withoutHeaders} entry keyed by a JWT claim, or null. */
  private static FieldPath firstClaimMatch(JsonNode http) {
    for (int i = 0; i < http.size(); i++) {
      JsonNode matches = http.path(i).path("match");
      for (int j = 0; j < matches.size(); j++) {
        for (String field : new String[] {"headers", "withoutHeaders"}) {
          for (Iterator<String> keys = matches.path(j).path(field).fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.startsWith(CLAIM_PREFIX)) {
              return FieldPath.of("spec", "http", i, "match", j, field, key);
            }
          }
        }
      }
    }
    return null;
  }
}
