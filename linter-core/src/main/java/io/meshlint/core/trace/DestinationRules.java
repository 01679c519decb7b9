package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.CreationOrder;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The DestinationRule a client applies to a host, chosen as Istio chooses it: the rules of the
 * client's own namespace first, then those the host's namespace exports to the client, then those
 * the root namespace exports; within that namespace the most specific host (exact before
 * wildcards, longer wildcards first). Rules of the same host there are merged: the oldest (those
 * with a workload selector first) gives the traffic policy, and subsets add up, the first of a name
 * winning.
 */
final class DestinationRules {
  /** One subset and the rule that defines it. */
  record Subset(Resource rule, int index, JsonNode node) {
    String name() {
      return node.path("name").asText();
    }

    Map<String, String> labels() {
      return Resource.stringMap(node.path("labels"));
    }

    FieldPath path() {
      return FieldPath.of("spec", "subsets", index);
    }
  }

  /**
   * A client-side TLS setting: the mode ({@code null} when none applies), the {@code tls} block,
   * and where it is set.
   */
  record Tls(String mode, JsonNode settings, Resource rule, FieldPath path) {
    static final Tls UNSET = new Tls(null, null, null, null);
  }

  /** The rules that apply, in the order Istio merges them; empty when none does. */
  record Applied(List<Resource> rules) {
    static final Applied NONE = new Applied(List.of());

    Resource first() {
      return rules.isEmpty() ? null : rules.get(0);
    }

    Subset subset(String name) {
      for (Resource r : rules) {
        JsonNode subsets = r.tree().path("spec").path("subsets");
        for (int i = 0; i < subsets.size(); i++) {
          if (subsets.get(i).path("name").asText().equals(name)) {
            return new Subset(r, i, subsets.get(i));
          }
        }
      }
      return null;
    }

    /**
     * The TLS the client sends to {@code port}, as Istio merges the policies: the rule's
     * port-level setting for the port replaces its top-level one, and a subset's policy (its
     * port-level setting first) overrides both.
     */
    Tls tls(int port, Subset subset) {
      Tls tls = Tls.UNSET;
      for (Resource r : rules) {
        JsonNode policy = r.tree().path("spec").path("trafficPolicy");
        if (policy.isObject()) {
          tls = policyTls(policy, port, r, FieldPath.of("spec", "trafficPolicy"));
          break;
        }
      }
      if (subset != null && subset.node().path("trafficPolicy").isObject()) {
        Tls own = policyTls(subset.node().path("trafficPolicy"), port, subset.rule(), subset.path().key("trafficPolicy"));
        if (own.mode() != null || own.path() != null) {
          return own;
        }
      }
      return tls;
    }

    /** A policy's TLS for a port: its port-level setting (which does not inherit), else its own. */
    private static Tls policyTls(JsonNode policy, int port, Resource rule, FieldPath at) {
      JsonNode levels = policy.path("portLevelSettings");
      for (int i = 0; i < levels.size(); i++) {
        if (levels.get(i).path("port").path("number").asInt(-1) == port) {
          FieldPath path = at.key("portLevelSettings").index(i);
          JsonNode settings = levels.get(i).path("tls");
          String mode = settings.path("mode").asText("");
          return new Tls(mode.isEmpty() ? null : mode, settings, rule, path.key("tls"));
        }
      }
      String mode = policy.path("tls").path("mode").asText("");
      return mode.isEmpty() ? Tls.UNSET : new Tls(mode, policy.path("tls"), rule, at.key("tls"));
    }
  }

  private DestinationRules() {}

  /** The rules a client applies to {@code fqdn}, a host of a Service or ServiceEntry in {@code hostNamespace} (null when unknown). */
  static Applied forHost(String fqdn, String hostNamespace, Client client, MeshView mesh) {
    String domain = mesh.settings().clusterDomain();
    String root = mesh.meshConfig().rootNamespace();
    List<Resource> matching = new ArrayList<>();
    for (Resource dr : mesh.destinationRulesFor(fqdn)) {
      if (Hosts.covers(host(dr, domain), fqdn) && appliesTo(dr, client)) {
        matching.add(dr);
      }
    }
    if (matching.isEmpty()) {
      return Applied.NONE;
    }
    List<String> tiers = new ArrayList<>(List.of(client.namespace()));
    if (hostNamespace != null) {
      tiers.add(hostNamespace);
    }
    tiers.add(root);
    for (int tier = 0; tier < tiers.size(); tier++) {
      String ns = tiers.get(tier);
      boolean own = tier == 0;
      List<Resource> candidates = matching.stream()
          .filter(dr -> dr.namespace().equals(ns) && (own ? local(dr) : exportedTo(dr, client.namespace())))
          .toList();
      if (!candidates.isEmpty()) {
        String best = candidates.stream().map(dr -> host(dr, domain)).min(SPECIFIC_FIRST).orElseThrow();
        return new Applied(candidates.stream().filter(dr -> host(dr, domain).equals(best))
            .sorted(Comparator.comparing((Resource dr) -> selector(dr).isEmpty()).thenComparing(CreationOrder.OLDEST_FIRST))
            .toList());
      }
    }
    return Applied.NONE;
  }

  /** Exact hosts before wildcards, longer before shorter, then alphabetically: Istio's "more specific". */
  private static final Comparator<String> SPECIFIC_FIRST = Comparator
      .comparing((String h) -> Hosts.isWildcard(h))
      .thenComparing(String::length, Comparator.reverseOrder())
      .thenComparing(Comparator.naturalOrder());

  private static String host(Resource dr, String domain) {
    return Hosts.toFqdn(dr.tree().path("spec").path("host").asText(), dr.namespace(), domain);
  }

  private static Map<String, String> selector(Resource dr) {
    return Resource.stringMap(dr.tree().path("spec").path("workloadSelector").path("matchLabels"));
  }

  /** A rule with a workload selector applies only to the matching workloads of its own namespace. */
  private static boolean appliesTo(Resource dr, Client client) {
    Map<String, String> selector = selector(dr);
    return selector.isEmpty() || (dr.namespace().equals(client.namespace())
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(client.labels().get(e.getKey()))));
  }

  private static List<String> exportTo(Resource dr) {
    List<String> out = new ArrayList<>();
    dr.tree().path("spec").path("exportTo").forEach(e -> out.add(e.asText()));
    return out;
  }

  /** Visible in its own namespace: exported anywhere but exclusively elsewhere. */
  private static boolean local(Resource dr) {
    List<String> to = exportTo(dr);
    return to.isEmpty() || to.contains("*") || to.contains(".") || to.contains(dr.namespace()) || !selector(dr).isEmpty();
  }

  /** Exported beyond its namespace, to the client's: a rule with a selector, or exported to "." only, is not. */
  private static boolean exportedTo(Resource dr, String clientNamespace) {
    if (!selector(dr).isEmpty()) {
      return false;
    }
    List<String> to = exportTo(dr);
    return to.isEmpty() || to.contains("*") || to.contains(clientNamespace);
  }
}
