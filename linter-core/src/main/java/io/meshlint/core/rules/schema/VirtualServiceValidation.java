package io.meshlint.core.rules.schema;

import static io.meshlint.core.rules.schema.IstioValues.duration;
import static io.meshlint.core.rules.schema.IstioValues.percent;
import static io.meshlint.core.rules.schema.IstioValues.percentage;
import static io.meshlint.core.rules.schema.IstioValues.textPresent;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rules.common.Durations;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Istio's VirtualService validation, for {@link SchemaValidationError}. */
final class VirtualServiceValidation {
  private VirtualServiceValidation() {}

  /** Envoy's {@code x-envoy-retry-on} and {@code x-envoy-retry-grpc-on} conditions, as Istio accepts them. */
  private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
      "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
      "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
      "resource-exhausted", "unavailable");

  /** The status codes Go's {@code http.StatusText} names: Istio takes these as retriable status codes. */
  private static final Set<String> HTTP_STATUS_CODES = Stream.of(
      "100 101 102 103 200 201 202 203 204 205 206 207 208 226 300 301 302 303 304 305 307 308",
      "400 401 402 403 404 405 406 407 408 409 410 411 412 413 414 415 416 417 418 421 422 423 424 425 426",
      "428 429 431 451 500 501 502 503 504 505 506 507 508 510 511")
      .flatMap(line -> Arrays.stream(line.split(" "))).collect(Collectors.toSet());

  static void check(Resource vs, JsonNode spec, FieldPath at, SchemaFindings out, RuleContext ctx) {
    JsonNode hosts = spec.path("hosts");
    if ((hosts.isMissingNode() || hosts.isNull() || (hosts.isArray() && hosts.isEmpty())) && !isDelegate(vs, ctx)) {
      out.report(hosts.isArray() ? at.key("hosts") : at, "virtual service must have at least one host");
    }
    Trees.forEach(spec.path("http"), at.key("http"), (route, path) -> httpRoute(route, path, out));
    for (String protocol : new String[] {"tcp", "tls"}) {
      Trees.forEach(spec.path(protocol), at.key(protocol), (route, path) -> {
        JsonNode destinations = route.path("route");
        if (!destinations.isArray() || destinations.isEmpty()) {
          out.report(destinations.isArray() ? path.key("route") : path,
              protocol.toUpperCase(Locale.ROOT) + " route is required");
        } else {
          destinations(destinations, path.key("route"), out);
        }
      });
    }
    IstioValues.exportTo(spec.path("exportTo"), vs.namespace(), false, at.key("exportTo"), out);
  }

  /** A VirtualService without hosts is valid as a delegate: one that another VirtualService delegates to. */
  private static boolean isDelegate(Resource vs, RuleContext ctx) {
    return !ctx.mesh().virtualServicesDelegatingTo(vs.namespace(), vs.name()).isEmpty();
  }

  private static void httpRoute(JsonNode route, FieldPath path, SchemaFindings out) {
    JsonNode destinations = route.path("route");
    boolean hasRoute = destinations.isArray() && !destinations.isEmpty();
    boolean hasRedirect = route.path("redirect").isObject();
    if (hasRoute && hasRedirect) {
      out.report(path.key("redirect"), "HTTP route cannot contain both route and redirect");
    } else if (!hasRoute && !hasRedirect && !route.path("directResponse").isObject()
        && !route.path("delegate").isObject()) {
      out.report(destinations.isArray() ? path.key("route") : path,
          "HTTP route must have a route, redirect, directResponse or delegate");
    }
    if (hasRoute) {
      destinations(destinations, path.key("route"), out);
    }
    conflicts(route, path, hasRoute, out);
    redirect(route.path("redirect"), path.key("redirect"), out);
    rewrite(route.path("rewrite"), path.key("rewrite"), out);
    Trees.forEach(route.path("match"), path.key("match"), (match, mPath) -> match(match, mPath, out));
    cors(route.path("corsPolicy"), path.key("corsPolicy"), out);
    duration(route, "timeout", path, out);
    JsonNode retries = route.path("retries");
    if (retries.path("attempts").isInt() && retries.path("attempts").asInt() < 0) {
      out.report(path.then("retries.attempts"), "attempts cannot be negative");
    }
    if (retries.isObject() && retries.path("attempts").asInt(0) == 0 && (retries.has("perTryTimeout")
        || textPresent(retries.path("retryOn")) || retries.has("retryRemoteLocalities"))) {
      out.report(path.key("retries"), "http retry policy configured when attempts are set to 0 (disabled)");
    }
    duration(retries, "perTryTimeout", path.key("retries"), out);
    duration(retries, "backoff", path.key("retries"), out);
    if (retries.path("retryOn").isTextual() && !retries.path("retryOn").asText().isEmpty()) {
      for (String condition : retries.path("retryOn").asText().split(",", -1)) {
        if (!RETRY_ON.contains(condition) && !HTTP_STATUS_CODES.contains(condition)) {
          out.report(path.then("retries.retryOn"), "\"" + condition + "\" is not a valid retryOn policy");
        }
      }
    }
    JsonNode fault = route.path("fault");
    FieldPath faultPath = path.key("fault");
    if (fault.isObject()) {
      JsonNode abort = fault.path("abort");
      JsonNode delay = fault.path("delay");
      if (!abort.isObject() && !delay.isObject()) {
        out.report(faultPath, "HTTP fault injection must have an abort and/or a delay");
      }
      JsonNode status = abort.path("httpStatus");
      if (status.isIntegralNumber() && (status.asInt() < 200 || status.asInt() > 600)) {
        out.report(faultPath.then("abort.httpStatus"), "HTTP status " + status.asInt() + " is not in range 200..600");
      }
      percentage(abort.path("percentage"), faultPath.then("abort.percentage"), out);
      percentage(delay.path("percentage"), faultPath.then("delay.percentage"), out);
      percent(abort.path("percent"), faultPath.then("abort.percent"), out);
      percent(delay.path("percent"), faultPath.then("delay.percent"), out);
      duration(delay, "fixedDelay", faultPath.key("delay"), out);
      duration(delay, "exponentialDelay", faultPath.key("delay"), out);
    }
    percentage(route.path("mirrorPercentage"), path.key("mirrorPercentage"), out);
    percent(route.path("mirrorPercent"), path.key("mirrorPercent"), out);
    Trees.forEach(route.path("mirrors"), path.key("mirrors"),
        (m, mPath) -> percentage(m.path("percentage"), mPath.key("percentage"), out));
    if (route.path("mirror").isObject() && !textPresent(route.path("mirror").path("host"))) {
      out.report(path.key("mirror"), "mirror destination host is required");
    }
    JsonNode body = route.path("directResponse").path("body");
    if (bodySize(body) > 1024 * 1024) {
      out.report(path.then("directResponse.body"),
          "large direct_responses may impact control plane performance, must be less than 1MB");
    }
  }

  /** Fields that cannot go together in one http route, as Istio's validation pairs them. */
  private static void conflicts(JsonNode route, FieldPath path, boolean hasRoute, SchemaFindings out) {
    boolean redirect = route.path("redirect").isObject();
    boolean directResponse = route.path("directResponse").isObject();
    String other = redirect ? "redirect" : directResponse ? "direct_response" : null;
    if (other != null) {
      if (route.path("fault").isObject()) {
        out.report(path.key("fault"), "HTTP route cannot contain both fault and " + other);
      }
      if (route.path("rewrite").isObject()) {
        out.report(path.key("rewrite"), "HTTP route rule cannot contain both rewrite and " + other);
      }
      if (redirect && directResponse) {
        out.report(path.key("directResponse"), "HTTP route rule cannot contain both direct_response and redirect");
      }
      if (!redirect && hasRoute) {
        out.report(path.key("directResponse"), "HTTP route cannot contain both route and direct_response");
      }
    }
    if (route.path("mirror").isObject() && route.path("mirrors").isArray() && !route.path("mirrors").isEmpty()) {
      out.report(path.key("mirrors"), "HTTP route cannot contain both mirror and mirrors");
    }
  }

  private static void redirect(JsonNode redirect, FieldPath path, SchemaFindings out) {
    if (!redirect.isObject()) {
      return;
    }
    if (!textPresent(redirect.path("uri")) && !textPresent(redirect.path("authority")) && !redirect.has("port")
        && !redirect.has("derivePort") && !textPresent(redirect.path("scheme"))) {
      out.report(path, "redirect must specify URI, authority, scheme, or port");
      return;
    }
    JsonNode code = redirect.path("redirectCode");
    if (code.isIntegralNumber() && code.asInt() != 0 && (code.asInt() < 300 || code.asInt() > 399)) {
      out.report(path.key("redirectCode"), code.asInt() + " is not a valid redirect code, must be 3xx");
    }
    String scheme = redirect.path("scheme").asText("");
    if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
      out.report(path.key("scheme"), "invalid redirect scheme, must be \"http\" or \"https\"");
    }
    JsonNode port = redirect.path("port");
    if (port.isIntegralNumber() && port.asLong() > 65535) {
      out.report(path.key("port"), "port number " + port.asLong() + " must be in the range 1..65535");
    }
  }

  private static void rewrite(JsonNode rewrite, FieldPath path, SchemaFindings out) {
    if (!rewrite.isObject()) {
      return;
    }
    boolean uri = textPresent(rewrite.path("uri"));
    JsonNode regex = rewrite.path("uriRegexRewrite");
    if (uri && regex.isObject()) {
      out.report(path, "rewrite may only contain one of URI or UriRegexRewrite");
    } else if (!uri && !regex.isObject() && !textPresent(rewrite.path("authority"))) {
      out.report(path, "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or "
          + "UriRegexRewrite may be specified");
    } else if (regex.isObject() && (!textPresent(regex.path("match")) || !textPresent(regex.path("rewrite")))) {
      out.report(path.key("uriRegexRewrite"),
          "UriRegexRewrite has errors: UriRegexRewrite requires both Rewrite and Match fields to be specified");
    }
  }

  private static void match(JsonNode match, FieldPath path, SchemaFindings out) {
    for (String field : new String[] {"scheme", "method", "authority"}) {
      emptyPrefix(match.path(field), field, path.key(field), out);
    }
    for (String field : new String[] {"headers", "queryParams"}) {
      match.path(field).fields().forEachRemaining(e ->
          emptyPrefix(e.getValue(), field, path.key(field).key(e.getKey()), out));
    }
    JsonNode port = match.path("port");
    if (port.isIntegralNumber() && port.asLong() > 65535) {
      out.report(path.key("port"), "port number " + port.asLong() + " must be in the range 1..65535");
    }
    String sourceNamespace = match.path("sourceNamespace").asText("");
    if (!sourceNamespace.isEmpty() && !IstioValues.isDns1123Label(sourceNamespace)) {
      out.report(path.key("sourceNamespace"), "sourceNamespace match " + sourceNamespace + " is invalid");
    }
  }

  /** Envoy refuses an empty prefix for every string match but the uri. */
  private static void emptyPrefix(JsonNode stringMatch, String where, FieldPath path, SchemaFindings out) {
    if (stringMatch.path("prefix").isTextual() && stringMatch.path("prefix").asText().isEmpty()) {
      out.report(path.key("prefix"), "\"" + where + "\": prefix string match should not be empty");
    }
  }

  private static final Set<String> CORS_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
      "OPTIONS", "TRACE", "PATCH");

  private static void cors(JsonNode cors, FieldPath path, SchemaFindings out) {
    Trees.forEach(cors.path("allowMethods"), path.key("allowMethods"), (method, mPath) -> {
      if (!CORS_METHODS.contains(method.asText())) {
        out.report(mPath, "\"" + method.asText() + "\" is not a supported HTTP method");
      }
    });
    Trees.forEach(cors.path("allowOrigins"), path.key("allowOrigins"), (origin, oPath) -> {
      String value = origin.path("exact").asText(origin.path("prefix").asText(origin.path("regex").asText("")));
      if (value.isEmpty()) {
        out.report(oPath, "'' is not a valid match type for CORS allow origins");
      }
    });
    duration(cors, "maxAge", path, out);
    Long maxAge = Durations.parseNanos(cors.path("maxAge").asText(null));
    if (maxAge != null && maxAge % 1_000_000_000L != 0) {
      out.report(path.key("maxAge"), "max_age duration is accurate only to seconds precision");
    }
  }

  /** The size of a direct response body in bytes; {@code bytes} is base64. */
  static long bodySize(JsonNode body) {
    if (body.path("string").isTextual()) {
      return body.path("string").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    return body.path("bytes").isTextual() ? body.path("bytes").asText().length() * 3L / 4 : 0;
  }

  private static void destinations(JsonNode destinations, FieldPath path, SchemaFindings out) {
    long total = 0;
    for (int i = 0; i < destinations.size(); i++) {
      JsonNode d = destinations.path(i);
      FieldPath dPath = path.index(i);
      JsonNode destination = d.path("destination");
      if (!destination.isObject()) {
        out.report(dPath, "destination is required");
      } else if (!textPresent(destination.path("host"))) {
        out.report(dPath.key("destination"), "destination host is required");
      }
      JsonNode weight = d.path("weight");
      if (weight.isIntegralNumber()) {
        if (weight.asLong() < 0) {
          out.report(dPath.key("weight"), "weight " + weight.asLong() + " < 0");
        }
        total += weight.asLong();
      }
    }
    // Istio normalizes weights; only all-zero weights leave no destination to choose.
    if (destinations.size() > 1 && total == 0) {
      out.report(path, "total destination weight = 0");
    }
  }
}
