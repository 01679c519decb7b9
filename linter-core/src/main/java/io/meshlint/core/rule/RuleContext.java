package io.meshlint.core.rule;

import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.source.FieldPath;

/** What a rule sees while checking one resource: the mesh, and a way to report. */
public interface RuleContext {
  MeshView mesh();

  /** Reports at the rule's severity against a field of the resource being checked. */
  default void report(FieldPath path, String message) {
    report(path, message, null, null);
  }

  /**
   * Reports against a field of the resource being checked.
   *
   * @param severity null for the rule's default severity
   * @param suggestion text the user can apply, such as a manifest; may be null
   */
  void report(FieldPath path, String message, Severity severity, String suggestion);
}
