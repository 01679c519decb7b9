package io.meshlint.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects what the chosen routes do besides routing ({@link Trace.Effects}), with the percentages
 * Istio gives Envoy: a fault delay or abort without a percentage is injected into no request (and
 * so is left out); a mirror without a percentage copies every request, one with 0% none.
 */
final class RouteEffects {
  Trace.Fault fault;
  final List<Trace.Mirror> mirrors = new ArrayList<>();
  String timeout;
  JsonNode retries;
  JsonNode rewrite;
  JsonNode redirect;
  JsonNode directResponse;

  /** The effects of one HTTP rule; mirror hosts qualified in the namespace of the VirtualService that defines the rule. */
  static RouteEffects of(JsonNode rule, String namespace, Registry registry) {
    RouteEffects out = new RouteEffects();
    Trace.Delay delay = delay(rule.path("fault").path("delay"));
    Trace.Abort abort = abort(rule.path("fault").path("abort"));
    out.fault = delay == null && abort == null ? null : new Trace.Fault(delay, abort);
    JsonNode mirror = rule.path("mirror");
    if (mirror.isObject()) {
      double percent = rule.path("mirrorPercentage").isObject() ? rule.path("mirrorPercentage").path("value").asDouble(0)
          : rule.has("mirrorPercent") ? rule.path("mirrorPercent").asDouble(0) : 100;
      out.mirror(mirror, percent, namespace, registry);
    }
    for (JsonNode m : rule.path("mirrors")) {
      double percent = m.path("percentage").isObject() ? m.path("percentage").path("value").asDouble(0) : 100;
      out.mirror(m.path("destination"), percent, namespace, registry);
    }
    out.timeout = rule.path("timeout").isTextual() ? rule.path("timeout").asText() : null;
    out.retries = object(rule.path("retries"));
    out.rewrite = object(rule.path("rewrite"));
    out.redirect = object(rule.path("redirect"));
    out.directResponse = object(rule.path("directResponse"));
    return out;
  }

  private void mirror(JsonNode destination, double percent, String namespace, Registry registry) {
    if (percent > 0 && destination.path("host").isTextual()) {
      String subset = destination.path("subset").asText("");
      mirrors.add(new Trace.Mirror(registry.qualify(destination.path("host").asText().toLowerCase(Locale.ROOT), namespace),
          subset.isEmpty() ? null : subset, Math.min(percent, 100)));
    }
  }

  private static JsonNode object(JsonNode node) {
    return node.isObject() ? node : null;
  }

  /** A fixed delay with a percentage above 0 (the deprecated integer {@code percent} counts too); else null. */
  static Trace.Delay delay(JsonNode delay) {
    if (!delay.isObject() || !delay.path("fixedDelay").isTextual()) {
      return null; // Istio does not support exponential delays
    }
    double percent = delay.path("percentage").isObject() ? delay.path("percentage").path("value").asDouble(0)
        : delay.path("percent").asDouble(0);
    return percent > 0 ? new Trace.Delay(delay.path("fixedDelay").asText(), Math.min(percent, 100)) : null;
  }

  /** An HTTP or gRPC abort with a percentage above 0; else null. */
  static Trace.Abort abort(JsonNode abort) {
    if (!abort.isObject()) {
      return null;
    }
    double percent = abort.path("percentage").path("value").asDouble(0);
    Integer http = abort.path("httpStatus").canConvertToInt() ? abort.path("httpStatus").asInt() : null;
    String grpc = abort.path("grpcStatus").isTextual() ? abort.path("grpcStatus").asText() : null;
    if (percent <= 0 || (http == null && grpc == null)) {
      return null;
    }
    return new Trace.Abort(http, http == null ? grpc : null, Math.min(percent, 100));
  }

  /** Takes what {@code later} sets and this does not: the effects of a gateway's route after the sidecar's. */
  void mergeFrom(RouteEffects later) {
    fault = fault != null ? fault : later.fault;
    mirrors.addAll(later.mirrors);
    timeout = timeout != null ? timeout : later.timeout;
    retries = retries != null ? retries : later.retries;
    rewrite = rewrite != null ? rewrite : later.rewrite;
    redirect = redirect != null ? redirect : later.redirect;
    directResponse = directResponse != null ? directResponse : later.directResponse;
  }

  Trace.Effects build() {
    return new Trace.Effects(fault, List.copyOf(mirrors), timeout, retries, rewrite, redirect, directResponse);
  }

  /** A percentage as the trace prints it: at most two decimals, no trailing zeros. */
  static String percent(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}
