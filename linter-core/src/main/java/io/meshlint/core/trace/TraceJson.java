package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A trace as the contract's JSON object: {@code request}, {@code outcome}, {@code hops},
 * {@code destinations} and {@code effects}; the caller adds {@code findings}.
 */
public final class TraceJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TraceJson() {}

  public static ObjectNode of(Trace trace) {
    ObjectNode root = NODES.objectNode();
    Request r = trace.request();
    ObjectNode request = root.putObject("request");
    request.put("method", r.method());
    request.put("scheme", r.scheme());
    request.put("host", r.host());
    request.put("port", r.port());
    request.put("path", r.path());
    ObjectNode headers = request.putObject("headers");
    r.headers().forEach(headers::put);
    request.set("from", key(trace.from()));

    ObjectNode outcome = root.putObject("outcome");
    outcome.put("result", trace.outcome().result().id());
    outcome.put("status", trace.outcome().status());
    outcome.put("reason", trace.outcome().reason());

    ArrayNode hops = root.putArray("hops");
    for (Trace.Hop hop : trace.hops()) {
      ObjectNode h = resource(hop.resource());
      h.put("field", hop.field().toString());
      h.put("note", hop.note());
      hops.add(h);
    }

    ArrayNode destinations = root.putArray("destinations");
    for (Trace.Destination d : trace.destinations()) {
      ObjectNode n = destinations.addObject();
      n.put("host", d.host());
      n.put("port", d.port());
      n.put("subset", d.subset());
      n.set("weight", number(d.weight()));
      n.set("target", d.target() == null ? NODES.nullNode() : resource(d.target()));
      n.set("destinationRule", d.destinationRule() == null ? NODES.nullNode() : resource(d.destinationRule()));
      ArrayNode workloads = n.putArray("workloads");
      d.workloads().forEach(w -> workloads.add(resource(w)));
      n.put("tls", d.tls());
      ObjectNode authorization = n.putObject("authorization");
      authorization.put("decision", d.authorization().decision());
      authorization.set("policy", d.authorization().policy() == null ? NODES.nullNode() : resource(d.authorization().policy()));
    }

    root.set("effects", effects(trace.effects()));
    return root;
  }

  private static ObjectNode effects(Trace.Effects e) {
    ObjectNode out = NODES.objectNode();
    if (e.fault() == null) {
      out.putNull("fault");
    } else {
      ObjectNode fault = out.putObject("fault");
      if (e.fault().delay() == null) {
        fault.putNull("delay");
      } else {
        ObjectNode delay = fault.putObject("delay");
        delay.put("fixedDelay", e.fault().delay().fixedDelay());
        delay.set("percent", number(e.fault().delay().percent()));
      }
      if (e.fault().abort() == null) {
        fault.putNull("abort");
      } else {
        ObjectNode abort = fault.putObject("abort");
        if (e.fault().abort().httpStatus() != null) {
          abort.put("httpStatus", e.fault().abort().httpStatus());
        } else {
          abort.put("grpcStatus", e.fault().abort().grpcStatus());
        }
        abort.set("percent", number(e.fault().abort().percent()));
      }
    }
    ArrayNode mirrors = out.putArray("mirrors");
    for (Trace.Mirror m : e.mirrors()) {
      ObjectNode n = mirrors.addObject();
      n.put("host", m.host());
      n.put("subset", m.subset());
      n.set("percent", number(m.percent()));
    }
    out.put("timeout", e.timeout());
    out.set("retries", e.retries() == null ? NODES.nullNode() : e.retries().deepCopy());
    out.set("rewrite", e.rewrite() == null ? NODES.nullNode() : e.rewrite().deepCopy());
    out.set("redirect", e.redirect() == null ? NODES.nullNode() : e.redirect().deepCopy());
    out.set("directResponse", e.directResponse() == null ? NODES.nullNode() : e.directResponse().deepCopy());
    return out;
  }

  /** {@code {"kind", "namespace", "name"}} of a resource. */
  static ObjectNode resource(Resource r) {
    return key(r.key());
  }

  private static ObjectNode key(ResourceKey k) {
    ObjectNode n = NODES.objectNode();
    n.put("kind", k.kind());
    n.put("namespace", k.namespace());
    n.put("name", k.name());
    return n;
  }

  /** A whole number as an integer, else rounded to two decimals. */
  private static com.fasterxml.jackson.databind.JsonNode number(double value) {
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.scale() <= 0 ? NODES.numberNode(rounded.intValueExact()) : NODES.numberNode(rounded);
  }
}
