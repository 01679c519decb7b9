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
      default -> {
      }
    }
  }
}
