package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Kubernetes {@code LabelSelector} ({@code matchLabels} and {@code matchExpressions}) as the API
 * server evaluates it for admission webhooks: an absent or empty selector matches everything, and a
 * selector Kubernetes would reject (unknown operator, {@code In} without values, {@code Exists}
 * with values) matches nothing.
 */
public final class LabelSelector {
  /** Matches every set of labels. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of(), true);

  private record Requirement(String key, String operator, Set<String> values) {}

  private final Map<String, String> matchLabels;
  private final List<Requirement> expressions;
  private final boolean valid;

  private LabelSelector(Map<String, String> matchLabels, List<Requirement> expressions, boolean valid) {
    this.matchLabels = matchLabels;
    this.expressions = expressions;
    this.valid = valid;
  }

  /** The selector at {@code node}; {@link #EVERYTHING} when the node is missing or null. */
  public static LabelSelector parse(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return EVERYTHING;
    }
    boolean valid = node.isObject();
    List<Requirement> expressions = new ArrayList<>();
    for (JsonNode e : node.path("matchExpressions")) {
      Set<String> values = new TreeSet<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      String operator = e.path("operator").asText();
      valid &= switch (operator) {
        case "In", "NotIn" -> !values.isEmpty();
        case "Exists", "DoesNotExist" -> values.isEmpty();
        default -> false;
      };
      expressions.add(new Requirement(e.path("key").asText(), operator, values));
    }
    return new LabelSelector(Resource.stringMap(node.path("matchLabels")), expressions, valid);
  }

  /** The {@code matchLabels}. */
  public Map<String, String> matchLabels() {
    return matchLabels;
  }

  /** The values that expressions on this key list, whatever their operator. */
  public Set<String> expressionValues(String key) {
    Set<String> out = new TreeSet<>();
    for (Requirement r : expressions) {
      if (r.key.equals(key)) {
        out.addAll(r.values);
      }
    }
    return out;
  }

  public boolean matches(Map<String, String> labels) {
    if (!valid) {
      return false;
    }
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : expressions) {
      String value = labels.get(r.key);
      boolean ok = switch (r.operator) {
        case "In" -> value != null && r.values.contains(value);
        case "NotIn" -> value == null || !r.values.contains(value);
        case "Exists" -> value != null;
        default -> value == null;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
