package io.meshlint.core.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshlint.core.model.Resource;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final String TEMPLATE = """
        template:
          metadata: {labels: {app: %s}}
          spec:
            containers: [{name: app, image: example/app:1}]
      """;

  private static String controller(String apiVersion, String kind, String app) {
    return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + app + ", namespace: shop}\nspec:\n"
        + TEMPLATE.formatted(app);
  }

  private static List<Resource> load(String yaml) {
    Loader loader = new Loader("default", YamlReader.Limits.DEFAULT);
    return loader.load(List.of(SourceFile.ofText("w.yaml", yaml)), true).resources();
  }

  /** Each resource's name with its workload's labels, or "none". */
  private static Map<String, String> labelsByName(String yaml) {
    Map<String, String> out = new TreeMap<>();
    for (Resource r : load(yaml)) {
      Workload w = Workload.of(r);
      out.put(r.name(), w == null ? "none" : new TreeMap<>(w.labels()).toString());
    }
    return out;
  }

  @Test
  void countsThePodTemplatesOfOtherControllers() {
    String yaml = String.join("---\n",
        controller("argoproj.io/v1alpha1", "Rollout", "rollout"),
        controller("apps.kruise.io/v1alpha1", "CloneSet", "cloneset"),
        controller("apps.kruise.io/v1beta1", "StatefulSet", "advanced"),
        controller("apps.openshift.io/v1", "DeploymentConfig", "dc"),
        controller("extensions/v1beta1", "Deployment", "legacy"),
        controller("apps/v1beta2", "DaemonSet", "beta"));
    Map<String, String> labels = labelsByName(yaml);
    labels.forEach((name, l) -> assertEquals("{app=" + name + "}", l, name));
    assertEquals(6, labels.size());
  }

  @Test
  void givesKnativeServicesTheLabelsKnativePutsOnTheirPods() {
    String yaml = """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: hello, namespace: shop}
        spec:
          template:
            spec:
              containers: [{image: example/hello:1}]
        """;
    assertEquals(Map.of("hello", "{serving.knative.dev/configuration=hello, serving.knative.dev/service=hello}"),
        labelsByName(yaml));
  }

  @Test
  void leavesOutObjectsWithoutAPodTemplate() {
    String yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: svc, namespace: shop}
        spec:
          selector: {app: svc}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: unlabelled, namespace: shop}
        spec:
          template:
            spec:
              containers: [{name: app, image: example/app:1}]
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: no-containers, namespace: shop}
        spec:
          template:
            metadata: {labels: {app: x}}
        """;
    assertEquals(Map.of("svc", "none", "unlabelled", "none", "no-containers", "none"), labelsByName(yaml));
  }

  @Test
  void takesACronJobsJobTemplateAndAPodsOwnLabels() {
    String yaml = """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report, namespace: shop}
        spec:
          schedule: "0 * * * *"
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: report}}
                spec:
                  containers: [{name: report, image: example/report:1}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: pod, namespace: shop, labels: {app: pod}}
        spec:
          containers: [{name: app, image: example/app:1}]
        """;
    assertEquals(Map.of("report", "{app=report}", "pod", "{app=pod}"), labelsByName(yaml));
  }
}
