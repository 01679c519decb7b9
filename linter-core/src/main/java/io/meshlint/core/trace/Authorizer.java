package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshlint.core.mesh.CreationOrder;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The AuthorizationPolicies of a workload's sidecar, evaluated for one request as Envoy's filters
 * do: CUSTOM first (the external authorizer decides, shown as such, when DENY and ALLOW let the
 * request through), then DENY (any matching rule denies), then ALLOW (when any ALLOW policy
 * applies, a rule of one must match, else the request is denied). Dry-run policies ({@code istio.io/dry-run: "true"}) and AUDIT ones decide nothing.
 *
 * <p>What the trace cannot know matches nothing: a JWT ({@code requestPrincipals},
 * {@code request.auth.*}), source and destination IP addresses. The source's principal and
 * namespace are known only when mutual TLS is in force, as for Istio.
 */
final class Authorizer {
  private final MeshView mesh;

  Authorizer(MeshView mesh) {
    this.mesh = mesh;
  }

  /**
   * The request as the destination sidecar sees it.
   *
   * @param principal {@code TRUST_DOMAIN/ns/NS/sa/SA} when mutual TLS carries it, else null
   * @param sourceNamespace the source's namespace when mutual TLS carries it, else null
   * @param port the port the workload listens on
   * @param sni the SNI of a TLS connection the sidecar sees, else null
   * @param opaque TCP or TLS the sidecar does not terminate: HTTP attributes are not seen
   */
  record Seen(Request request, String host, String path, String principal, String sourceNamespace, int port,
      String sni, boolean opaque) {}

  /** The decision, the deciding policy and rule, and a note saying why. */
  record Decision(Trace.Authorization authorization, String note) {}

  /** The policies that apply to the workload: its namespace's that select it (or all of it), and the root namespace's. */
  List<Resource> policiesFor(Workload w) {
    List<Resource> out = new ArrayList<>();
    String root = mesh.meshConfig().rootNamespace();
    for (String ns : w.namespace().equals(root) ? List.of(root) : List.of(w.namespace(), root)) {
      for (Resource p : mesh.resourcesIn(Kinds.AUTHORIZATION_POLICY, ns)) {
        JsonNode spec = p.tree().path("spec");
        if (spec.has("targetRef") || spec.has("targetRefs")) {
          continue; // attached to gateways or waypoints, not to sidecars
        }
        Map<String, String> selector = Resource.stringMap(spec.path("selector").path("matchLabels"));
        if (w.matches(selector)) {
          out.add(p);
        }
      }
    }
    out.sort(CreationOrder.OLDEST_FIRST);
    return out;
  }

  Decision decide(Workload w, Seen seen) {
    List<Resource> custom = new ArrayList<>();
    List<Resource> deny = new ArrayList<>();
    List<Resource> allow = new ArrayList<>();
    List<String> dryRun = new ArrayList<>();
    for (Resource p : policiesFor(w)) {
      if ("true".equalsIgnoreCase(p.annotations().get("istio.io/dry-run"))) {
        dryRun.add(Registry.name(p));
        continue;
      }
      switch (p.tree().path("spec").path("action").asText("ALLOW").toUpperCase(Locale.ROOT)) {
        case "CUSTOM" -> custom.add(p);
        case "DENY" -> deny.add(p);
        case "ALLOW" -> allow.add(p);
        default -> { } // AUDIT only logs
      }
    }
    String ignored = dryRun.isEmpty() ? "" : "; dry-run " + String.join(", ", dryRun) + " ignored";
    for (Resource p : deny) {
      int rule = matchingRule(p, seen, true);
      if (rule >= 0) {
        return new Decision(new Trace.Authorization("deny", p, FieldPath.of("spec", "rules", rule)),
            "DENY rule " + rule + " matches" + ignored);
      }
    }
    Decision allowed = null;
    if (allow.isEmpty()) {
      allowed = new Decision(Trace.Authorization.ALLOW, (deny.isEmpty() && custom.isEmpty() ? "no policy applies"
          : "no DENY rule matches and no ALLOW policy applies") + ignored);
    }
    for (Resource p : allow) {
      int rule = matchingRule(p, seen, false);
      if (allowed == null && rule >= 0) {
        allowed = new Decision(new Trace.Authorization("allow", p, FieldPath.of("spec", "rules", rule)),
            "ALLOW rule " + rule + " matches" + ignored);
      }
    }
    if (allowed == null) {
      List<String> names = allow.stream().map(Registry::name).toList();
      return new Decision(new Trace.Authorization("deny", null, null), "no rule of the ALLOW "
          + (names.size() == 1 ? "policy " : "policies ") + String.join(", ", names)
          + " matches: denied by default" + (seen.principal() == null ? " (no mTLS identity from the source)" : "")
          + ignored);
    }
    // The external authorizer of a matching CUSTOM policy has the first word; the DENY and ALLOW
    // policies above still apply to what it lets through.
    for (Resource p : custom) {
      int rule = matchingRule(p, seen, false);
      if (rule >= 0) {
        String provider = p.tree().path("spec").path("provider").path("name").asText("?");
        return new Decision(new Trace.Authorization("custom", p, FieldPath.of("spec", "rules", rule)),
            "CUSTOM rule " + rule + " matches: the external authorizer \"" + provider + "\" decides, and "
                + allowed.note() + (allowed.authorization().policy() == null ? ""
                : " (" + Registry.name(allowed.authorization().policy()) + ")"));
      }
    }
    return allowed;
  }

  /**
   * The index of the first rule of the policy that matches, or -1; a policy without rules matches
   * nothing. On opaque traffic Istio drops the HTTP-only fields of DENY rules (denying more) and
   * the ALLOW rules that use them (allowing less).
   */
  private int matchingRule(Resource policy, Seen seen, boolean deny) {
    JsonNode rules = policy.tree().path("spec").path("rules");
    for (int i = 0; i < rules.size(); i++) {
      if (ruleMatches(rules.get(i), policy.namespace(), seen, deny)) {
        return i;
      }
    }
    return -1;
  }

  private boolean ruleMatches(JsonNode rule, String policyNamespace, Seen seen, boolean deny) {
    if (!anyMatches(rule.path("from"), "source", s -> sourceMatches(s, policyNamespace, seen))
        || !anyMatches(rule.path("to"), "operation", o -> operationMatches(o, seen, deny))) {
      return false;
    }
    for (JsonNode when : rule.path("when")) {
      String key = when.path("key").asText();
      if (seen.opaque() && key.startsWith("request.")) {
        if (deny) {
          continue;
        }
        return false;
      }
      String value = attribute(key, seen);
      if (!field(when.path("values"), when.path("notValues"), value, false)) {
        return false;
      }
    }
    return true;
  }

  /** True when one of the items' {@code key} block matches; an absent or empty list sets no condition. */
  private static boolean anyMatches(JsonNode items, String key, Predicate<JsonNode> test) {
    if (!items.isArray() || items.isEmpty()) {
      return true;
    }
    for (JsonNode item : items) {
      if (test.test(item.path(key))) {
        return true;
      }
    }
    return false;
  }

  private boolean sourceMatches(JsonNode source, String policyNamespace, Seen seen) {
    String account = seen.principal() == null ? null
        : seen.sourceNamespace() + "/" + seen.principal().substring(seen.principal().lastIndexOf('/') + 1);
    return field(source.path("principals"), source.path("notPrincipals"), seen.principal(), false)
        && field(source.path("namespaces"), source.path("notNamespaces"), seen.sourceNamespace(), false)
        && serviceAccounts(source.path("serviceAccounts"), source.path("notServiceAccounts"), account, policyNamespace)
        && field(source.path("requestPrincipals"), source.path("notRequestPrincipals"), null, false)
        && field(source.path("ipBlocks"), source.path("notIpBlocks"), null, false)
        && field(source.path("remoteIpBlocks"), source.path("notRemoteIpBlocks"), null, false);
  }

  /** {@code serviceAccounts} entries are {@code ns/sa}, or {@code sa} in the policy's namespace. */
  private static boolean serviceAccounts(JsonNode values, JsonNode notValues, String account, String policyNamespace) {
    return field(qualified(values, policyNamespace), qualified(notValues, policyNamespace), account, false);
  }

  private static JsonNode qualified(JsonNode accounts, String policyNamespace) {
    if (!accounts.isArray()) {
      return accounts;
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    accounts.forEach(v -> out.add(v.asText().contains("/") ? v.asText() : policyNamespace + "/" + v.asText()));
    return out;
  }

  private static final String[] HTTP_FIELDS = {"hosts", "notHosts", "methods", "notMethods", "paths", "notPaths"};

  private static boolean operationMatches(JsonNode operation, Seen seen, boolean deny) {
    if (!field(operation.path("ports"), operation.path("notPorts"), String.valueOf(seen.port()), false)) {
      return false;
    }
    if (seen.opaque()) {
      return deny || java.util.Arrays.stream(HTTP_FIELDS).noneMatch(operation::has);
    }
    return field(operation.path("hosts"), operation.path("notHosts"), seen.host(), true)
        && field(operation.path("methods"), operation.path("notMethods"), seen.request().method(), false)
        && field(operation.path("paths"), operation.path("notPaths"), seen.path(), false);
  }

  /** The value of a {@code when} condition's key for this request; null when not known or absent. */
  private static String attribute(String key, Seen seen) {
    if (key.startsWith("request.headers[") && key.endsWith("]")) {
      return seen.request().headers().get(key.substring(16, key.length() - 1).toLowerCase(Locale.ROOT));
    }
    return switch (key) {
      case "source.principal" -> seen.principal();
      case "source.namespace" -> seen.sourceNamespace();
      case "destination.port" -> String.valueOf(seen.port());
      case "connection.sni" -> seen.sni();
      default -> null; // request.auth.*, IP addresses: not known offline
    };
  }

  /**
   * A field and its negation: the value must match one of {@code values} (when given) and none of
   * {@code notValues}; an unknown value matches no value, so only the negation can hold.
   */
  private static boolean field(JsonNode values, JsonNode notValues, String value, boolean ignoreCase) {
    if (values.isArray() && !anyValue(values, value, ignoreCase)) {
      return false;
    }
    return !notValues.isArray() || !anyValue(notValues, value, ignoreCase);
  }

  private static boolean anyValue(JsonNode values, String value, boolean ignoreCase) {
    if (value == null) {
      return false;
    }
    for (JsonNode v : values) {
      if (pattern(v.asText(), value, ignoreCase)) {
        return true;
      }
    }
    return false;
  }

  /** Istio's value syntax: {@code *} any non-empty value, {@code *suffix}, {@code prefix*}, else exact. */
  static boolean pattern(String pattern, String value, boolean ignoreCase) {
    String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    if (p.equals("*")) {
      return !v.isEmpty();
    }
    if (p.startsWith("*")) {
      return v.endsWith(p.substring(1));
    }
    if (p.endsWith("*")) {
      return v.startsWith(p.substring(0, p.length() - 1));
    }
    return p.equals(v);
  }
}
