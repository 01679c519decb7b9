package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Locale;
import java.util.Set;

@RuleMeta(
    code = "IST0133",
    name = "SchemaWarning",
    severity = Severity.WARNING,
    summary = "A resource that Istio accepts with a validation warning: a deprecated or ineffective setting.",
    description = """
        Istio's validation accepts these settings but warns about them (`kubectl apply` prints the \
        warning): they are deprecated, do nothing, or apply more widely than intended.

        meshlint reports the warnings that can be decided from the files:
        - VirtualService: `http[].mirrorPercent` (use `mirrorPercentage`); a fault `abort` without \
        `httpStatus`, `grpcStatus` or `http2Error`; a gateway named the legacy way `name.namespace` \
        (use `namespace/name`);
        - DestinationRule (traffic policy, port-level settings and subsets): \
        `outlierDetection.consecutiveErrors` (use `consecutive5xxErrors` or \
        `consecutiveGatewayErrors`); `loadBalancer.consistentHash.minimumRingSize` (use `ringHash`);
        - Gateway: `tls.httpsRedirect` on a server that is not HTTP; certificates on a `PASSTHROUGH` \
        or `AUTO_PASSTHROUGH` server, which ignores them;
        - EnvoyFilter: every EnvoyFilter (it exposes internal details that may change at any time); \
        a filter match with `applyTo: LISTENER` or `FILTER_CHAIN`, which has no effect;
        - a workload selector without labels (Sidecar, ServiceEntry, EnvoyFilter `workloadSelector`; \
        AuthorizationPolicy, PeerAuthentication, RequestAuthentication, Telemetry, ProxyConfig \
        `selector`): it selects every workload of the namespace;
        - ServiceEntry: a `workloadSelector` with resolution `NONE`, `DNS` or `DNS_ROUND_ROBIN`; a \
        `targetPort` with resolution `NONE`; a partial wildcard host (`*foo.com`); several hosts with \
        `addresses` and a TCP port under DNS resolution;
        - Sidecar: an egress host listed twice in a listener, or covered by `namespace/*`; `*/*` \
        beside other hosts; HTTP connection pool settings on a non-HTTP ingress port;
        - AuthorizationPolicy: a DENY rule of only HTTP attributes (no ports, and no principals, \
        namespaces or IP blocks in its sources), which also denies all plain TCP traffic in scope;
        - Gateway: `minProtocolVersion` TLSV1_0 or TLSV1_1 without `cipherSuites`; unknown or \
        duplicate cipher suites, which are ignored;
        - VirtualService: an IP address as TLS `sniHosts`; a `directResponse` body over 100KB;
        - WorkloadEntry: no `address` with a `network`;
        - Telemetry: more than one `tracing` entry, or more than one provider in one;
        - DestinationRule: locality `failover` without outlier detection.

        Not reported (they need Envoy's type registry or cluster state): EnvoyFilter patches with \
        unknown or deprecated Envoy types, and the other warnings of Istio's validation that meshlint \
        does not implement yet. Fix the setting as the message says.""",
    subjects = {Kinds.VIRTUAL_SERVICE, Kinds.DESTINATION_RULE, Kinds.GATEWAY, Kinds.ENVOY_FILTER, Kinds.SIDECAR,
        Kinds.SERVICE_ENTRY, Kinds.WORKLOAD_ENTRY, Kinds.AUTHORIZATION_POLICY, Kinds.PEER_AUTHENTICATION, Kinds.REQUEST_AUTHENTICATION,
        Kinds.TELEMETRY, Kinds.PROXY_CONFIG})
public final class SchemaWarning implements Rule {
  private static final String PREFIX = "Schema validation warning: ";
  private static final String NO_LABELS = "workload selector specified without labels";
  private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY");

  @Override
  public void check(Resource subject, RuleContext ctx) {
    if (!Kinds.isIstioGroup(subject.group())) {
      return;
    }
    JsonNode spec = subject.tree().path("spec");
    FieldPath at = FieldPath.of("spec");
    switch (subject.kind()) {
      case Kinds.VIRTUAL_SERVICE -> virtualService(spec, at, ctx);
      case Kinds.DESTINATION_RULE -> {
        trafficPolicy(spec.path("trafficPolicy"), at.key("trafficPolicy"), ctx);
        ValidationWarnings.failoverWithoutOutlierDetection(spec, at, ctx);
        Trees.forEach(spec.path("subsets"), at.key("subsets"),
            (subset, path) -> trafficPolicy(subset.path("trafficPolicy"), path.key("trafficPolicy"), ctx));
      }
      case Kinds.GATEWAY -> Trees.forEach(spec.path("servers"), at.key("servers"), (s, path) -> server(s, path, ctx));
      case Kinds.ENVOY_FILTER -> envoyFilter(spec, at, ctx);
      case Kinds.SIDECAR -> {
        workloadSelector(spec, at, "sidecar: ", ctx);
        ValidationWarnings.sidecar(subject.namespace(), spec, at, ctx);
      }
      case Kinds.SERVICE_ENTRY -> {
        workloadSelector(spec, at, "service entry: ", ctx);
        String resolution = spec.path("resolution").asText("NONE");
        if (spec.has("workloadSelector") && !resolution.equals("STATIC")) {
          warn(ctx, at.key("workloadSelector"), "workloadSelector should not be set when resolution mode is " + resolution);
        }
        ValidationWarnings.serviceEntry(spec, at, ctx);
      }
      case Kinds.WORKLOAD_ENTRY -> {
        if (spec.path("address").asText("").isEmpty() && !spec.path("network").asText("").isEmpty()) {
          warn(ctx, at.key("network"), "address is unset with network \"" + spec.path("network").asText() + "\"");
        }
      }
      default -> {
        JsonNode selector = spec.path("selector");
        if (selector.isObject() && selector.path("matchLabels").isEmpty()) {
          warn(ctx, at.key("selector"), NO_LABELS);
        }
        if (subject.kind().equals(Kinds.AUTHORIZATION_POLICY)) {
          ValidationWarnings.authorizationPolicy(spec, at, ctx);
        } else if (subject.kind().equals(Kinds.TELEMETRY)) {
          ValidationWarnings.telemetry(spec, at, ctx);
        }
      }
    }
  }

  private static void virtualService(JsonNode spec, FieldPath at, RuleContext ctx) {
    ValidationWarnings.virtualService(spec, at, ctx);
    Trees.forEach(spec.path("gateways"), at.key("gateways"), (gateway, path) -> legacyGatewayName(gateway, path, ctx));
    Trees.forEach(spec.path("http"), at.key("http"), (route, path) -> {
      if (route.has("mirrorPercent")) {
        warn(ctx, path.key("mirrorPercent"), "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
      }
      JsonNode abort = route.path("fault").path("abort");
      if (abort.isObject() && !abort.has("httpStatus") && !abort.has("grpcStatus") && !abort.has("http2Error")) {
        warn(ctx, path.then("fault.abort"), "abort configured, but error type not set");
      }
      Trees.forEach(route.path("match"), path.key("match"), (match, mPath) ->
          Trees.forEach(match.path("gateways"), mPath.key("gateways"), (g, gPath) -> legacyGatewayName(g, gPath, ctx)));
    });
  }

  private static void legacyGatewayName(JsonNode gateway, FieldPath path, RuleContext ctx) {
    String name = gateway.asText("");
    if (!name.contains("/") && name.contains(".")) {
      String[] parts = name.split("\\.");
      warn(ctx, path, "using legacy gatewayName format \"" + name + "\"; prefer the <namespace>/<name> format: \""
          + parts[1] + "/" + parts[0] + "\"");
    }
  }

  private static void trafficPolicy(JsonNode policy, FieldPath at, RuleContext ctx) {
    if (!policy.isObject()) {
      return;
    }
    policySettings(policy, at, ctx);
    Trees.forEach(policy.path("portLevelSettings"), at.key("portLevelSettings"), (p, path) -> policySettings(p, path, ctx));
  }

  private static void policySettings(JsonNode policy, FieldPath at, RuleContext ctx) {
    JsonNode errors = policy.path("outlierDetection").path("consecutiveErrors");
    if (errors.isNumber() && errors.asLong() != 0) {
      warn(ctx, at.then("outlierDetection.consecutiveErrors"), "outlier detection consecutive errors is deprecated, "
          + "use consecutiveGatewayErrors or consecutive5xxErrors instead");
    }
    JsonNode ringSize = policy.path("loadBalancer").path("consistentHash").path("minimumRingSize");
    if (ringSize.isNumber() && ringSize.asLong() != 0) {
      warn(ctx, at.then("loadBalancer.consistentHash.minimumRingSize"),
          "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
    }
  }

  private static void server(JsonNode server, FieldPath path, RuleContext ctx) {
    JsonNode tls = server.path("tls");
    String protocol = server.path("port").path("protocol").asText("").toUpperCase(Locale.ROOT);
    if (server.has("port") && tls.path("httpsRedirect").asBoolean(false) && !HTTP_PROTOCOLS.contains(protocol)) {
      warn(ctx, path.then("tls.httpsRedirect"), "tls.httpsRedirect should only be used with http servers");
    }
    String mode = tls.path("mode").asText("");
    if ((mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH"))
        && (tls.has("caCrl") || tls.has("serverCertificate") || tls.has("privateKey") || tls.has("caCertificates")
            || tls.has("credentialName"))) {
      warn(ctx, path.then("tls.mode"), mode + " mode does not use certificates, they will be ignored");
    }
    ValidationWarnings.cipherSuites(tls, path.key("tls"), ctx);
  }

  private static void envoyFilter(JsonNode spec, FieldPath at, RuleContext ctx) {
    warn(ctx, at, "EnvoyFilter exposes internal implementation details that may change at any time. "
        + "Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.");
    workloadSelector(spec, at, "Envoy filter: ", ctx);
    Trees.forEach(spec.path("configPatches"), at.key("configPatches"), (patch, path) -> {
      String applyTo = patch.path("applyTo").asText("");
      if ((applyTo.equals("LISTENER") || applyTo.equals("FILTER_CHAIN"))
          && patch.path("match").path("listener").path("filterChain").path("filter").isObject()) {
        warn(ctx, path.then("match.listener.filterChain.filter"),
            "Envoy filter: filter match has no effect when used with " + applyTo);
      }
    });
  }

  /** Sidecar, ServiceEntry and EnvoyFilter name their selector {@code workloadSelector}, with {@code labels}. */
  private static void workloadSelector(JsonNode spec, FieldPath at, String prefix, RuleContext ctx) {
    JsonNode selector = spec.path("workloadSelector");
    if (selector.isObject() && selector.path("labels").isEmpty()) {
      warn(ctx, at.key("workloadSelector"), prefix + NO_LABELS + ", will be applied to all services in namespace");
    }
  }

  static void warn(RuleContext ctx, FieldPath path, String detail) {
    ctx.report(path, PREFIX + detail);
  }
}
