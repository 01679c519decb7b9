package io.meshlint.core.rules.security;

import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.function.BiConsumer;

/**
 * The {@code from[].source.namespaces} and {@code notNamespaces} of an AuthorizationPolicy that
 * match no namespace, for IST0101. A namespace matches no caller when it does not exist.
 */
public final class UnknownSourceNamespaces {
  private UnknownSourceNamespaces() {}

  /**
   * Calls {@code action} with each value that matches no namespace, when the inputs hold Namespace
   * objects at all (otherwise which exist cannot be told). A namespace exists when a Namespace
   * object names it, or it is a system namespace, Istio's or the mesh's root namespace; values
   * match as Istio matches them: exactly (ignoring case), {@code *}, {@code prefix*} or {@code *suffix}.
   */
  public static void forEach(Resource policy, MeshView mesh, BiConsumer<FieldPath, String> action) {
    if (!mesh.any(Kinds.NAMESPACE)) {
      return;
    }
    AuthorizationPolicies.forEachSourceField(policy, (rule, field, values, path) -> {
      if (field.equals("namespaces") || field.equals("notNamespaces")) {
        Trees.forEach(values, path, (value, valuePath) -> {
          String pattern = value.asText("");
          if (!pattern.isEmpty() && !matchesAny(pattern, mesh)) {
            action.accept(valuePath, pattern);
          }
        });
      }
    });
  }

  private static boolean matchesAny(String pattern, MeshView mesh) {
    if (pattern.equals("*")) {
      return true;
    }
    if (!pattern.startsWith("*") && !pattern.endsWith("*")) {
      // Namespace names are lower case; a pattern that differs only in case still names the namespace.
      if (mesh.namespace(pattern) != null || mesh.namespace(pattern.toLowerCase(java.util.Locale.ROOT)) != null) {
        return true;
      }
    } else {
      for (Resource ns : mesh.resources(Kinds.NAMESPACE)) {
        if (matches(ns.name(), pattern)) {
          return true;
        }
      }
    }
    for (String known : mesh.settings().systemNamespaces()) {
      if (matches(known, pattern)) {
        return true;
      }
    }
    return matches(mesh.settings().istioNamespace(), pattern) || matches(mesh.meshConfig().rootNamespace(), pattern);
  }

  private static boolean matches(String namespace, String pattern) {
    if (pattern.startsWith("*")) {
      return namespace.endsWith(pattern.substring(1));
    }
    if (pattern.endsWith("*")) {
      return namespace.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return namespace.equalsIgnoreCase(pattern);
  }
}
