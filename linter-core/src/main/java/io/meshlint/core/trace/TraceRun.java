package io.meshlint.core.trace;

import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.trace.Trace.Destination;
import io.meshlint.core.trace.Trace.Hop;
import io.meshlint.core.trace.Trace.Outcome;
import io.meshlint.core.trace.Trace.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * What a trace collects as it goes: hops, destinations, notes, the route's effects, and how the
 * request ends. A failure of a share of the requests (one destination of a split) fails the trace,
 * saying which share; an outcome that ends every request (redirect, direct response, fault) wins.
 */
final class TraceRun {
  final Request request;
  ResourceKey from;
  final List<Hop> hops = new ArrayList<>();
  final List<Destination> destinations = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final RouteEffects effects = new RouteEffects();
  /** The first failure found; null while none. */
  private Outcome failure;
  private double failedShare;
  /** An outcome that ends every request; null while none. */
  private Outcome end;

  TraceRun(Request request) {
    this.request = request;
  }

  void hop(Resource r, FieldPath field, String note) {
    hops.add(new Hop(r, field, note));
  }

  void note(String note) {
    if (!notes.contains(note)) {
      notes.add(note);
    }
  }

  void effects(RouteEffects e) {
    effects.mergeFrom(e);
  }

  void end(Outcome outcome) {
    end = outcome;
  }

  /** {@code share} percent of the requests end with {@code outcome}. */
  void fail(Outcome outcome, double share) {
    if (failure == null) {
      failure = outcome;
    }
    failedShare += share;
  }

  /** A destination that receives requests; {@code failure} when they fail there, else null. */
  void destination(Destination d, Outcome failure) {
    destinations.add(d);
    if (failure != null) {
      fail(failure, d.weight());
    }
  }

  Trace finish() {
    Outcome outcome;
    if (end != null) {
      outcome = end;
    } else if (failure != null) {
      String share = failedShare >= 99.995 ? "" : " (" + RouteEffects.percent(failedShare) + "% of requests)";
      outcome = new Outcome(failure.result(), failure.status(), failure.reason() + share);
    } else {
      List<String> to = destinations.stream().map(d -> d.host() + ":" + d.port()
          + (destinations.size() > 1 ? " (" + RouteEffects.percent(d.weight()) + "%)" : "")).toList();
      outcome = new Outcome(Result.ROUTED, null, "routed to " + String.join(", ", to));
    }
    if (!notes.isEmpty()) {
      outcome = new Outcome(outcome.result(), outcome.status(), outcome.reason() + "; " + String.join("; ", notes));
    }
    return new Trace(request, from, outcome, List.copyOf(hops), List.copyOf(destinations), effects.build());
  }
}
