package io.meshlint.core.model;

import java.util.Map;

/** A kind meshlint binds to a typed model, with the model class name for each served version. */
public record KindInfo(String group, String kind, boolean namespaced, Map<String, String> classByVersion) {
  public boolean isIstio() {
    return group.endsWith("istio.io");
  }
}
