package io.meshlint.webhook;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the webhook acts on the findings a change introduces.
 *
 * @param enforcement per rule code, overriding the defaults ({@link #DEFAULT_DENY} deny, the rest warn)
 * @param dryRun every deny becomes a warning: for a safe roll-out
 * @param excludedNamespaces requests for objects in these namespaces are admitted unchecked
 */
public record Policy(Map<String, Enforcement> enforcement, boolean dryRun, Set<String> excludedNamespaces) {
  /** Schema errors and dangling references: the findings that break the mesh when admitted. */
  public static final Set<String> DEFAULT_DENY = Set.of("IST0106", "IST0101");

  /** {@code kube-system} and the webhook's own namespace, when it runs in a cluster. */
  public static Set<String> defaultExcludedNamespaces(String ownNamespace) {
    Set<String> out = new LinkedHashSet<>();
    out.add("kube-system");
    if (ownNamespace != null && !ownNamespace.isBlank()) {
      out.add(ownNamespace.trim());
    }
    return Set.copyOf(out);
  }

  public static Policy defaults(String ownNamespace) {
    return new Policy(Map.of(), false, defaultExcludedNamespaces(ownNamespace));
  }

  /** The enforcement of findings of {@code code}, dry run applied. */
  public Enforcement of(String code) {
    Enforcement e = enforcement.get(code);
    if (e == null) {
      e = DEFAULT_DENY.contains(code) ? Enforcement.DENY : Enforcement.WARN;
    }
    return dryRun && e == Enforcement.DENY ? Enforcement.WARN : e;
  }

  public boolean excludes(String namespace) {
    return namespace != null && excludedNamespaces.contains(namespace);
  }
}
