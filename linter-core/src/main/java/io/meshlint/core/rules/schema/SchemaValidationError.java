package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.SchemaProblem;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

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
        both `route` and `redirect`, nor `redirect` or `directResponse` with `fault` or `rewrite`, \
        nor `directResponse` with `route` or `redirect`, nor `mirror` with `mirrors`; each tcp and \
        tls route has a `route`; every destination has a `host`; weights are not negative and, \
        with more than one destination, not all zero (they need not sum to 100); a redirect has a \
        `uri`, `authority`, `scheme` or port, a 3xx `redirectCode` and an `http` or `https` scheme; \
        a rewrite has a `uri`, a `uriRegexRewrite` (with `match` and `rewrite`) or an `authority`, \
        not both `uri` and `uriRegexRewrite`; matches have no empty prefix (but for `uri`), ports \
        in 1..65535 and a DNS-label `sourceNamespace`; CORS methods are HTTP methods Istio \
        supports, origins are not empty and `maxAge` is in whole seconds; fault `httpStatus` \
        within 200..600; fault and mirror percentages within 0..100; durations (`timeout`, \
        `retries.perTryTimeout`, `retries.backoff`, `fault.delay.fixedDelay`, \
        `corsPolicy.maxAge`) well formed, at least 1ms and in whole milliseconds; \
        `retries.attempts` not negative, and not 0 with other retry settings; each comma-separated \
        `retries.retryOn` condition is one Envoy knows (`5xx`, `gateway-error`, `reset`, \
        `reset-before-request`, `connect-failure`, `envoy-ratelimited`, `retriable-4xx`, \
        `refused-stream`, `retriable-status-codes`, `retriable-headers`, \
        `http3-post-connect-failure`; for gRPC `cancelled`, `deadline-exceeded`, `internal`, \
        `resource-exhausted`, `unavailable`) or an HTTP status code such as `503`;
        - Gateway: a DNS-label name; at least one server; each server has a named `port` with a \
        number in 1..65535 (no `targetPort`), unique port names, and a protocol Istio knows (HTTP, \
        HTTPS, GRPC, GRPC-WEB, HTTP2, HTTP_PROXY, MONGO, MYSQL, REDIS, TCP, TLS, UDP; any case), and \
        at least one host of the form `host`, `namespace/host` (namespace `*`, `.` or a label) or an \
        IP, full domain names with at most a leading `*.` wildcard; HTTPS and TLS servers have `tls`, \
        with `credentialName` or both `serverCertificate` and `privateKey` for SIMPLE and MUTUAL \
        (MUTUAL also `caCertificates`), no certificates with ISTIO_MUTUAL, no `caCrl` with SIMPLE or \
        a credential; plain HTTP servers have no `tls` but `httpsRedirect`, other protocols none;
        - ServiceEntry: at least one host, none `*`, valid (wildcard) domain names; `addresses` IPs \
        or CIDR blocks (CIDR only with resolution NONE or STATIC); unique port names (DNS labels) and \
        numbers in 1..65535, known protocols; not both `workloadSelector` and `endpoints`; no \
        endpoints with resolution NONE; STATIC resolution has endpoints (IP addresses or `unix://` \
        sockets) or a workloadSelector; with DNS or DNS_ROUND_ROBIN and no endpoints every host is a \
        full domain name, DNS_ROUND_ROBIN has at most one endpoint; endpoint ports named after \
        service ports; several hosts only with HTTP or TLS ports unless resolution is NONE;
        - `exportTo` (VirtualService, DestinationRule, ServiceEntry): `.`, `*` or namespaces (`~` \
        for ServiceEntries), no duplicates, `*` and `~` alone;
        - DestinationRule: a valid `host`; subsets named by unique DNS labels with valid labels; a \
        workload-selected rule exported to its own namespace only; traffic policies not empty, not \
        both `tunnel` and `proxyProtocol`, durations well formed, connection pool limits not \
        negative, `useClientProtocol` not with `h2UpgradePolicy: UPGRADE`, outlier percentages in \
        0..100 and `consecutiveLocalOriginFailures` only with `splitExternalLocalOriginErrors`, one \
        load balancer (`simple` or `consistentHash`) with one hash key and one of `ringHash`, `maglev` \
        (a prime `tableSize` below 5000011) or `minimumRingSize`, an `httpCookie` with a name, \
        locality settings (`distribute` weights 1..100 summing to 100, not with `failover`, no \
        overlapping localities), client TLS certificates as the mode needs them, port-level \
        settings with a port and a setting;
        - Sidecar: not empty; ingress listeners with a port in 1..65535 (unique, no `targetPort`), \
        an IP `bind`, a local `defaultEndpoint` (`127.0.0.1:port`, `0.0.0.0:port`, `[::1]:port`, \
        `[::]:port` or `unix:///path`), TLS without `subjectAltNames`, `httpsRedirect`, \
        `credentialName`, ISTIO_MUTUAL or AUTO_PASSTHROUGH; egress listeners with hosts of the form \
        `namespace/dnsName` (namespace `*`, `.`, `~` or a label; no short names or partial \
        wildcards), unique ports, port 0 only with a `unix://` bind, the listener without port last; \
        an `egressProxy` only with ALLOW_ANY, with a full domain name and a port; connection pools as \
        for DestinationRules;
        - workload selectors (all kinds): no empty label key, no `*`;
        - AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin: only one of `selector`, \
        `targetRef` and `targetRefs`; targets are Services, ServiceEntries or Gateway API Gateways \
        (for WasmPlugins also GatewayClasses) of the same namespace, by name;
        - AuthorizationPolicy: CUSTOM and DENY need `rules`; CUSTOM needs `provider.name` and does \
        not take namespaces, principals or request principals (nor such `when` keys); `provider` only \
        with CUSTOM; each `from` has a non-empty `source`, each `to` a non-empty `operation`; no \
        empty values; IPs and CIDR blocks, ports in 0..65535 and supported path templates; `when` \
        keys Istio knows (`request.headers[name]` style for maps) with `values` or `notValues`;
        - PeerAuthentication: `portLevelMtls` not empty, only with a selector, ports in 1..65535;
        - RequestAuthentication: each JWT rule has an `issuer`, non-empty audiences, an http(s) \
        `jwksUri`, `jwks` that is a JSON Web Key (set), header, parameter and cookie names, valid \
        `outputClaimToHeaders` headers and a well-formed `timeout`;
        - Telemetry: provider names set; tracing `randomSamplingPercentage` in 0..100 and custom \
        tags with values; metric tag overrides with a value for UPSERT (the default) and none for \
        REMOVE, no empty `customMetric`;
        - WasmPlugin: a `url` that Go's URL parser reads, with the scheme `oci`, `file`, `http` or \
        `https`, or none (an OCI image; note that `registry:5000/image` reads as the scheme \
        `registry`: write `oci://registry:5000/image`); a `sha256` of 64 lowercase hex digits; a \
        non-empty `imagePullSecret` (at most 253 characters) and `pluginName` (at most 256); an \
        object as `pluginConfig`; at most 16 `targetRefs`; `vmConfig.env` (at most 256) with unique, \
        non-empty names and no `value` when `valueFrom` is HOST; `match` ports with unique numbers \
        in 1..65535;
        - WorkloadEntry: an `address` (unless a `network` is set) that is an IP, a domain name or an \
        absolute `unix://` path (without ports); ports named by DNS labels in 1..65535; valid labels;
        - WorkloadGroup: a `template`; valid metadata labels; a probe with `httpGet` (port, HTTP or \
        HTTPS scheme, header names), `tcpSocket` (port) or `exec` (command), no negative settings;
        - ProxyConfig: `concurrency` not negative;
        - EnvoyFilter: each patch has `applyTo`, `patch.operation` and, unless REMOVE, \
        `patch.value`; a proxy version regex that compiles; a match of the object class of \
        `applyTo` (listener, route configuration or cluster); a filter match with a name, and a \
        sub-filter match only with HTTP_FILTER on the HTTP connection manager, with a name;
        - Service: port numbers in 1..65535.

        Not reported: EnvoyFilter patch values against Envoy's types, and the `istio.io/dry-run` \
        annotation.

        Fix the field at the reported line; the message says what Istio expects.""",
    subjects = {Kinds.ANY},
    reads = {Kinds.VIRTUAL_SERVICE})
public final class SchemaValidationError implements Rule {
  @Override
  public void check(Resource subject, RuleContext ctx) {
    SchemaFindings out = new SchemaFindings(ctx);
    for (SchemaProblem p : subject.schemaProblems()) {
      out.schema(p.path(), p.message());
    }
    if (!subject.hasModel()) {
      return;
    }
    JsonNode spec = subject.tree().path("spec");
    FieldPath at = FieldPath.of("spec");
    if (subject.kind().equals(Kinds.SERVICE)) {
      if (subject.group().isEmpty()) {
        Trees.forEach(spec.path("ports"), at.key("ports"), (p, pPath) -> IstioValues.portNumber(p, "port", pPath, out));
      }
      return;
    }
    if (!Kinds.isIstioGroup(subject.group())) {
      return;
    }
    switch (subject.kind()) {
      case Kinds.VIRTUAL_SERVICE -> VirtualServiceValidation.check(subject, spec, at, out, ctx);
      case Kinds.GATEWAY -> GatewayValidation.check(subject.name(), spec, at, out);
      case Kinds.SERVICE_ENTRY -> ServiceEntryValidation.check(subject.namespace(), spec, at, out);
      case Kinds.DESTINATION_RULE -> DestinationRuleValidation.check(subject.namespace(), spec, at, out);
      case Kinds.SIDECAR -> SidecarValidation.check(spec, at, out);
      case Kinds.WORKLOAD_ENTRY -> WorkloadValidation.workloadEntry(spec, at, out);
      case Kinds.WORKLOAD_GROUP -> WorkloadValidation.workloadGroup(spec, at, out);
      case Kinds.PROXY_CONFIG -> WorkloadValidation.proxyConfig(spec, at, out);
      case Kinds.ENVOY_FILTER -> EnvoyFilterValidation.check(spec, at, out);
      case Kinds.AUTHORIZATION_POLICY -> SecurityValidation.authorizationPolicy(spec, at, out);
      case Kinds.PEER_AUTHENTICATION -> SecurityValidation.peerAuthentication(spec, at, out);
      case Kinds.REQUEST_AUTHENTICATION -> SecurityValidation.requestAuthentication(spec, at, out);
      case Kinds.TELEMETRY -> TelemetryValidation.check(spec, at, out);
      case Kinds.WASM_PLUGIN -> WasmPluginValidation.check(spec, at, out);
      default -> {
      }
    }
  }
}
