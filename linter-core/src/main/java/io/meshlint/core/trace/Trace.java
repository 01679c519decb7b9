package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.FieldPath;
import java.util.List;

/**
 * What Istio does with one request, as {@link Tracer} works it out: the objects it passes, where
 * it ends, and what the chosen route does besides routing.
 *
 * @param from the Gateway, workload or namespace the request starts from
 */
public record Trace(Request request, ResourceKey from, Outcome outcome, List<Hop> hops, List<Destination> destinations,
    Effects effects) {

  /** How the request ends; the order is the contract's. */
  public enum Result {
    ROUTED("routed"), REDIRECT("redirect"), DIRECT_RESPONSE("direct-response"), NO_ROUTE("no-route"),
    DENIED("denied"), NO_ENDPOINTS("no-endpoints"), BLOCKED("blocked"), FAULT("fault");

    private final String id;

    Result(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** True for the outcomes where the request does not reach an application. */
    public boolean failed() {
      return ordinal() >= NO_ROUTE.ordinal();
    }
  }

  /** @param status the HTTP status the client sees, null when it gets none (routed, or a TCP or TLS failure) */
  public record Outcome(Result result, Integer status, String reason) {}

  /**
   * One configuration object the request passes.
   *
   * @param field the field that decided: a Gateway server, a route rule, a subset, a policy rule
   */
  public record Hop(Resource resource, FieldPath field, String note) {}

  /**
   * One destination that receives the request.
   *
   * @param host fully qualified
   * @param subset null when the route names none
   * @param weight the share of the route's requests, in percent
   * @param target the Service or ServiceEntry the host resolves to, null when none
   * @param destinationRule the DestinationRule the client applies, null when none
   * @param workloads the controllers or Pods (or WorkloadEntries) that serve it
   * @param tls what the client side sends: {@code ISTIO_MUTUAL}, {@code SIMPLE}, {@code MUTUAL},
   *     {@code DISABLE} or {@code none}
   */
  public record Destination(String host, int port, String subset, double weight, Resource target,
      Resource destinationRule, List<Resource> workloads, String tls, Authorization authorization) {}

  /**
   * The destination's AuthorizationPolicies for this request and source.
   *
   * @param decision {@code allow}, {@code deny} or {@code custom} (an external authorizer decides)
   * @param policy the policy that decided, null when none matched
   * @param rule where in the policy: {@code spec.rules[N]}, null without a policy
   */
  public record Authorization(String decision, Resource policy, FieldPath rule) {
    static final Authorization ALLOW = new Authorization("allow", null, null);
  }

  /**
   * What the chosen route does besides routing, as configured. Durations as Istio writes them.
   *
   * @param retries, rewrite, redirect, directResponse the configured blocks, or null
   */
  public record Effects(Fault fault, List<Mirror> mirrors, String timeout, JsonNode retries, JsonNode rewrite,
      JsonNode redirect, JsonNode directResponse) {}

  /** A fault as Envoy applies it: a delay or abort without a percentage is never injected, so it is left out. */
  public record Fault(Delay delay, Abort abort) {}

  public record Delay(String fixedDelay, double percent) {}

  /** @param grpcStatus set instead of {@code httpStatus} for a gRPC abort */
  public record Abort(Integer httpStatus, String grpcStatus, double percent) {}

  /** @param host fully qualified */
  public record Mirror(String host, String subset, double percent) {}
}
