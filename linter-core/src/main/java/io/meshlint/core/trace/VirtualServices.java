package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.mesh.CreationOrder;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * VirtualServices as a proxy receives them: in Istio's order (those private to the proxy's
 * namespace, then those exported to it, then public ones, each oldest first), with the HTTP rules
 * of a root VirtualService's {@code delegate} expanded into the delegate's rules.
 */
final class VirtualServices {
  private final MeshView mesh;

  VirtualServices(MeshView mesh) {
    this.mesh = mesh;
  }

  /**
   * One route rule as the proxy evaluates it.
   *
   * @param owner the VirtualService that defines the rule (a delegate for delegated rules)
   * @param path where the rule is in {@code owner}
   * @param node the rule, with a delegating rule's conditions and settings merged in
   * @param via the root's delegating rule, null for the root's own rules
   */
  record Rule(Resource owner, FieldPath path, JsonNode node, Resource root, FieldPath via) {}

  /**
   * Where a VirtualService stands among those a proxy of {@code namespace} sees: 0 private to that
   * namespace, 1 exported to it, 2 public; -1 when not visible.
   */
  static int visibility(Resource vs, String namespace) {
    JsonNode exportTo = vs.tree().path("spec").path("exportTo");
    if (!exportTo.isArray() || exportTo.isEmpty()) {
      return 2;
    }
    boolean toNamespace = false;
    for (JsonNode e : exportTo) {
      String to = e.asText().equals(".") ? vs.namespace() : e.asText();
      if (to.equals("*")) {
        return 2;
      }
      toNamespace |= to.equals(namespace);
    }
    return !toNamespace ? -1 : vs.namespace().equals(namespace) ? 0 : 1;
  }

  /** The visible ones of {@code candidates} in Istio's order for a proxy of {@code namespace}. */
  static List<Resource> ordered(List<Resource> candidates, String namespace) {
    return candidates.stream()
        .filter(vs -> visibility(vs, namespace) >= 0 && vs.tree().path("spec").path("hosts").size() > 0)
        .sorted(Comparator.comparingInt((Resource vs) -> visibility(vs, namespace)).thenComparing(CreationOrder.OLDEST_FIRST))
        .distinct()
        .toList();
  }

  /** The rules of one section ({@code http}, {@code tls} or {@code tcp}); delegates only in {@code http}. */
  List<Rule> rules(Resource vs, String section, List<String> notes) {
    List<Rule> out = new ArrayList<>();
    JsonNode rules = vs.tree().path("spec").path(section);
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      FieldPath path = FieldPath.of("spec", section, i);
      JsonNode delegate = rule.path("delegate");
      if (section.equals("http") && delegate.isObject()) {
        expand(vs, rule, path, delegate, out, notes);
      } else {
        out.add(new Rule(vs, path, rule, vs, null));
      }
    }
    return out;
  }

  private void expand(Resource root, JsonNode rule, FieldPath path, JsonNode ref, List<Rule> out, List<String> notes) {
    String ns = ref.path("namespace").asText("").isEmpty() ? root.namespace() : ref.path("namespace").asText();
    String name = ref.path("name").asText();
    Resource delegate = mesh.get(Kinds.VIRTUAL_SERVICE, ns, name);
    if (delegate == null || delegate.tree().path("spec").path("hosts").size() > 0) {
      notes.add("rule " + path + " delegates to " + ns + "/" + name + ", which is no delegate VirtualService"
          + " (one without hosts): Istio drops the rule");
      return;
    }
    if (visibility(delegate, root.namespace()) < 0) {
      notes.add("rule " + path + " delegates to " + ns + "/" + name + ", which is not exported to namespace "
          + root.namespace() + ": Istio drops the rule");
      return;
    }
    JsonNode rules = delegate.tree().path("spec").path("http");
    for (int j = 0; j < rules.size(); j++) {
      ObjectNode merged = merge(rule, rules.get(j), root.namespace(), delegate.namespace());
      if (merged == null) {
        notes.add("rule spec.http[" + j + "] of delegate " + ns + "/" + name + " conflicts with the match of "
            + path + ": Istio drops it");
      } else {
        out.add(new Rule(delegate, FieldPath.of("spec", "http", j), merged, root, path));
      }
    }
  }

  /** Settings a delegate rule takes from the delegating rule when it sets none. */
  private static final String[] INHERITED = {"rewrite", "directResponse", "timeout", "retries", "fault", "mirror",
      "mirrorPercent", "mirrorPercentage", "corsPolicy", "mirrors", "headers"};

  /** The delegate rule with the root rule merged in, or null when their matches conflict. */
  private static ObjectNode merge(JsonNode root, JsonNode leaf, String rootNamespace, String leafNamespace) {
    ObjectNode out = ((ObjectNode) leaf).deepCopy();
    for (String field : INHERITED) {
      if (!out.has(field) && root.has(field)) {
        out.set(field, root.get(field));
      }
    }
    JsonNode rootMatches = root.path("match");
    JsonNode leafMatches = leaf.path("match");
    if (!rootMatches.isArray() || rootMatches.isEmpty()) {
      return out;
    }
    ArrayNode merged = JsonNodeFactory.instance.arrayNode();
    if (!leafMatches.isArray() || leafMatches.isEmpty()) {
      rootMatches.forEach(m -> merged.add(withGatewaysQualified(m, rootNamespace)));
    } else {
      for (JsonNode sub : leafMatches) {
        boolean found = false;
        for (JsonNode r : rootMatches) {
          if (!conflict(r, sub)) {
            merged.add(mergeMatch(withGatewaysQualified(r, rootNamespace), withGatewaysQualified(sub, leafNamespace)));
            found = true;
          }
        }
        if (!found) {
          return null;
        }
      }
    }
    out.set("match", merged);
    return out;
  }

  /** The match with its {@code gateways} written {@code ns/name}, so that they keep their meaning in another namespace. */
  private static JsonNode withGatewaysQualified(JsonNode match, String namespace) {
    if (!match.path("gateways").isArray()) {
      return match;
    }
    ObjectNode copy = ((ObjectNode) match).deepCopy();
    ArrayNode gateways = copy.putArray("gateways");
    match.path("gateways").forEach(g -> gateways.add(GatewayRef.parse(g.asText(), namespace).key()));
    return copy;
  }

  private static ObjectNode mergeMatch(JsonNode root, JsonNode leaf) {
    ObjectNode out = ((ObjectNode) leaf).deepCopy();
    for (String field : new String[] {"uri", "scheme", "method", "authority", "port", "sourceNamespace", "gateways"}) {
      if (!out.has(field) && root.has(field)) {
        out.set(field, root.get(field));
      }
    }
    for (String field : new String[] {"headers", "withoutHeaders", "queryParams", "sourceLabels"}) {
      if (root.path(field).isObject()) {
        ObjectNode map = ((ObjectNode) root.get(field)).deepCopy();
        leaf.path(field).fields().forEachRemaining(e -> map.set(e.getKey(), e.getValue()));
        out.set(field, map);
      }
    }
    return out;
  }

  /** Istio's test of whether a delegate's match can narrow the root's: a conflict drops the delegate rule. */
  private static boolean conflict(JsonNode root, JsonNode leaf) {
    for (String field : new String[] {"uri", "scheme", "method", "authority"}) {
      if (stringConflict(root.get(field), leaf.get(field))) {
        return true;
      }
    }
    for (String field : new String[] {"headers", "withoutHeaders", "queryParams"}) {
      for (Iterator<Map.Entry<String, JsonNode>> it = leaf.path(field).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (stringConflict(root.path(field).get(e.getKey()), e.getValue())) {
          return true;
        }
      }
    }
    if (root.path("ignoreUriCase").asBoolean(false) != leaf.path("ignoreUriCase").asBoolean(false)) {
      return true;
    }
    int rootPort = root.path("port").asInt(0);
    int leafPort = leaf.path("port").asInt(0);
    if (rootPort > 0 && leafPort > 0 && rootPort != leafPort) {
      return true;
    }
    String rootNamespace = root.path("sourceNamespace").asText("");
    if (!rootNamespace.isEmpty() && !rootNamespace.equals(leaf.path("sourceNamespace").asText(""))) {
      return true;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = leaf.path("sourceLabels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode rootValue = root.path("sourceLabels").get(e.getKey());
      if (rootValue != null && !rootValue.asText().equals(e.getValue().asText())) {
        return true;
      }
    }
    JsonNode rootGateways = root.path("gateways");
    JsonNode leafGateways = leaf.path("gateways");
    if (rootGateways.size() > 0 && leafGateways.size() > 0) {
      List<String> rootNames = new ArrayList<>();
      rootGateways.forEach(g -> rootNames.add(g.asText()));
      for (JsonNode g : leafGateways) {
        if (!rootNames.contains(g.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  /** A leaf string match conflicts unless it narrows the root's: equal exact values, or within the root's prefix. */
  private static boolean stringConflict(JsonNode root, JsonNode leaf) {
    if (root == null || leaf == null || !root.isObject() || !leaf.isObject()) {
      return false;
    }
    if (!root.path("regex").asText("").isEmpty() || !leaf.path("regex").asText("").isEmpty()) {
      return true;
    }
    String exact = root.path("exact").asText("");
    if (!exact.isEmpty()) {
      return !leaf.path("prefix").asText("").isEmpty() || !exact.equals(leaf.path("exact").asText(""));
    }
    String prefix = root.path("prefix").asText("");
    if (!prefix.isEmpty()) {
      String leafPrefix = leaf.path("prefix").asText("");
      String leafExact = leaf.path("exact").asText("");
      if (!leafPrefix.isEmpty()) {
        return !leafPrefix.startsWith(prefix);
      }
      if (!leafExact.isEmpty()) {
        return !leafExact.startsWith(prefix);
      }
    }
    return true;
  }
}
