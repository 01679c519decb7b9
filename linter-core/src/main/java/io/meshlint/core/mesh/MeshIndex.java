package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mesh as the inputs describe it, indexed once per run so that every cross-resource question a
 * rule asks is a map lookup: resources by kind and name, hosts by name, VirtualServices by the
 * Gateway they bind, workloads by label. Building it is linear in the number of resources.
 * Rules read it through a {@link MeshView} limited to the kinds they declare.
 */
public final class MeshIndex {
  final MeshConfig meshConfig;
  final Settings settings;
  final List<Resource> all;
  final Map<String, List<Resource>> byKind = new HashMap<>();
  final Map<ResourceKey, Resource> byKey = new HashMap<>();
  final Map<String, Resource> serviceByFqdn = new HashMap<>();
  final Map<String, List<Resource>> serviceEntriesByHost = new HashMap<>();
  /** ServiceEntries with wildcard hosts, keyed by the suffix after the {@code *} ("" for {@code *}). */
  final Map<String, List<Resource>> serviceEntriesByWildcard = new HashMap<>();
  final Map<String, List<Resource>> virtualServicesByGateway = new HashMap<>();
  /** Gateways by their selector, written as {@code k1=v1,k2=v2} in key order. */
  final Map<String, List<Resource>> gatewaysBySelector = new HashMap<>();
  final List<Workload> workloads = new ArrayList<>();
  final Map<String, List<Workload>> workloadsByNamespace = new HashMap<>();
  final Map<String, List<Workload>> workloadsByLabel = new HashMap<>();
  /** Services with a selector, keyed by {@code namespace/k=v} for the first label of the selector in key order. */
  final Map<String, List<Resource>> servicesBySelectorLabel = new HashMap<>();
  /** VirtualServices bound to the mesh gateway by the hosts they define, short names made FQDNs as Istio does. */
  final Map<String, List<Resource>> meshVirtualServicesByHost = new HashMap<>();
  /** VirtualServices that route one of their own hosts (as written) to a subset, by that host. */
  final Map<String, List<Resource>> subsetVirtualServicesByHost = new HashMap<>();

  public MeshIndex(List<Resource> resources, MeshConfig meshConfig, Settings settings) {
    this.all = resources;
    this.meshConfig = meshConfig;
    this.settings = settings;
    for (Resource r : resources) {
      String kind = r.kindKey();
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
      byKey.putIfAbsent(new ResourceKey(kind, r.namespace(), r.name()), r);
      switch (kind) {
        case Kinds.SERVICE -> indexService(r);
        case Kinds.SERVICE_ENTRY -> indexServiceEntry(r);
        case Kinds.VIRTUAL_SERVICE -> indexVirtualService(r);
        case Kinds.GATEWAY -> gatewaysBySelector.computeIfAbsent(
            selectorKey(r.tree().path("spec").path("selector")), k -> new ArrayList<>()).add(r);
        default -> addWorkload(r);
      }
    }
  }

  public MeshConfig meshConfig() {
    return meshConfig;
  }

  public Settings settings() {
    return settings;
  }

  public List<Resource> all() {
    return all;
  }

  /** A view for a rule that may read only {@code kinds}. */
  public MeshView view(Set<String> kinds) {
    return new MeshView(this, kinds);
  }

  /** {@code k1=v1,k2=v2} in key order, as Istio prints selectors. */
  public static String selectorKey(JsonNode selector) {
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
    selector.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    StringBuilder sb = new StringBuilder();
    sorted.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  private void indexServiceEntry(Resource r) {
    for (JsonNode host : r.tree().path("spec").path("hosts")) {
      String h = host.asText();
      if (Hosts.isWildcard(h)) {
        serviceEntriesByWildcard.computeIfAbsent(h.substring(1), k -> new ArrayList<>()).add(r);
      } else {
        serviceEntriesByHost.computeIfAbsent(h, k -> new ArrayList<>()).add(r);
      }
    }
  }

  private void indexService(Resource r) {
    serviceByFqdn.putIfAbsent(r.name() + "." + r.namespace() + ".svc." + settings.clusterDomain(), r);
    JsonNode selector = r.tree().path("spec").path("selector");
    if (selector.isObject() && !selector.isEmpty()) {
      String first = selectorKey(selector).split(",", 2)[0];
      servicesBySelectorLabel.computeIfAbsent(r.namespace() + "/" + first, k -> new ArrayList<>()).add(r);
    }
  }

  private void indexVirtualService(Resource r) {
    JsonNode gateways = r.tree().path("spec").path("gateways");
    boolean mesh = !gateways.isArray() || gateways.isEmpty();
    if (mesh) {
      virtualServicesByGateway.computeIfAbsent(GatewayRef.MESH, k -> new ArrayList<>()).add(r);
    } else {
      for (JsonNode g : gateways) {
        GatewayRef ref = GatewayRef.parse(g.asText(), r.namespace());
        virtualServicesByGateway.computeIfAbsent(ref.key(), k -> new ArrayList<>()).add(r);
        mesh |= ref.isMesh();
      }
    }
    indexSubsetRoutes(r);
    if (mesh) {
      for (JsonNode host : r.tree().path("spec").path("hosts")) {
        String fqdn = Hosts.toFqdn(host.asText(), r.namespace(), settings.clusterDomain());
        List<Resource> list = meshVirtualServicesByHost.computeIfAbsent(fqdn, k -> new ArrayList<>());
        if (!list.contains(r)) {
          list.add(r);
        }
      }
    }
  }

  private void indexSubsetRoutes(Resource r) {
    Set<String> hosts = new java.util.HashSet<>();
    r.tree().path("spec").path("hosts").forEach(h -> hosts.add(h.asText()));
    for (JsonNode http : r.tree().path("spec").path("http")) {
      for (JsonNode route : http.path("route")) {
        JsonNode destination = route.path("destination");
        String host = destination.path("host").asText();
        if (!destination.path("subset").asText().isEmpty() && hosts.contains(host)) {
          List<Resource> list = subsetVirtualServicesByHost.computeIfAbsent(host, k -> new ArrayList<>());
          if (!list.contains(r)) {
            list.add(r);
          }
        }
      }
    }
  }

  private void addWorkload(Resource r) {
    HasMetadata typed = r.typed();
    Workload w = null;
    if (typed instanceof Pod pod && pod.getSpec() != null) {
      w = new Workload(r, r.labels(), r.annotations(), pod.getSpec(), FieldPath.of("spec"));
    } else if (typed instanceof Deployment d && d.getSpec() != null) {
      w = fromTemplate(r, d.getSpec().getTemplate(), FieldPath.of("spec", "template"));
    } else if (typed instanceof StatefulSet s && s.getSpec() != null) {
      w = fromTemplate(r, s.getSpec().getTemplate(), FieldPath.of("spec", "template"));
    } else if (typed instanceof DaemonSet s && s.getSpec() != null) {
      w = fromTemplate(r, s.getSpec().getTemplate(), FieldPath.of("spec", "template"));
    } else if (typed instanceof ReplicaSet s && s.getSpec() != null) {
      w = fromTemplate(r, s.getSpec().getTemplate(), FieldPath.of("spec", "template"));
    } else if (typed instanceof Job j && j.getSpec() != null) {
      w = fromTemplate(r, j.getSpec().getTemplate(), FieldPath.of("spec", "template"));
    } else if (typed instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      w = fromTemplate(r, c.getSpec().getJobTemplate().getSpec().getTemplate(),
          FieldPath.of("spec", "jobTemplate", "spec", "template"));
    }
    if (w == null) {
      return;
    }
    workloads.add(w);
    workloadsByNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
    for (Map.Entry<String, String> label : w.labels().entrySet()) {
      workloadsByLabel.computeIfAbsent(label.getKey() + "=" + label.getValue(), k -> new ArrayList<>()).add(w);
    }
  }

  private static Workload fromTemplate(Resource owner, PodTemplateSpec template, FieldPath templatePath) {
    if (template == null) {
      return null;
    }
    ObjectMeta meta = template.getMetadata();
    Map<String, String> labels = meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    Map<String, String> annotations = meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    return new Workload(owner, labels, annotations, template.getSpec(), templatePath.key("spec"));
  }
}
