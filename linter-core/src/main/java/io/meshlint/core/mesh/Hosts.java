package io.meshlint.core.mesh;

/** Host name matching as Istio does it: exact names and leading wildcards ({@code *.example.com}, {@code *}). */
public final class Hosts {
  private Hosts() {}

  /**
   * The host as Istio's analyzers compare it: a name without dots is a Service in {@code namespace},
   * anything else (a dotted name, a wildcard) stays as written.
   */
  public static String toFqdn(String host, String namespace, String clusterDomain) {
    return isWildcard(host) || host.contains(".") ? host : host + "." + namespace + ".svc." + clusterDomain;
  }

  public static boolean isWildcard(String host) {
    return host.startsWith("*");
  }

  /** True when some concrete host name is matched by both patterns. */
  public static boolean intersect(String a, String b) {
    if (a.equals(b) || a.equals("*") || b.equals("*")) {
      return true;
    }
    if (isWildcard(a) && isWildcard(b)) {
      String sa = a.substring(1);
      String sb = b.substring(1);
      return sa.endsWith(sb) || sb.endsWith(sa);
    }
    if (isWildcard(a)) {
      return b.endsWith(a.substring(1));
    }
    if (isWildcard(b)) {
      return a.endsWith(b.substring(1));
    }
    return false;
  }

  /** True when every host matched by {@code inner} is also matched by {@code outer}. */
  public static boolean covers(String outer, String inner) {
    if (outer.equals(inner) || outer.equals("*")) {
      return true;
    }
    if (!isWildcard(outer)) {
      return false;
    }
    String suffix = outer.substring(1);
    return isWildcard(inner) ? inner.substring(1).endsWith(suffix) : inner.endsWith(suffix);
  }

  /**
   * How specifically {@code pattern} matches the concrete {@code host}, as Envoy ranks virtual host
   * domains: -1 when it does not, highest for the exact name, then wildcards by length (a longer
   * suffix is more specific).
   */
  public static int specificity(String pattern, String host) {
    if (pattern.equals(host)) {
      return Integer.MAX_VALUE;
    }
    return isWildcard(pattern) && covers(pattern, host) ? pattern.length() : -1;
  }
}
