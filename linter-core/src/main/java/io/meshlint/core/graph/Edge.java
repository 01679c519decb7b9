package io.meshlint.core.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One arrow of the graph.
 *
 * @param route for {@link Type#ROUTE} and {@link Type#MIRROR} edges, what the route says; else null
 * @param note a short text for other edges: the hosts a binding serves, what a workload calls a host for
 * @param dangling the edge leads to (or, for a Gateway reference, comes from) a missing node
 * @param marks the findings on this edge: the dangling reference's
 */
public record Edge(String from, String to, Type type, Route route, String note, boolean dangling, List<Mark> marks) {

  public enum Type {
    /** Gateway to a VirtualService bound to it. */
    BINDS,
    /** VirtualService to a destination: Service, ServiceEntry, subset, host or missing node. */
    ROUTE,
    /** VirtualService to the destination it mirrors traffic to. */
    MIRROR,
    /** A DestinationRule subset to the Service or ServiceEntry of its host. */
    SUBSET_OF,
    /** A Service (or ServiceEntry with a workload selector) to the workloads it selects. */
    SELECTS,
    /** A workload to a host outside the mesh it is configured to call. */
    CALLS
  }

  /** Things a route does besides forwarding. */
  public enum Flag { FAULT, RETRIES, TIMEOUT, MIRROR }

  /**
   * What a route (or mirror) says about one destination.
   *
   * @param protocol http, tcp or tls
   * @param weight the destination's weight, 100 for a lone destination without one; the mirror percentage
   *     for mirrors (null when unset)
   * @param subset the subset named, or null
   * @param port the destination port, or null
   * @param match a summary of the route's match conditions, or null when it matches everything
   * @param flags fault, retries, timeout and mirror on the route
   * @param path where the destination is written in the VirtualService
   */
  public record Route(String protocol, Integer weight, String subset, Integer port, String match, Set<Flag> flags,
      String path) {}

  /** The text drawn along the edge. */
  public String label() {
    List<String> parts = new ArrayList<>();
    if (route == null) {
      if (note != null && !note.isEmpty()) {
        parts.add(note);
      }
    } else {
      if (type == Type.MIRROR) {
        parts.add("mirror" + (route.weight() == null ? "" : " " + route.weight() + "%"));
      } else if (route.weight() != null && route.weight() != 100) {
        parts.add(route.weight() + "%");
      }
      if (route.subset() != null) {
        parts.add("subset " + route.subset());
      }
      if (route.port() != null) {
        parts.add(":" + route.port());
      }
      if (route.match() != null) {
        parts.add(route.match());
      }
      if (type == Type.ROUTE) {
        route.flags().forEach(f -> parts.add(f.name().toLowerCase(Locale.ROOT)));
      }
    }
    if (dangling && !marks.isEmpty()) {
      parts.add(marks.get(0).code());
    }
    return String.join(" · ", parts);
  }
}
