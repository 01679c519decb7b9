package io.meshlint.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.meshlint.core.source.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the chart with the Helm library that helm-java bundles, and finds objects in the result. */
final class Chart {
  static final Path ROOT = Path.of(System.getProperty("meshlint.root", "..")).toAbsolutePath().normalize();
  static final Path CHART = ROOT.resolve("deploy/helm/meshlint");
  static final Path MANIFESTS = ROOT.resolve("deploy/manifests/meshlint.yaml");
  static final String RELEASE = "meshlint";
  static final String NAMESPACE = "meshlint";
  /** helm-java renders for Kubernetes 1.20 unless told; the chart needs 1.25 or later (AKS supports 1.30+). */
  static final String KUBE_VERSION = "1.31.0";

  /** One rendering: its text and its objects. */
  record Rendered(String text, List<JsonNode> objects) {
    List<JsonNode> all(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode one(String kind) {
      List<JsonNode> found = all(kind);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + kind + ", found " + found.size() + ": " + names(found));
      }
      return found.get(0);
    }

    JsonNode named(String kind, String name) {
      return all(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + names(all(kind))));
    }

    List<String> kinds() {
      return objects.stream().map(o -> o.path("kind").asText()).distinct().sorted().toList();
    }

    private static String names(List<JsonNode> objects) {
      return objects.stream().map(o -> o.path("metadata").path("name").asText()).collect(Collectors.joining(", "));
    }
  }

  static Rendered render(String... sets) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      values.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return render(values);
  }

  static Rendered render(Map<String, String> values) {
    TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    values.forEach(template::set);
    return parse(template.call());
  }

  static Rendered parse(String text) {
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(text);
    if (!parsed.problems().isEmpty()) {
      throw new AssertionError("the rendering is not valid YAML: " + parsed.problems() + "\n" + text);
    }
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode d : parsed.documents()) {
      if (d != null && d.isObject()) {
        objects.add(d);
      }
    }
    return new Rendered(text, objects);
  }

  private Chart() {}
}
