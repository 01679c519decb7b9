package io.meshlint.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.function.BiConsumer;

/** Walks the parts of an AuthorizationPolicy that several rules read. */
final class AuthorizationPolicies {
  private AuthorizationPolicies() {}

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
