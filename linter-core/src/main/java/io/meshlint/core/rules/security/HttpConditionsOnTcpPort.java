package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.workload.WorkloadPorts;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

@RuleMeta(
    code = "MSH1025",
    name = "HttpConditionsOnTcpPort",
    severity = Severity.WARNING,
    summary = "An AuthorizationPolicy rule uses HTTP-only conditions for ports that carry TCP, where they never match.",
    description = """
        On a port Istio treats as TCP (named or `appProtocol` `tcp`, `tls`, `https`, `mongo`, \
        `mysql`, `redis`) the sidecar sees connections, not requests: there are no methods, paths, \
        headers, hosts or JWT identities. Istio then handles a rule with such conditions \
        specially: in an ALLOW policy the rule never matches, so the connections it was meant to \
        admit are refused; in a DENY policy Istio drops the HTTP-only conditions, so the rule \
        denies every connection its other conditions match.

        HTTP-only conditions are `to.operation` `hosts`, `methods`, `paths` (and their `not` \
        forms), `from.source` `requestPrincipals`/`notRequestPrincipals`, and `when` keys \
        starting with `request.` (headers, JWT claims). meshlint looks at the ports the rule names \
        in `to.operation.ports`, or at every port when it names none, of the Services that select \
        the policy's workloads (Pods and pod templates of controllers alike), and reports a rule \
        of an ALLOW or DENY policy when every one of those ports is a TCP port. Ports without a \
        Service among the inputs, or whose protocol Istio would sniff, are taken as possibly HTTP \
        and never reported.

        Fix: drop the HTTP-only conditions and authorize TCP traffic by source (principals, \
        namespaces, ipBlocks) and port; or, if the port does carry HTTP, name the Service port \
        `http-...` (or set `appProtocol: http`).""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class HttpConditionsOnTcpPort implements Rule {
  private static final Set<String> HTTP_OPERATION_FIELDS = Set.of("hosts", "notHosts", "methods", "notMethods",
      "paths", "notPaths");
  private static final Set<String> HTTP_SOURCE_FIELDS = Set.of("requestPrincipals", "notRequestPrincipals");
  private static final Set<String> TCP_PROTOCOLS = Set.of("tcp", "tls", "https", "mongo", "mysql", "redis");

  @Override
  public void check(Resource policy, RuleContext ctx) {
    String action = policy.tree().path("spec").path("action").asText("ALLOW");
    if (!action.equals("ALLOW") && !action.equals("DENY")) {
      return;
    }
    List<Workload> workloads = AuthorizationPolicies.workloads(policy, ctx.mesh());
    if (workloads.isEmpty()) {
      return;
    }
    Map<Integer, FieldPath> httpField = new TreeMap<>();
    Map<Integer, Set<Integer>> rulePorts = new TreeMap<>();
    AuthorizationPolicies.forEachOperationField(policy, (rule, field, values, path) -> {
      if (HTTP_OPERATION_FIELDS.contains(field)) {
        httpField.putIfAbsent(rule, path);
      } else if (field.equals("ports")) {
        values.forEach(v -> rulePorts.computeIfAbsent(rule, r -> new HashSet<>()).add(v.asInt(-1)));
      }
    });
    AuthorizationPolicies.forEachSourceField(policy, (rule, field, values, path) -> {
      if (HTTP_SOURCE_FIELDS.contains(field)) {
        httpField.putIfAbsent(rule, path);
      }
    });
    AuthorizationPolicies.forEachCondition(policy, (rule, key, condition, path) -> {
      if (key.startsWith("request.")) {
        httpField.putIfAbsent(rule, path);
      }
    });
    httpField.forEach((rule, path) -> {
      Set<Integer> ports = rulePorts.getOrDefault(rule, Set.of());
      if (!ports.contains(-1) && onlyTcp(workloads, ports, ctx.mesh())) {
        ctx.report(path, (ports.isEmpty() ? "Every port of the selected workloads" : "Port(s) " + ports)
            + " carry TCP, where this HTTP-only condition cannot be evaluated: " + (action.equals("ALLOW")
            ? "this ALLOW rule never matches" : "Istio ignores it and the DENY rule denies all matching connections"));
      }
    });
  }

  /** True when every Service port reaching the workloads (those on {@code ports}, when given) is TCP, and every given port has one. */
  private static boolean onlyTcp(List<Workload> workloads, Set<Integer> ports, MeshView mesh) {
    Set<Integer> seen = new HashSet<>();
    for (Workload w : workloads) {
      for (Resource service : mesh.servicesSelecting(w.namespace(), w.labels())) {
        for (JsonNode servicePort : service.tree().path("spec").path("ports")) {
          int target = WorkloadPorts.targetPortNumber(servicePort, w);
          if (!ports.isEmpty() && !ports.contains(target)) {
            continue;
          }
          if (!TCP_PROTOCOLS.contains(protocol(servicePort))) {
            return false;
          }
          seen.add(target);
        }
      }
    }
    return ports.isEmpty() ? !seen.isEmpty() : seen.containsAll(ports);
  }

  /** Istio's protocol of a Service port: {@code appProtocol}, else the name up to the first dash; lower case. */
  private static String protocol(JsonNode servicePort) {
    String name = servicePort.has("appProtocol") ? servicePort.path("appProtocol").asText()
        : servicePort.path("name").asText();
    int dash = name.indexOf('-');
    return (dash >= 0 ? name.substring(0, dash) : name).toLowerCase(Locale.ROOT);
  }
}
