package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.HashMap;
import java.util.Map;

/**
 * Pods as the mesh will run them: a Pod, or the pod template of a controller (see {@link #of}).
 *
 * @param owner the Pod or controller
 * @param labels the pod's labels (the template's, for controllers)
 * @param annotations the pod's annotations
 * @param podSpec the pod spec's tree
 * @param podSpecPath where the pod spec sits inside the owner, for findings
 */
public record Workload(Resource owner, Map<String, String> labels, Map<String, String> annotations, JsonNode podSpec,
    FieldPath podSpecPath) {

  private static final FieldPath TEMPLATE = FieldPath.of("spec", "template");
  private static final FieldPath CRON_JOB_TEMPLATE = FieldPath.of("spec", "jobTemplate", "spec", "template");
  private static final String KNATIVE_SERVING = "serving.knative.dev";

  /**
   * The pods an object runs, or null when it runs none: a Pod; a CronJob's job template; a Knative
   * Service's template (with the labels Knative adds to its pods); and the template of any other
   * object with a {@code spec.template} holding {@code spec.containers} (Deployments, StatefulSets,
   * DaemonSets, ReplicaSets and Jobs of every API version, Argo Rollouts, OpenKruise CloneSets and
   * Advanced StatefulSets, OpenShift DeploymentConfigs and controllers like them). A template of a
   * controller meshlint does not know must carry labels as well, which is what pods are selected by.
   */
  public static Workload of(Resource r) {
    if (r.kind().equals(Kinds.POD) && r.group().isEmpty()) {
      JsonNode spec = r.tree().path("spec");
      // A Pod without spec (as exported or abbreviated) still runs with its labels, as Istio counts it.
      return spec.isObject() || spec.isMissingNode()
          ? new Workload(r, r.labels(), r.annotations(), spec, FieldPath.of("spec")) : null;
    }
    boolean cronJob = r.kind().equals(Kinds.CRON_JOB) && r.group().equals("batch");
    FieldPath templatePath = cronJob ? CRON_JOB_TEMPLATE : TEMPLATE;
    JsonNode template = templatePath.in(r.tree());
    JsonNode metadata = template.path("metadata");
    if (!template.path("spec").path("containers").isArray()) {
      return null;
    }
    Map<String, String> labels = Resource.stringMap(metadata.path("labels"));
    if (r.group().equals(KNATIVE_SERVING) && r.kind().equals(Kinds.SERVICE)) {
      Map<String, String> withKnative = new HashMap<>(labels);
      withKnative.put(KNATIVE_SERVING + "/service", r.name());
      withKnative.put(KNATIVE_SERVING + "/configuration", r.name());
      labels = Map.copyOf(withKnative);
    } else if (labels.isEmpty() && !cronJob && !Kinds.WORKLOAD_CONTROLLERS.contains(r.kindKey())) {
      return null;
    }
    return new Workload(r, labels, Resource.stringMap(metadata.path("annotations")), template.path("spec"),
        templatePath.key("spec"));
  }

  public String namespace() {
    return owner.namespace();
  }

  public boolean isPod() {
    return owner.kind().equals("Pod");
  }

  /** True when every label of the selector is on this workload; an empty selector matches all. */
  public boolean matches(Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when the pods run an Istio proxy: an {@code istio-proxy} container (gateways, pods read
   * back from a cluster), else what injection decides: the pod's {@code sidecar.istio.io/inject}
   * label or annotation, else its namespace's {@code istio-injection=enabled} or {@code istio.io/rev}
   * label. Without the Namespace among the inputs ({@code namespace} null) injection is assumed, as
   * {@code istioctl analyze} assumes it on files.
   */
  public boolean hasProxy(Resource namespace) {
    for (JsonNode container : podSpec.path("containers")) {
      if ("istio-proxy".equals(container.path("name").asText())) {
        return true;
      }
    }
    String inject = labels.getOrDefault("sidecar.istio.io/inject", annotations.get("sidecar.istio.io/inject"));
    if (inject != null) {
      return inject.equals("true");
    }
    if (namespace == null) {
      return true;
    }
    String legacy = namespace.labels().get("istio-injection");
    return legacy != null ? legacy.equals("enabled") : !namespace.labels().getOrDefault("istio.io/rev", "").isEmpty();
  }

  /** The service account the pods run as: {@code serviceAccountName}, the deprecated {@code serviceAccount}, else {@code default}. */
  public String serviceAccount() {
    String name = podSpec.path("serviceAccountName").asText("");
    if (name.isEmpty()) {
      name = podSpec.path("serviceAccount").asText("");
    }
    return name.isEmpty() ? "default" : name;
  }
}
