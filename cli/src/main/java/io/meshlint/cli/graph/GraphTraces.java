package io.meshlint.cli.graph;

import io.meshlint.core.graph.Graph;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.model.Resource;
import io.meshlint.core.trace.Request;
import io.meshlint.core.trace.SampleRequests;
import io.meshlint.core.trace.Trace;
import io.meshlint.core.trace.TraceText;
import io.meshlint.core.trace.Tracer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The requests the graph page lets a reader follow, traced when the page is written: the page has
 * no tracer of its own, so it offers the route rules' sample requests ({@link SampleRequests}) with
 * their stories and the nodes they pass.
 */
public final class GraphTraces {
  /** Enough for every route of a large team's namespace; a bigger mesh is traced on the command line. */
  static final int LIMIT = 300;

  /**
   * @param label how the request reads, with where it starts
   * @param command the {@code meshlint trace} options that give the same story
   * @param nodes the graph's nodes the request passes, in order
   */
  public record Option(String label, String command, List<String> story, String outcome, List<String> nodes) {}

  private GraphTraces() {}

  public static List<Option> of(Graph graph, MeshIndex index) {
    Set<String> drawn = new HashSet<>();
    graph.nodes().forEach(n -> drawn.add(n.id()));
    Tracer tracer = new Tracer(index);
    TraceText text = new TraceText();
    List<Option> out = new ArrayList<>();
    for (Request request : SampleRequests.of(index, LIMIT)) {
      Trace trace;
      try {
        trace = tracer.trace(request);
      } catch (IllegalArgumentException e) {
        continue; // a source the page cannot start from, such as a namespace without workloads
      }
      // kept when it passes no drawn node too: the story says why (a host that does not resolve...)
      String from = from(request.from());
      out.add(new Option(request.describe() + " from " + from, command(request, from), text.story(trace),
          TraceText.outcome(trace), nodes(drawn, trace)));
    }
    return out;
  }

  private static String from(Request.Source source) {
    return switch (source.kind()) {
      case GATEWAY -> source.namespace() == null ? "gateway" : "gateway:" + source.namespace() + "/" + source.name();
      case WORKLOAD -> "workload:" + source.namespace() + "/" + source.name();
      case NAMESPACE -> "namespace:" + source.namespace();
    };
  }

  private static String command(Request request, String from) {
    StringBuilder sb = new StringBuilder("--url '").append(request.scheme()).append("://").append(request.authority())
        .append(request.isTcp() ? "" : request.path()).append('\'');
    if (!request.method().equals("GET")) {
      sb.append(" --method ").append(request.method());
    }
    request.headers().forEach((name, value) -> sb.append(" --header '").append(name).append(':').append(value).append('\''));
    return sb.append(" --from ").append(from).toString();
  }

  /** The nodes of the graph the trace passes: its hops, then each destination's subset, target and workloads. */
  private static List<String> nodes(Set<String> drawn, Trace trace) {
    Set<String> ids = new LinkedHashSet<>();
    trace.hops().forEach(h -> ids.add(id(h.resource())));
    for (Trace.Destination d : trace.destinations()) {
      if (d.subset() != null && d.destinationRule() != null) {
        ids.add(id(d.destinationRule()) + "#" + d.subset());
      }
      ids.add(d.target() == null ? "host:" + d.host() : id(d.target()));
      d.workloads().forEach(w -> ids.add(id(w)));
    }
    return ids.stream().filter(drawn::contains).toList();
  }

  private static String id(Resource r) {
    return r.kindKey() + "/" + r.namespace() + "/" + r.name();
  }
}
