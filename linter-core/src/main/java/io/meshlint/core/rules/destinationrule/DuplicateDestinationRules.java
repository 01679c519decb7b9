package io.meshlint.core.rules.destinationrule;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@RuleMeta(
    code = "MSH1003",
    name = "DuplicateDestinationRules",
    severity = Severity.WARNING,
    summary = "Several DestinationRules in one namespace define the same host, and Istio drops part of them.",
    description = """
        Istio merges the DestinationRules of one namespace that define the same host (short names \
        taken in that namespace) and select the same workloads (no `workloadSelector`, or equal \
        ones), in creation order, oldest first, and merges only the subsets:
        - `subsets` are added, except a subset whose name an older rule already defines: that \
        definition is dropped (its labels and subset traffic policy never apply);
        - `trafficPolicy` is not merged field by field: the oldest rule that has one wins as a \
        whole, and every other rule's `trafficPolicy` (load balancer, connection pool, outlier \
        detection, TLS, `portLevelSettings`) is ignored.

        Which rule is oldest is decided by the cluster, not by the files, so the result can change \
        when a rule is re-created. meshlint reports each of the rules with what is lost as a \
        warning; when the merge loses nothing (say, one rule with subsets, one with the traffic \
        policy) it reports information only. DestinationRules in different namespaces are not \
        merged (a client uses the one of its own namespace, else the host's, else the root \
        namespace's) and are not reported.

        Fix: merge the rules into one DestinationRule per host and namespace.""",
    subjects = {Kinds.DESTINATION_RULE})
public final class DuplicateDestinationRules implements Rule {

  @Override
  public void check(Resource dr, RuleContext ctx) {
    JsonNode spec = dr.tree().path("spec");
    String host = spec.path("host").asText();
    if (host.isEmpty()) {
      return;
    }
    String domain = ctx.mesh().settings().clusterDomain();
    String fqdn = Hosts.toFqdn(host, dr.namespace(), domain);
    List<Resource> group = new ArrayList<>();
    for (Resource other : ctx.mesh().destinationRulesFor(fqdn)) {
      JsonNode otherSpec = other.tree().path("spec");
      if (other.namespace().equals(dr.namespace()) && (other == dr || !other.key().equals(dr.key()))
          && Hosts.toFqdn(otherSpec.path("host").asText(), other.namespace(), domain).equals(fqdn)
          && otherSpec.path("workloadSelector").equals(spec.path("workloadSelector"))) {
        group.add(other);
      }
    }
    if (group.size() < 2) {
      return;
    }
    List<String> names = new ArrayList<>();
    int policies = 0;
    Set<String> seen = new LinkedHashSet<>();
    Set<String> duplicateSubsets = new LinkedHashSet<>();
    for (Resource r : group) {
      names.add(r.name());
      if (r.tree().path("spec").path("trafficPolicy").isObject()) {
        policies++;
      }
      for (JsonNode subset : r.tree().path("spec").path("subsets")) {
        if (!seen.add(subset.path("name").asText())) {
          duplicateSubsets.add(subset.path("name").asText());
        }
      }
    }
    List<String> lost = new ArrayList<>();
    if (policies > 1) {
      lost.add("only the oldest rule's trafficPolicy applies, the " + (policies - 1) + " other(s) are ignored");
    }
    if (!duplicateSubsets.isEmpty()) {
      lost.add("subset(s) " + String.join(", ", duplicateSubsets) + " defined more than once: only the oldest "
          + "definition applies");
    }
    String message = "DestinationRules " + String.join(", ", names) + " in namespace " + dr.namespace()
        + " define the same host " + fqdn + " and are merged by Istio in creation order";
    if (lost.isEmpty()) {
      ctx.report(FieldPath.of("spec", "host"), message + " (nothing is lost; one DestinationRule is clearer)",
          Severity.INFO, null);
    } else {
      ctx.report(FieldPath.of("spec", "host"), message + ": " + String.join("; ", lost));
    }
  }
}
