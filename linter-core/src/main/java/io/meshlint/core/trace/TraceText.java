package io.meshlint.core.trace;

import io.meshlint.core.model.Resource;
import io.meshlint.core.source.Locator;
import io.meshlint.core.source.Position;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace told hop by hop, one line each: where the request starts, each object it passes with
 * the field that decided and where that field is, each destination, the route's effects, and (as
 * {@link #outcome}) how it ends.
 */
public final class TraceText {
  private final Map<SourceFile, Locator> locators = new HashMap<>();

  /** The lines before the outcome. */
  public List<String> story(Trace trace) {
    List<String> out = new ArrayList<>();
    out.add(trace.request().describe() + " from " + trace.from());
    for (Trace.Hop hop : trace.hops()) {
      out.add("  " + hop.resource().kind() + " " + name(hop.resource()) + " " + hop.field() + " (" + place(hop) + "): "
          + hop.note());
    }
    for (Trace.Destination d : trace.destinations()) {
      StringBuilder line = new StringBuilder("  -> " + d.host() + ":" + d.port());
      if (d.subset() != null) {
        line.append(" subset ").append(d.subset());
      }
      line.append(' ').append(RouteEffects.percent(d.weight())).append("%: ");
      line.append(d.target() == null ? "no Service or ServiceEntry" : d.target().kind() + " " + name(d.target()));
      if (!d.workloads().isEmpty()) {
        line.append(", ").append(String.join(", ", d.workloads().stream().map(w -> w.kind() + " " + name(w)).toList()));
      }
      line.append(", tls ").append(d.tls());
      line.append(", authorization ").append(d.authorization().decision());
      if (d.authorization().policy() != null) {
        line.append(" (").append(name(d.authorization().policy())).append(')');
      }
      out.add(line.toString());
    }
    String effects = effects(trace.effects());
    if (!effects.isEmpty()) {
      out.add("  effects: " + effects);
    }
    return out;
  }

  /** The last line: the result, the HTTP status when there is one, and why. */
  public static String outcome(Trace trace) {
    Trace.Outcome o = trace.outcome();
    return o.result().id() + (o.status() == null ? "" : " " + o.status()) + ": " + o.reason();
  }

  private static String effects(Trace.Effects e) {
    List<String> parts = new ArrayList<>();
    if (e.fault() != null && e.fault().delay() != null) {
      parts.add("fault delay " + e.fault().delay().fixedDelay() + " for " + RouteEffects.percent(e.fault().delay().percent()) + "%");
    }
    if (e.fault() != null && e.fault().abort() != null) {
      Trace.Abort a = e.fault().abort();
      parts.add("fault abort " + (a.httpStatus() != null ? a.httpStatus() : a.grpcStatus()) + " for "
          + RouteEffects.percent(a.percent()) + "%");
    }
    for (Trace.Mirror m : e.mirrors()) {
      parts.add("mirror to " + m.host() + (m.subset() == null ? "" : " subset " + m.subset()) + " for "
          + RouteEffects.percent(m.percent()) + "%");
    }
    if (e.timeout() != null) {
      parts.add("timeout " + e.timeout());
    }
    if (e.retries() != null) {
      parts.add("retries " + e.retries());
    }
    if (e.rewrite() != null) {
      parts.add("rewrite " + e.rewrite());
    }
    return String.join(", ", parts);
  }

  private static String name(Resource r) {
    return r.namespace() == null ? r.name() : r.namespace() + "/" + r.name();
  }

  /** {@code file:line} of the hop's field. */
  private String place(Trace.Hop hop) {
    Resource r = hop.resource();
    Locator locator = locators.computeIfAbsent(r.file(), f -> new Locator(f, YamlReader.Limits.DEFAULT));
    Position at = locator.locate(r.documentIndex(), r.base().concat(hop.field()));
    return r.file().displayName() + ":" + at.line();
  }
}
