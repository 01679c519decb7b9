package io.meshlint.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.SchemaProblem;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

@RuleMeta(
    code = "IST0106",
    name = "SchemaValidationError",
    severity = Severity.ERROR,
    summary = "A resource does not fit its schema, or breaks one of Istio's validation rules.",
    description = """
        The API server rejects objects with unknown fields or values of the wrong type (with strict \
        field validation, the default of `kubectl apply`), and Istio's admission webhook rejects \
        configuration that breaks its rules. Without the webhook, istiod ignores the invalid resource.

        meshlint reports, for every kind it knows:
        - unknown fields, with the closest known name (`destinaton`: did you mean `destination`?), \
        values of the wrong type (`hosts: foo` where a list is expected), unknown enum values, \
        unserved versions and unknown Istio kinds, and a missing `metadata.name`;
        - VirtualService: `hosts` present and not empty (unless another VirtualService delegates \
        to it); each http route has a `route`, `redirect`, `directResponse` or `delegate`, and not \
        both `route` and `redirect`; each tcp and tls route has a `route`; every destination has a \
        `host`; weights are within 0..100 and, with more than one destination, sum to 100; fault \
        `httpStatus` within 200..600; fault and mirror percentages within 0..100; durations \
        (`timeout`, `retries.perTryTimeout`, `fault.delay.fixedDelay`) well formed, at least 1ms \
        and in whole milliseconds; `retries.attempts` not negative; each comma-separated \
        `retries.retryOn` condition is one Envoy knows (`5xx`, `gateway-error`, `reset`, \
        `reset-before-request`, `connect-failure`, `envoy-ratelimited`, `retriable-4xx`, \
        `refused-stream`, `retriable-status-codes`, `retriable-headers`, \
        `http3-post-connect-failure`; for gRPC `cancelled`, `deadline-exceeded`, `internal`, \
        `resource-exhausted`, `unavailable`) or an HTTP status code such as `503`;
        - Gateway: at least one server; each server has a `port` with a number in 1..65535 and a \
        protocol Istio knows (HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, HTTP_PROXY, MONGO, MYSQL, REDIS, \
        TCP, TLS, UDP; any case), and at least one host; HTTPS and TLS servers have `tls`, with \
        `credentialName` or both `serverCertificate` and `privateKey` for SIMPLE and MUTUAL (MUTUAL \
        also `caCertificates`); plain HTTP servers have no `tls` but `httpsRedirect`, other \
        protocols none at all;
        - ServiceEntry: at least one host; port numbers in 1..65535 with known protocols; with \
        resolution DNS or DNS_ROUND_ROBIN and no endpoints, every host is a full domain name (no \
        wildcard); STATIC resolution has endpoints or a workloadSelector;
        - DestinationRule: `host` present; subsets named; traffic policy durations well formed;
        - Service: port numbers in 1..65535.

        Fix the field at the reported line; the message says what Istio expects.""",
    subjects = {Kinds.VIRTUAL_SERVICE, Kinds.DESTINATION_RULE, Kinds.GATEWAY, Kinds.SERVICE_ENTRY, Kinds.SIDECAR,
        Kinds.WORKLOAD_ENTRY, Kinds.WORKLOAD_GROUP, Kinds.ENVOY_FILTER, Kinds.PROXY_CONFIG,
        Kinds.AUTHORIZATION_POLICY, Kinds.PEER_AUTHENTICATION, Kinds.REQUEST_AUTHENTICATION, Kinds.TELEMETRY,
        Kinds.NAMESPACE, Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB, Kinds.CONFIG_MAP, Kinds.SECRET})
public final class SchemaValidationError implements Rule {
  private static final String PREFIX = "Schema validation error: ";

  /** Istio's protocol names (protocol.Parse), compared case-insensitively. */
  private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY",
      "MONGO", "MYSQL", "REDIS", "TCP", "TLS", "UDP");
  private static final Set<String> TLS_PROTOCOLS = Set.of("HTTPS", "TLS");
  private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY");

  @Override
  public void check(Resource subject, RuleContext ctx) {
    Findings out = new Findings(ctx);
    for (SchemaProblem p : subject.schemaProblems()) {
      out.schema(p.path(), p.message());
    }
    if (!subject.hasModel()) {
      return;
    }
    JsonNode spec = subject.tree().path("spec");
    FieldPath at = FieldPath.of("spec");
    boolean istio = subject.group().equals(Kinds.NETWORKING);
    switch (subject.kind()) {
      case Kinds.VIRTUAL_SERVICE -> {
        if (istio) {
          virtualService(subject, spec, at, out, ctx);
        }
      }
      case Kinds.GATEWAY -> {
        if (istio) {
          gateway(spec, at, out);
        }
      }
      case Kinds.SERVICE_ENTRY -> {
        if (istio) {
          serviceEntry(spec, at, out);
        }
      }
      case Kinds.DESTINATION_RULE -> {
        if (istio) {
          destinationRule(spec, at, out);
        }
      }
      case Kinds.SERVICE -> {
        if (subject.group().isEmpty()) {
          Trees.forEach(spec.path("ports"), at.key("ports"), (p, pPath) -> portNumber(p, "port", pPath, out));
        }
      }
      default -> {
      }
    }
  }

  // --- VirtualService ---

  private static void virtualService(Resource vs, JsonNode spec, FieldPath at, Findings out, RuleContext ctx) {
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
  }

  /** A VirtualService without hosts is valid as a delegate: one that another VirtualService delegates to. */
  private static boolean isDelegate(Resource vs, RuleContext ctx) {
    for (Resource other : ctx.mesh().resources(Kinds.VIRTUAL_SERVICE)) {
      for (JsonNode route : other.tree().path("spec").path("http")) {
        JsonNode delegate = route.path("delegate");
        String namespace = delegate.path("namespace").asText("");
        if (delegate.path("name").asText("").equals(vs.name())
            && (namespace.isEmpty() ? other.namespace() : namespace).equals(vs.namespace())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Envoy's {@code x-envoy-retry-on} and {@code x-envoy-retry-grpc-on} conditions, as Istio accepts them. */
  private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
      "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
      "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
      "resource-exhausted", "unavailable");

  /** The status codes Go's {@code http.StatusText} names: Istio takes these as retriable status codes. */
  private static final Set<String> HTTP_STATUS_CODES = java.util.stream.Stream.of(
      "100 101 102 103 200 201 202 203 204 205 206 207 208 226 300 301 302 303 304 305 307 308",
      "400 401 402 403 404 405 406 407 408 409 410 411 412 413 414 415 416 417 418 421 422 423 424 425 426",
      "428 429 431 451 500 501 502 503 504 505 506 507 508 510 511")
      .flatMap(line -> java.util.Arrays.stream(line.split(" "))).collect(java.util.stream.Collectors.toSet());

  private static void httpRoute(JsonNode route, FieldPath path, Findings out) {
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
    duration(route, "timeout", path, out);
    JsonNode retries = route.path("retries");
    if (retries.path("attempts").isInt() && retries.path("attempts").asInt() < 0) {
      out.report(path.then("retries.attempts"), "attempts cannot be negative");
    }
    duration(retries, "perTryTimeout", path.key("retries"), out);
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
  }

  private static void destinations(JsonNode destinations, FieldPath path, Findings out) {
    long total = 0;
    boolean weightsKnown = true;
    for (int i = 0; i < destinations.size(); i++) {
      JsonNode d = destinations.get(i);
      FieldPath dPath = path.index(i);
      JsonNode destination = d.path("destination");
      if (!destination.isObject()) {
        out.report(dPath, "destination is required");
      } else if (!textPresent(destination.path("host"))) {
        out.report(dPath.key("destination"), "destination host is required");
      }
      JsonNode weight = d.path("weight");
      if (weight.isIntegralNumber()) {
        long w = weight.asLong();
        if (w < 0 || w > 100) {
          out.report(dPath.key("weight"), "percentage " + w + " is not in range 0..100");
        }
        total += w;
      } else if (!weight.isMissingNode() && !weight.isNull()) {
        weightsKnown = false;
      }
    }
    if (destinations.size() > 1 && weightsKnown && total != 100) {
      out.report(path, "total destination weight " + total + " != 100");
    }
  }

  /** A {@code Percent} message: {@code value} within 0..100. */
  private static void percentage(JsonNode node, FieldPath path, Findings out) {
    JsonNode value = node.path("value");
    if (value.isNumber() && (value.asDouble() < 0 || value.asDouble() > 100)) {
      out.report(path.key("value"), "percentage " + value.asText() + " is not in range 0..100");
    }
  }

  /** The deprecated integer percentages. */
  private static void percent(JsonNode node, FieldPath path, Findings out) {
    if (node.isIntegralNumber() && (node.asLong() < 0 || node.asLong() > 100)) {
      out.report(path, "percentage " + node.asLong() + " is not in range 0..100");
    }
  }

  private static void duration(JsonNode parent, String field, FieldPath parentPath, Findings out) {
    JsonNode value = parent.path(field);
    // A bare number is read as text by the binding, but Istio wants a unit.
    if (value.isTextual() || value.isNumber()) {
      String problem = Durations.problem(value.asText());
      if (problem != null) {
        out.report(parentPath.key(field), problem);
      }
    }
  }

  // --- Gateway ---

  private static void gateway(JsonNode spec, FieldPath at, Findings out) {
    JsonNode servers = spec.path("servers");
    if (!servers.isArray() || servers.isEmpty()) {
      out.report(servers.isArray() ? at.key("servers") : at, "gateway must have at least one server");
      return;
    }
    Trees.forEach(servers, at.key("servers"), (server, path) -> {
      JsonNode hosts = server.path("hosts");
      if (!hosts.isArray() || hosts.isEmpty()) {
        out.report(hosts.isArray() ? path.key("hosts") : path, "server config must contain at least one host");
      }
      JsonNode port = server.path("port");
      if (!port.isObject()) {
        out.report(path, "server port is required");
        return;
      }
      boolean portOk = portNumber(port, "number", path.key("port"), out);
      String protocol = protocol(port, path.key("port"), out);
      JsonNode tls = server.path("tls");
      if (!portOk || protocol == null) {
        return;
      }
      if (TLS_PROTOCOLS.contains(protocol)) {
        if (!tls.isObject()) {
          out.report(path, "server must have TLS settings for HTTPS/TLS protocols");
        } else {
          tlsCredentials(tls, path.key("tls"), out);
        }
      } else if (tls.isObject()) {
        if (!HTTP_PROTOCOLS.contains(protocol)) {
          out.report(path.key("tls"), "server cannot have TLS settings for non HTTPS/TLS ports");
        } else if (!isPassthrough(tls) || tls.has("caCertificates") || tls.has("privateKey")
            || tls.has("serverCertificate")) {
          out.report(path.key("tls"), "server cannot have TLS settings for plain text HTTP ports");
        }
      }
    });
  }

  private static boolean isPassthrough(JsonNode tls) {
    String mode = tls.path("mode").asText("PASSTHROUGH");
    return mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH");
  }

  /** SIMPLE and MUTUAL terminate TLS, so they need a certificate: a credential or files. */
  private static void tlsCredentials(JsonNode tls, FieldPath path, Findings out) {
    String mode = tls.path("mode").asText("PASSTHROUGH");
    if (!mode.equals("SIMPLE") && !mode.equals("MUTUAL") && !mode.equals("OPTIONAL_MUTUAL")) {
      return;
    }
    if (textPresent(tls.path("credentialName")) || tls.path("credentialNames").size() > 0
        || tls.path("tlsCertificates").size() > 0) {
      return;
    }
    if (!textPresent(tls.path("serverCertificate")) || !textPresent(tls.path("privateKey"))) {
      out.report(path, mode + " TLS requires credentialName, or serverCertificate and privateKey");
    } else if (!mode.equals("SIMPLE") && !textPresent(tls.path("caCertificates"))) {
      out.report(path, mode + " TLS requires caCertificates (or credentialName)");
    }
  }

  /** The port's protocol upper-cased when Istio knows it; reports it and returns null otherwise. */
  private static String protocol(JsonNode port, FieldPath path, Findings out) {
    JsonNode protocol = port.path("protocol");
    if (!protocol.isTextual() && !protocol.isMissingNode() && !protocol.isNull()) {
      return null;
    }
    String name = protocol.asText("").toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(name)) {
      out.report(protocol.isMissingNode() ? path : path.key("protocol"), (protocol.isMissingNode()
          ? "port protocol is required" : "invalid protocol \"" + protocol.asText() + "\"")
          + "; supported protocols are HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, MONGO, MYSQL, REDIS, TCP, TLS, UDP");
      return null;
    }
    return name;
  }

  /** Checks {@code port.<field>} is within 1..65535; false when it is present and is not. */
  private static boolean portNumber(JsonNode port, String field, FieldPath path, Findings out) {
    JsonNode number = port.path(field);
    if (number.isIntegralNumber() && (number.asLong() < 1 || number.asLong() > 65535)) {
      out.report(path.key(field), "port number " + number.asLong() + " must be in the range 1..65535");
      return false;
    }
    return true;
  }

  // --- ServiceEntry ---

  private static void serviceEntry(JsonNode spec, FieldPath at, Findings out) {
    JsonNode hosts = spec.path("hosts");
    if (!hosts.isArray() || hosts.isEmpty()) {
      out.report(hosts.isArray() ? at.key("hosts") : at, "service entry must have at least one host");
    }
    Trees.forEach(spec.path("ports"), at.key("ports"), (port, path) -> {
      portNumber(port, "number", path, out);
      portNumber(port, "targetPort", path, out);
      protocol(port, path, out);
    });
    String resolution = spec.path("resolution").asText("NONE");
    boolean noEndpoints = spec.path("endpoints").size() == 0;
    if ((resolution.equals("DNS") || resolution.equals("DNS_ROUND_ROBIN")) && noEndpoints) {
      Trees.forEach(hosts, at.key("hosts"), (host, path) -> {
        if (host.isTextual() && !isFqdn(host.asText())) {
          out.report(path, "host \"" + host.asText() + "\" must be a full domain name, without wildcard, "
              + "for resolution " + resolution + " without endpoints");
        }
      });
    }
    if (resolution.equals("STATIC") && noEndpoints && !spec.path("workloadSelector").isObject()) {
      out.report(at.key("resolution"), "endpoints must be provided if service entry discovery mode is static");
    }
  }

  /** A DNS name of labels of letters, digits and hyphens: no wildcard, no empty label. */
  static boolean isFqdn(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty() || h.length() > 255) {
      return false;
    }
    for (String label : h.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || !label.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")) {
        return false;
      }
    }
    return true;
  }

  // --- DestinationRule ---

  private static void destinationRule(JsonNode spec, FieldPath at, Findings out) {
    if (!textPresent(spec.path("host"))) {
      out.report(spec.has("host") ? at.key("host") : at, "destination rule must have a host");
    }
    trafficPolicy(spec.path("trafficPolicy"), at.key("trafficPolicy"), out);
    Trees.forEach(spec.path("subsets"), at.key("subsets"), (subset, path) -> {
      if (!textPresent(subset.path("name"))) {
        out.report(path, "subset name is required");
      }
      trafficPolicy(subset.path("trafficPolicy"), path.key("trafficPolicy"), out);
    });
  }

  private static void trafficPolicy(JsonNode policy, FieldPath at, Findings out) {
    if (!policy.isObject()) {
      return;
    }
    policyDurations(policy, at, out);
    Trees.forEach(policy.path("portLevelSettings"), at.key("portLevelSettings"),
        (p, path) -> policyDurations(p, path, out));
  }

  private static void policyDurations(JsonNode policy, FieldPath at, Findings out) {
    JsonNode tcp = policy.path("connectionPool").path("tcp");
    FieldPath tcpPath = at.then("connectionPool.tcp");
    duration(tcp, "connectTimeout", tcpPath, out);
    duration(tcp, "maxConnectionDuration", tcpPath, out);
    duration(tcp, "idleTimeout", tcpPath, out);
    duration(tcp.path("tcpKeepalive"), "time", tcpPath.key("tcpKeepalive"), out);
    duration(tcp.path("tcpKeepalive"), "interval", tcpPath.key("tcpKeepalive"), out);
    duration(policy.path("connectionPool").path("http"), "idleTimeout", at.then("connectionPool.http"), out);
    JsonNode outlier = policy.path("outlierDetection");
    duration(outlier, "interval", at.key("outlierDetection"), out);
    duration(outlier, "baseEjectionTime", at.key("outlierDetection"), out);
  }

  private static boolean textPresent(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank();
  }

  /**
   * Reports each path once, with Istio's message prefix. A binding problem wins over a rule at the
   * same path or at its parent: a misspelt {@code destinaton} is reported, not the missing
   * {@code destination} it causes.
   */
  private static final class Findings {
    private final RuleContext ctx;
    private final Set<FieldPath> seen = new HashSet<>();
    private final Set<FieldPath> parentsOfSchemaProblems = new HashSet<>();

    Findings(RuleContext ctx) {
      this.ctx = ctx;
    }

    void schema(FieldPath path, String detail) {
      parentsOfSchemaProblems.add(path.parent());
      if (seen.add(path)) {
        ctx.report(path, PREFIX + detail);
      }
    }

    void report(FieldPath path, String detail) {
      if (!parentsOfSchemaProblems.contains(path) && seen.add(path)) {
        ctx.report(path, PREFIX + detail);
      }
    }
  }
}
