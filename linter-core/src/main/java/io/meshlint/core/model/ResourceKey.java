package io.meshlint.core.model;

/** Identifies a resource the way Istio names it in its messages: kind, namespace and name. */
public record ResourceKey(String kind, String namespace, String name) {
  @Override
  public String toString() {
    return namespace == null ? kind + " " + name : kind + " " + namespace + "/" + name;
  }
}
