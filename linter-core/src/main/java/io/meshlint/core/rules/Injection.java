package io.meshlint.core.rules;

import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

/** Istio's sidecar injection labels, shared by the injection rules. */
final class Injection {
  /** Legacy namespace label: {@code enabled} or {@code disabled}. */
  static final String NAMESPACE_LABEL = "istio-injection";
  /** Revision label: selects the control plane revision that injects. */
  static final String REVISION_LABEL = "istio.io/rev";
  /** Pod label (and, for opting out, annotation): {@code "true"} or {@code "false"}. */
  static final String POD_LABEL = "sidecar.istio.io/inject";
  /** Namespaces in the ambient data plane need no sidecar. */
  static final String DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";

  static final String ENABLED = "enabled";
  static final String DISABLED = "disabled";

  private Injection() {}

  /** The revision label's value when set and not empty, else null. */
  static String revision(Map<String, String> labels) {
    String rev = labels.get(REVISION_LABEL);
    return rev == null || rev.isEmpty() ? null : rev;
  }

  /** Where a finding about one label points: the label, else the labels map, else metadata. */
  static FieldPath labelPath(Resource r, String label) {
    if (r.labels().containsKey(label)) {
      return FieldPath.of("metadata", "labels", label);
    }
    return r.tree().path("metadata").has("labels") ? FieldPath.of("metadata", "labels") : FieldPath.of("metadata");
  }
}
