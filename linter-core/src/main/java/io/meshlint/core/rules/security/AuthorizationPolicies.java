package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Walking AuthorizationPolicies: the workloads one applies to, and the fields of its sources. */
final class AuthorizationPolicies {
  private AuthorizationPolicies() {}

  /** A string list field of a rule's {@code from[].source}, {@code to[].operation} or a {@code when} condition. */
  interface FieldAction {
    void accept(int rule, String field, JsonNode values, FieldPath path);
  }

  /**
   * The workloads the policy applies to: its selector's in its namespace, else all of its namespace;
   * none for a policy using {@code targetRef(s)} or for a selectorless one in the root namespace
   * (which would mean the whole mesh).
   */
  static List<Workload> workloads(Resource policy, MeshView mesh) {
    JsonNode spec = policy.tree().path("spec");
    if (spec.has("targetRef") || spec.has("targetRefs")) {
      return List.of();
    }
    boolean root = policy.namespace().equals(mesh.meshConfig().rootNamespace());
    Map<String, String> selector = Resource.stringMap(spec.path("selector").path("matchLabels"));
    if (selector.isEmpty()) {
      return root ? List.of() : mesh.workloads(policy.namespace());
    }
    return mesh.workloadsMatching(policy.namespace(), selector);
  }

  /** Calls {@code action} for each field of each {@code from[].source} of each rule. */
  static void forEachSourceField(Resource policy, FieldAction action) {
    forEachRule(policy, (rule, ruleNode, rulePath) -> Trees.forEach(ruleNode.path("from"), rulePath.key("from"),
        (from, fromPath) -> fields(from.path("source"), fromPath.key("source"), rule, action)));
  }

  /** Calls {@code action} for each field of each {@code to[].operation} of each rule. */
  static void forEachOperationField(Resource policy, FieldAction action) {
    forEachRule(policy, (rule, ruleNode, rulePath) -> Trees.forEach(ruleNode.path("to"), rulePath.key("to"),
        (to, toPath) -> fields(to.path("operation"), toPath.key("operation"), rule, action)));
  }

  /** Calls {@code action} for each {@code when} condition, the field being its {@code key}. */
  static void forEachCondition(Resource policy, FieldAction action) {
    forEachRule(policy, (rule, ruleNode, rulePath) -> Trees.forEach(ruleNode.path("when"), rulePath.key("when"),
        (when, whenPath) -> action.accept(rule, when.path("key").asText(""), when, whenPath.key("key"))));
  }

  interface RuleAction {
    void accept(int index, JsonNode rule, FieldPath path);
  }

  static void forEachRule(Resource policy, RuleAction action) {
    JsonNode rules = policy.tree().path("spec").path("rules");
    for (int i = 0; i < rules.size(); i++) {
      action.accept(i, rules.get(i), FieldPath.of("spec", "rules", i));
    }
  }

  private static void fields(JsonNode block, FieldPath path, int rule, FieldAction action) {
    block.fields().forEachRemaining(e -> action.accept(rule, e.getKey(), e.getValue(), path.key(e.getKey())));
  }

  /** Calls {@code action} for each {@code rules[].to[].operation} with its path. */
  static void forEachOperation(Resource policy, BiConsumer<JsonNode, FieldPath> action) {
    Trees.forEach(policy.tree().path("spec").path("rules"), FieldPath.of("spec", "rules"), (rule, rulePath) ->
        Trees.forEach(rule.path("to"), rulePath.key("to"), (to, toPath) -> {
          if (to.path("operation").isObject()) {
            action.accept(to.path("operation"), toPath.key("operation"));
          }
        }));
  }
}
