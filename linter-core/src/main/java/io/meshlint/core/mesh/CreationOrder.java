package io.meshlint.core.mesh;

import io.meshlint.core.model.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * The order in which Istio lets configuration of the same kind take precedence: the oldest
 * {@code metadata.creationTimestamp} first, then by name, then by namespace. Manifests rarely carry
 * a timestamp, so on files the order is mostly by name, as Istio orders objects created in the same
 * second.
 */
public final class CreationOrder {
  private CreationOrder() {}

  public static final Comparator<Resource> OLDEST_FIRST = Comparator
      .comparing(CreationOrder::createdAt)
      .thenComparing(Resource::name)
      .thenComparing(r -> r.namespace() == null ? "" : r.namespace());

  /** The creation time; the epoch when absent or unreadable, as Istio reads a zero timestamp. */
  static Instant createdAt(Resource r) {
    String text = r.tree().path("metadata").path("creationTimestamp").asText("");
    if (text.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
