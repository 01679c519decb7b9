package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which VirtualService rules and matches can never be reached, as IST0130 and IST0131 report them.
 * Rules are tried in order and the first whose match applies wins.
 */
final class RouteMatches {
  /** A rule that can never apply: where it is and why. */
  record Unreachable(FieldPath path, String rule, String reason) {}

  /** A match that never decides: where it is, its name, and the earlier rule that takes its requests. */
  record Ineffective(FieldPath path, String rule, String match, String earlier) {}

  /** Fields of an http match whose coverage is understood; a match with others is never taken as covering. */
  private static final Set<String> COMPARED = Set.of("name", "uri", "method", "authority", "headers", "queryParams",
      "withoutHeaders", "port");

  final List<Unreachable> unreachable = new ArrayList<>();
  final List<Ineffective> ineffective = new ArrayList<>();

  private RouteMatches() {}

  static RouteMatches analyze(JsonNode spec) {
    RouteMatches out = new RouteMatches();
    for (String protocol : new String[] {"http", "tcp", "tls"}) {
      out.analyzeRules(spec.path(protocol), FieldPath.of("spec", protocol), protocol.equals("http"));
    }
    return out;
  }

  private record Seen(int rule, int match, JsonNode node) {}

  private void analyzeRules(JsonNode rules, FieldPath path, boolean http) {
    if (!rules.isArray()) {
      return;
    }
    Map<JsonNode, Integer> exact = new HashMap<>();
    List<Seen> prefixes = new ArrayList<>();
    int catchAll = -1;
    for (int r = 0; r < rules.size(); r++) {
      JsonNode rule = rules.get(r);
      FieldPath rulePath = path.index(r);
      JsonNode matches = rule.path("match");
      if (!matches.isArray() || matches.isEmpty()) {
        if (catchAll >= 0) {
          unreachable.add(new Unreachable(rulePath, ruleName(rules, r), "only the last rule can have no matches"));
        }
        catchAll = r;
        continue;
      }
      if (catchAll >= 0) {
        unreachable.add(new Unreachable(rulePath, ruleName(rules, r), "route without matches defined before"));
        continue;
      }
      // Only exact repeats make a rule unreachable, as in Istio; a covered match is IST0131's alone.
      int repeated = 0;
      for (int m = 0; m < matches.size(); m++) {
        JsonNode match = withoutName(matches.get(m));
        FieldPath matchPath = rulePath.key("match").index(m);
        Integer duplicate = exact.putIfAbsent(match, r);
        if (duplicate != null) {
          ineffective.add(new Ineffective(matchPath, ruleName(rules, r), matchName(matches, m), ruleName(rules, duplicate)));
          repeated++;
          continue;
        }
        if (!http) {
          continue;
        }
        Seen covering = prefixes.stream().filter(s -> covers(s.node(), match)).findFirst().orElse(null);
        if (covering != null) {
          ineffective.add(new Ineffective(matchPath, ruleName(rules, r),
              matchName(matches, m) + " of prefix " + uri(match),
              matchName(rules.get(covering.rule()).path("match"), covering.match()) + " of prefix "
                  + uri(covering.node()) + " on " + ruleName(rules, covering.rule())));
        } else if (match.path("uri").has("prefix") && COMPARED.containsAll(fieldNames(match))) {
          prefixes.add(new Seen(r, m, match));
        }
      }
      if (repeated == matches.size()) {
        unreachable.add(new Unreachable(rulePath, ruleName(rules, r), "all matches used by prior rules"));
      }
    }
  }

  /** True when every request {@code inner} matches is also matched by the earlier uri-prefix match {@code outer}. */
  private static boolean covers(JsonNode outer, JsonNode inner) {
    // Istio compares prefix matches with prefix matches only.
    if (!inner.path("uri").has("prefix") || !coversString(outer.path("uri"), inner.path("uri")) || inner.path("ignoreUriCase").asBoolean(false)) {
      return false;
    }
    for (String field : new String[] {"method", "authority"}) {
      if (outer.has(field) && !coversString(outer.path(field), inner.path(field))) {
        return false;
      }
    }
    if (outer.has("port") && !outer.path("port").equals(inner.path("port"))) {
      return false;
    }
    for (String field : new String[] {"headers", "queryParams"}) {
      for (Iterator<Map.Entry<String, JsonNode>> it = outer.path(field).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!coversString(e.getValue(), inner.path(field).path(e.getKey()))) {
          return false;
        }
      }
    }
    return outer.path("withoutHeaders").equals(inner.path("withoutHeaders"));
  }

  /** String match coverage: equal conditions, or a prefix that every value of the inner condition starts with. */
  private static boolean coversString(JsonNode outer, JsonNode inner) {
    if (outer.equals(inner)) {
      return true;
    }
    String prefix = outer.path("prefix").asText(null);
    if (prefix == null || !outer.isObject() || outer.size() != 1) {
      return false;
    }
    String value = inner.has("exact") ? inner.path("exact").asText(null) : inner.path("prefix").asText(null);
    return value != null && inner.size() == 1 && value.startsWith(prefix);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> out = new HashSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String uri(JsonNode match) {
    JsonNode uri = match.path("uri");
    return uri.has("prefix") ? uri.path("prefix").asText() : uri.path("exact").asText();
  }

  private static JsonNode withoutName(JsonNode match) {
    if (!match.has("name") || !match.isObject()) {
      return match;
    }
    ObjectNode copy = ((ObjectNode) match).deepCopy();
    copy.remove("name");
    return copy;
  }

  private static String ruleName(JsonNode rules, int index) {
    return name(rules.get(index), index);
  }

  private static String matchName(JsonNode matches, int index) {
    return name(matches.get(index), index);
  }

  private static String name(JsonNode node, int index) {
    String name = node.path("name").asText("");
    return name.isEmpty() ? "#" + index : "\"" + name + "\"";
  }
}
