package io.meshlint.core.rules.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Sidecars;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.rules.egress.ExternalHosts.Endpoint;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

@RuleMeta(
    code = "MSH1002",
    name = "ExternalHostWithoutServiceEntry",
    severity = Severity.ERROR,
    summary = "A workload calls an external host that no visible ServiceEntry declares.",
    description = """
        Istio's sidecar only knows the hosts in its registry: Services, and ServiceEntries visible \
        from the workload's namespace. With the outbound traffic policy `REGISTRY_ONLY` (set in the \
        mesh config, or by the Sidecar resource that applies to the workload) a request to any other \
        host fails: HTTP calls get a 502 from the sidecar's `BlackHoleCluster`, TLS and TCP \
        connections are reset. Under the default `ALLOW_ANY` the request passes through \
        `PassthroughCluster`, but outside mesh policy: no retries, timeouts, TLS origination or \
        per-host telemetry. meshlint reports an error under `REGISTRY_ONLY` and info under \
        `ALLOW_ANY`. The policy is the one of the Sidecar that applies to the workload (one whose \
        `workloadSelector` matches in its namespace, else the namespace's Sidecar without selector, \
        else the root namespace's), when it sets `outboundTrafficPolicy`, else the mesh config's.

        Where meshlint looks for hosts, in Pods and the pod templates of Deployments, StatefulSets, \
        DaemonSets, ReplicaSets, Jobs and CronJobs (containers and init containers):
        - URLs (`https://`, `http://`, `grpc://`, `amqps://`, `postgres://`, ...) and `host:port` in \
        env values, `args` and `command`;
        - the same in ConfigMaps the workload reads: `envFrom[].configMapRef`, \
        `env[].valueFrom.configMapKeyRef` and `configMap` (also projected) volumes; the finding \
        points at the reference in the workload and names the ConfigMap key;
        - SDK settings that imply hosts without spelling them:

        | Setting | Hosts (port 443) |
        |---|---|
        | Application Insights / Azure Monitor connection string (`InstrumentationKey=...`) | its `IngestionEndpoint`, `LiveEndpoint`, `ProfilerEndpoint`, `SnapshotEndpoint`; with `EndpointSuffix=S`: `dc.S`, `live.S` |
        | a connection string without endpoints, or `APPINSIGHTS_INSTRUMENTATIONKEY` | `dc.services.visualstudio.com`, `rt.services.visualstudio.com` (older SDKs also use `dc.applicationinsights.microsoft.com` and `rt.applicationinsights.microsoft.com`) |
        | `DD_SITE=S` (Datadog, unless `DD_AGENT_HOST` or `DD_TRACE_AGENT_URL` routes through an agent) | `api.S`, `trace.agent.S`, `http-intake.logs.S` |
        | `SENTRY_DSN` | the DSN's host |
        | `NEW_RELIC_LICENSE_KEY` (or `NEW_RELIC_HOST`) | `collector.newrelic.com` (`collector.eu01.nr-data.net` for `eu01x` keys; `NEW_RELIC_HOST` when set) |
        | `HONEYCOMB_API_KEY` (unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set) | `api.honeycomb.io` |

        VirtualService `hosts` (when it applies to sidecars: no `gateways`, or `mesh` among them) and \
        DestinationRule `host` are checked too. Not external: names without a dot, `*.svc`, \
        `*.svc.cluster.local` (the cluster domain), `name.namespace` of a Service or of a namespace in \
        the inputs, Service hosts, IP literals, `localhost` and wildcards. Each host is reported once \
        per resource.

        Fix: apply the ServiceEntry that comes with the finding (`hosts` the host, `resolution: DNS`, \
        `location: MESH_EXTERNAL`, the port of the URL) in the workload's namespace. Keep it there: \
        treat a ServiceEntry as bound to the namespace it lives in unless its `exportTo` says \
        otherwise (meshes often set `defaultServiceExportTo: ["."]`). A ServiceEntry in another \
        namespace counts when its `exportTo` is unset, `"*"` or names the workload's namespace.""",
    subjects = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB, Kinds.VIRTUAL_SERVICE, Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY, Kinds.SIDECAR, Kinds.CONFIG_MAP, Kinds.NAMESPACE})
public final class ExternalHostWithoutServiceEntry implements Rule {

  @Override
  public void check(Resource subject, RuleContext ctx) {
    switch (subject.kind()) {
      case Kinds.VIRTUAL_SERVICE -> checkVirtualService(subject, ctx);
      case Kinds.DESTINATION_RULE -> checkDestinationRule(subject, ctx);
      default -> checkWorkload(subject, ctx);
    }
  }

  // --- workloads -------------------------------------------------------------------------------

  private static void checkWorkload(Resource subject, RuleContext ctx) {
    Workload workload = ctx.mesh().workloadOf(subject);
    if (workload == null) {
      return;
    }
    Reporter reporter = new Reporter(subject.namespace(), policy(ctx.mesh(), subject.namespace(), workload.labels()), ctx);
    discover(workload, ctx.mesh(), reporter::all);
  }

  /** Receives the hosts found at one place of a workload. */
  @FunctionalInterface
  public interface Discovery {
    /**
     * @param path where in the workload's resource the hosts come from
     * @param source what the place is, e.g. {@code env API_URL}, for messages
     */
    void found(List<Endpoint> endpoints, FieldPath path, String source);
  }

  /**
   * The hosts a workload is configured to call, where this rule looks for them (containers, init
   * containers and the ConfigMaps they read), whether or not they are external: callers decide
   * with {@link #isExternal}. {@code mesh} must allow reading ConfigMaps.
   */
  public static void discover(Workload workload, MeshView mesh, Discovery sink) {
    Resource subject = workload.owner();
    FieldPath specPath = workload.podSpecPath();
    JsonNode podSpec = specPath.in(subject.tree());
    for (String list : new String[] {"initContainers", "containers"}) {
      Trees.forEach(podSpec.path(list), specPath.key(list), (c, cPath) -> checkContainer(subject, c, cPath, mesh, sink));
    }
    Trees.forEach(podSpec.path("volumes"), specPath.key("volumes"), (v, vPath) -> {
      String volume = v.path("name").asText();
      if (v.has("configMap")) {
        checkVolumeConfigMap(subject, v.path("configMap"), vPath.key("configMap"), volume, mesh, sink);
      }
      Trees.forEach(v.path("projected").path("sources"), vPath.then("projected.sources"), (s, sPath) -> {
        if (s.has("configMap")) {
          checkVolumeConfigMap(subject, s.path("configMap"), sPath.key("configMap"), volume, mesh, sink);
        }
      });
    });
  }

  private static void checkContainer(Resource subject, JsonNode container, FieldPath path, MeshView mesh,
      Discovery sink) {
    // Every variable name the container sees, for SDKs that look at more than one.
    Set<String> names = new HashSet<>();
    container.path("env").forEach(e -> names.add(e.path("name").asText()));
    container.path("envFrom").forEach(ef -> {
      Resource cm = configMap(mesh, subject.namespace(), ef.path("configMapRef"));
      if (cm != null) {
        fields(cm.tree().path("data")).forEach(k -> names.add(ef.path("prefix").asText("") + k));
      }
    });

    Trees.forEach(container.path("env"), path.key("env"), (e, ePath) -> {
      String name = e.path("name").asText();
      JsonNode value = e.path("value");
      JsonNode cmRef = e.path("valueFrom").path("configMapKeyRef");
      if (value.isValueNode() && !value.isNull()) {
        sink.found(ExternalHosts.fromEnv(name, value.asText(), names), ePath.key("value"), "env " + name);
      } else if (cmRef.isObject()) {
        Resource cm = configMap(mesh, subject.namespace(), cmRef);
        String key = cmRef.path("key").asText();
        JsonNode data = cm == null ? MissingNode.getInstance() : cm.tree().path("data").path(key);
        sink.found(ExternalHosts.fromEnv(name, data.isValueNode() ? data.asText() : null, names),
            ePath.then("valueFrom.configMapKeyRef"),
            "env " + name + ", ConfigMap \"" + cmRef.path("name").asText() + "\" key \"" + key + "\"");
      } else {
        // From a Secret or a field: the value is unknown, the name alone may imply hosts.
        sink.found(ExternalHosts.fromEnv(name, null, names), ePath.key("name"), "env " + name);
      }
    });
    Trees.forEach(container.path("envFrom"), path.key("envFrom"), (ef, efPath) -> {
      Resource cm = configMap(mesh, subject.namespace(), ef.path("configMapRef"));
      if (cm == null) {
        return;
      }
      JsonNode data = cm.tree().path("data");
      String prefix = ef.path("prefix").asText("");
      for (String key : fields(data)) {
        sink.found(ExternalHosts.fromEnv(prefix + key, data.path(key).asText(), names), efPath.key("configMapRef"),
            "env " + prefix + key + ", ConfigMap \"" + cm.name() + "\" key \"" + key + "\"");
      }
    });
    for (String list : new String[] {"command", "args"}) {
      Trees.forEach(container.path(list), path.key(list),
          (a, aPath) -> sink.found(ExternalHosts.scan(a.asText()), aPath, list));
    }
  }

  private static void checkVolumeConfigMap(Resource subject, JsonNode ref, FieldPath path, String volume,
      MeshView mesh, Discovery sink) {
    Resource cm = configMap(mesh, subject.namespace(), ref);
    if (cm == null) {
      return;
    }
    JsonNode data = cm.tree().path("data");
    List<String> keys = ref.path("items").isArray()
        ? StreamSupport.stream(ref.path("items").spliterator(), false)
            .map(i -> i.path("key").asText()).toList()
        : fields(data);
    for (String key : keys) {
      JsonNode value = data.path(key);
      if (value.isValueNode()) {
        sink.found(ExternalHosts.scan(value.asText()), path,
            "ConfigMap \"" + cm.name() + "\" key \"" + key + "\", volume \"" + volume + "\"");
      }
    }
  }

  // --- VirtualService and DestinationRule --------------------------------------------------------

  private static void checkVirtualService(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    JsonNode gateways = spec.path("gateways");
    boolean forSidecars = !gateways.isArray() || gateways.isEmpty();
    for (JsonNode g : gateways) {
      forSidecars |= g.asText().equals("mesh");
    }
    if (!forSidecars) {
      return; // ingress only: its hosts are names clients use to reach the gateway
    }
    // A VirtualService with tls or only tcp routes talks TLS/TCP; take 443 HTTPS unless http routes only.
    boolean httpOnly = spec.has("http") && !spec.has("tls") && !spec.has("tcp");
    Endpoint template = httpOnly ? new Endpoint("", 80, "HTTP", "VirtualService host")
        : new Endpoint("", 443, "HTTPS", "VirtualService host");
    Reporter reporter = new Reporter(vs.namespace(), policy(ctx.mesh(), vs.namespace(), null), ctx);
    Trees.forEach(spec.path("hosts"), FieldPath.of("spec", "hosts"), (h, path) -> reporter.one(
        new Endpoint(h.asText(), template.port(), template.protocol(), template.what()), path, null));
  }

  private static void checkDestinationRule(Resource dr, RuleContext ctx) {
    JsonNode host = dr.tree().path("spec").path("host");
    if (!host.isTextual()) {
      return;
    }
    JsonNode portLevel = dr.tree().path("spec").path("trafficPolicy").path("portLevelSettings").path(0);
    int port = portLevel.path("port").path("number").asInt(443);
    Reporter reporter = new Reporter(dr.namespace(), policy(ctx.mesh(), dr.namespace(), null), ctx);
    reporter.one(new Endpoint(host.asText(), port, port == 80 ? "HTTP" : port == 443 ? "HTTPS" : "TCP",
        "DestinationRule host"), FieldPath.of("spec", "host"), null);
  }

  // --- outbound policy -----------------------------------------------------------------------------

  /** The outbound traffic policy in force, and where it was set. */
  record Policy(boolean registryOnly, String source) {}

  /**
   * The Sidecar that applies ({@link Sidecars#applying}) decides when it sets a mode; otherwise the
   * mesh config. {@code labels} null means "any workload of the namespace".
   */
  static Policy policy(MeshView mesh, String namespace, Map<String, String> labels) {
    MeshConfig config = mesh.meshConfig();
    Resource applies = Sidecars.applying(namespace, labels, mesh);
    if (applies != null) {
      String mode = applies.tree().path("spec").path("outboundTrafficPolicy").path("mode").asText("");
      if (mode.equals(MeshConfig.REGISTRY_ONLY) || mode.equals(MeshConfig.ALLOW_ANY)) {
        return new Policy(mode.equals(MeshConfig.REGISTRY_ONLY),
            "Sidecar " + applies.namespace() + "/" + applies.name());
      }
    }
    return new Policy(config.registryOnly(), null);
  }

  // --- reporting -------------------------------------------------------------------------------------

  /** Reports each external, undeclared host once per subject. */
  private static final class Reporter {
    final String namespace;
    final Policy policy;
    final RuleContext ctx;
    final Set<String> seen = new HashSet<>();

    Reporter(String namespace, Policy policy, RuleContext ctx) {
      this.namespace = namespace;
      this.policy = policy;
      this.ctx = ctx;
    }

    void all(List<Endpoint> endpoints, FieldPath path, String source) {
      endpoints.forEach(e -> one(e, path, source));
    }

    void one(Endpoint e, FieldPath path, String source) {
      String host = e.host().toLowerCase(Locale.ROOT);
      if (!seen.add(host) || !isExternal(ctx.mesh(), host, namespace)
          || !ctx.mesh().serviceEntriesFor(host, namespace).isEmpty()) {
        return;
      }
      String why = source == null ? e.what() : e.what() + ", from " + source;
      String policyText = "outbound policy " + (policy.registryOnly() ? MeshConfig.REGISTRY_ONLY : MeshConfig.ALLOW_ANY)
          + (policy.source() == null ? "" : " set by " + policy.source());
      String message = "External host \"" + host + "\" (" + why + ") has no ServiceEntry visible in namespace \""
          + namespace + "\"; " + (policy.registryOnly()
              ? "the mesh blocks it (" + policyText + ")"
              : "requests pass (" + policyText + ") but bypass mesh policy and telemetry");
      ctx.report(path, message, policy.registryOnly() ? Severity.ERROR : Severity.INFO,
          serviceEntry(host, e.port(), e.protocol(), namespace));
    }
  }

  private static final Pattern REPORTED_HOST = Pattern.compile("^External host \"([^\"]+)\"");

  /** The host a finding of this rule is about, read back from its message; null for other messages. */
  public static String reportedHost(String message) {
    Matcher m = REPORTED_HOST.matcher(message);
    return m.find() ? m.group(1) : null;
  }

  /** True for a host outside the cluster: see the rule description for what is local. */
  public static boolean isExternal(MeshView mesh, String host, String namespace) {
    String clusterDomain = mesh.settings().clusterDomain();
    if (host.isEmpty() || Hosts.isWildcard(host) || host.indexOf('.') < 0 || host.equals("localhost")
        || host.endsWith(".localhost") || host.endsWith(".svc") || host.equals(clusterDomain)
        || host.endsWith("." + clusterDomain) || ExternalHosts.normalize(host) == null) {
      return false;
    }
    if (mesh.service(host, namespace) != null) {
      return false;
    }
    String[] labels = host.split("\\.");
    return !(labels.length == 2 && mesh.namespace(labels[1]) != null);
  }

  /** A ServiceEntry that declares the host, ready to apply. */
  static String serviceEntry(String host, int port, String protocol, String namespace) {
    String name = host.replace('.', '-');
    if (name.length() > 63) {
      name = name.substring(0, 63);
    }
    name = name.replaceAll("^-+|-+$", "");
    String portName = protocol.toLowerCase(Locale.ROOT) + (port == 443 || port == 80 ? "" : "-" + port);
    return "apiVersion: networking.istio.io/v1\n"
        + "kind: ServiceEntry\n"
        + "metadata:\n"
        + "  name: " + name + "\n"
        + "  namespace: " + namespace + "\n"
        + "spec:\n"
        + "  hosts:\n"
        + "  - " + host + "\n"
        + "  ports:\n"
        + "  - number: " + port + "\n"
        + "    name: " + portName + "\n"
        + "    protocol: " + protocol + "\n"
        + "  resolution: DNS\n"
        + "  location: MESH_EXTERNAL\n";
  }

  // --- tree helpers ----------------------------------------------------------------------------------

  private static Resource configMap(MeshView mesh, String namespace, JsonNode ref) {
    String name = ref.path("name").asText("");
    return name.isEmpty() ? null : mesh.get(Kinds.CONFIG_MAP, namespace, name);
  }

  private static List<String> fields(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

}
