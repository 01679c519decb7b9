package io.meshlint.core.rule;

import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.FieldPath;

/**
 * One reported problem. {@code resource} and {@code apiVersion} are null for problems of the input
 * itself (a file that is not YAML).
 */
public record Finding(RuleInfo rule, Severity severity, String apiVersion, ResourceKey resource, FieldPath path,
    Location location, String message, String suggestion) {

  public Finding withSeverity(Severity s) {
    return new Finding(rule, s, apiVersion, resource, path, location, message, suggestion);
  }
}
