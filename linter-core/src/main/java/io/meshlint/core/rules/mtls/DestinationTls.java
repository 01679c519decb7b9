package io.meshlint.core.rules.mtls;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The client-side TLS settings of a DestinationRule whose host is a Service, and the workloads they reach. */
final class DestinationTls {

  /**
   * One {@code tls} block.
   *
   * @param path where its {@code mode} is
   * @param port the Service port of a port-level setting, -1 for a whole policy
   * @param otherPorts for a whole policy, the ports whose own setting overrides it
   * @param subsetLabels the subset's labels, empty outside a subset
   */
  record Site(FieldPath path, String mode, int port, Set<Integer> otherPorts, Map<String, String> subsetLabels) {
    boolean appliesTo(JsonNode servicePort) {
      int number = servicePort.path("port").asInt(-1);
      return port < 0 ? !otherPorts.contains(number) : port == number;
    }
  }

  private DestinationTls() {}

  /** The Service the rule's host names, when it is one. */
  static Resource service(Resource rule, MeshView mesh) {
    String host = rule.tree().path("spec").path("host").asText("");
    return host.isEmpty() ? null : mesh.service(host, rule.namespace());
  }

  /** Every tls block with a mode: the rule's traffic policy, its port-level settings and its subsets'. */
  static List<Site> sites(Resource rule) {
    List<Site> out = new ArrayList<>();
    JsonNode spec = rule.tree().path("spec");
    addPolicy(spec.path("trafficPolicy"), FieldPath.of("spec", "trafficPolicy"), Map.of(), out);
    Trees.forEach(spec.path("subsets"), FieldPath.of("spec", "subsets"), (subset, path) -> addPolicy(
        subset.path("trafficPolicy"), path.key("trafficPolicy"), Resource.stringMap(subset.path("labels")), out));
    return out;
  }

  private static void addPolicy(JsonNode policy, FieldPath at, Map<String, String> subsetLabels, List<Site> out) {
    Set<Integer> portsWithTls = new HashSet<>();
    Trees.forEach(policy.path("portLevelSettings"), at.key("portLevelSettings"), (setting, path) -> {
      String mode = setting.path("tls").path("mode").asText("");
      int port = setting.path("port").path("number").asInt(-1);
      if (!mode.isEmpty() && port > 0) {
        portsWithTls.add(port);
        out.add(new Site(path.then("tls.mode"), mode, port, Set.of(), subsetLabels));
      }
    });
    String mode = policy.path("tls").path("mode").asText("");
    if (!mode.isEmpty()) {
      out.add(new Site(at.then("tls.mode"), mode, -1, portsWithTls, subsetLabels));
    }
  }

  /** The Service's workloads that the site reaches (its subset's among them); none for a Service without selector. */
  static List<Workload> workloads(Resource service, Site site, MeshView mesh) {
    Map<String, String> selector = new LinkedHashMap<>(Resource.stringMap(service.tree().path("spec").path("selector")));
    if (selector.isEmpty()) {
      return List.of();
    }
    selector.putAll(site.subsetLabels());
    return mesh.workloadsMatching(service.namespace(), selector);
  }

  /** The Service's ports the site applies to. */
  static List<JsonNode> ports(Resource service, Site site) {
    List<JsonNode> out = new ArrayList<>();
    service.tree().path("spec").path("ports").forEach(p -> {
      if (site.appliesTo(p)) {
        out.add(p);
      }
    });
    return out;
  }
}
