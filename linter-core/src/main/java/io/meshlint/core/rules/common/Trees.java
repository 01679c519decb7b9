package io.meshlint.core.rules.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.source.FieldPath;
import java.util.function.BiConsumer;

/** Small helpers for walking resource trees with the paths that findings point at. */
public final class Trees {
  private Trees() {}

  /** Calls {@code action} for each element of the list at {@code node}, with its path. */
  public static void forEach(JsonNode node, FieldPath path, BiConsumer<JsonNode, FieldPath> action) {
    if (node == null || !node.isArray()) {
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      action.accept(node.get(i), path.index(i));
    }
  }

}
