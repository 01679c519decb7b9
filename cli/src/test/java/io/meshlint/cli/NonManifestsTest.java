package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `meshlint lint .` at a repository root: YAML that is no Kubernetes manifest at all is skipped,
 * counted and listed with --verbose; a document meant as a Kubernetes object stays a finding.
 */
class NonManifestsTest {
  /** A repository with one manifest and the YAML that usually sits beside manifests. */
  static Path repository(Path root) throws IOException {
    write(root, "manifests/app.yaml", InputTest.GATEWAY_AND_SERVICE + "---\n" + InputTest.VS);
    write(root, ".github/workflows/ci.yml", """
        name: ci
        on: [push, pull_request]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
            - uses: actions/checkout@v4
            - run: mvn -B verify
        """);
    write(root, ".meshlint.yaml", "rules:\n  IST0102: off\nignore: [\"vendor/**\"]\n");
    write(root, "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
    write(root, "chart/values.yaml", "replicaCount: 2\nimage:\n  repository: shop\n  tag: \"1.0\"\n");
    write(root, "chart/templates/deployment.yaml", """
        {{- if .Values.enabled }}
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "shop.fullname" . }}
        spec:
          replicas: {{ .Values.replicaCount }}
        {{- end }}
        """);
    write(root, "kustomize/base/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [../../manifests/app.yaml]
        """);
    write(root, "kustomize/overlay/kustomization.yml", "resources: [../base]\nnamePrefix: prod-\n");
    write(root, "ansible/roles/mesh/tasks/main.yml", "- name: apply\n  k8s: {definition: \"{{ lookup('template', 'vs.yml') }}\"}\n");
    write(root, "ansible/roles/mesh/templates/vs.yml", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: "{{ item.name }}"
        spec:
          hosts: [{{ item.host }}]
        {% if item.gateway %}
          gateways: [{{ item.gateway }}]
        {% endif %}
        """);
    write(root, "install/istio.yaml", """
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata:
          namespace: istio-system
        spec:
          profile: demo
        """);
    write(root, "install/kind.yaml", """
        kind: Cluster
        apiVersion: kind.x-k8s.io/v1alpha4
        nodes:
        - role: control-plane
        """);
    write(root, "package.json", "{\"name\": \"site\", \"private\": true}\n");
    write(root, ".devcontainer/devcontainer.json", """
        {
          "name": "shop",
          // the editor's own settings: JSON with comments
          "settings": {"editor.formatOnSave": true},
        }
        """);
    return root;
  }

  /** The project config (.meshlint.yaml) is neither linted nor skipped: a directory's walk leaves it out. */
  static final List<String> SKIPPED = List.of(".devcontainer/devcontainer.json", ".github/workflows/ci.yml",
      "ansible/roles/mesh/tasks/main.yml", "ansible/roles/mesh/templates/vs.yml", "chart/Chart.yaml",
      "chart/templates/deployment.yaml", "chart/values.yaml", "install/istio.yaml", "install/kind.yaml",
      "kustomize/base/kustomization.yaml",
      "kustomize/overlay/kustomization.yml", "package.json");

  private static void write(Path root, String file, String text) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  @Test
  void aCleanRepositoryLintsCleanWithTheOtherYamlSkippedAndCounted(@TempDir Path dir) throws IOException {
    Path root = repository(dir);
    Cli.Result text = Cli.run("lint", root.toString()).assertNoStackTrace();
    assertEquals(0, text.status(), text.out());
    assertEquals(List.of("\u2714 No validation issues found when analyzing 1 file (3 resources); skipped "
        + SKIPPED.size() + " files that hold no Kubernetes manifest (--verbose lists them)"), text.lines());

    Cli.Result json = Cli.run("lint", "--output", "json", root.toString());
    assertEquals(0, json.status(), json.out());
    JsonNode summary = InputTest.JSON.readTree(json.out()).get("summary");
    assertEquals(1, summary.get("files").asInt(), summary.toString());
    assertEquals(SKIPPED.size(), summary.get("skipped").asInt(), summary.toString());
  }

  @Test
  void verboseListsEachSkippedFileWithTheReason(@TempDir Path dir) throws IOException {
    Path root = repository(dir);
    Cli.Result r = Cli.run("lint", "--verbose", root.toString());
    assertEquals(0, r.status(), r.out());
    List<String> lines = r.lines();
    assertTrue(lines.get(0).endsWith("; skipped " + SKIPPED.size() + " files that hold no Kubernetes manifest:"), r.out());
    List<String> listed = lines.subList(1, lines.size()).stream()
        .map(l -> l.strip().substring(root.toString().length() + 1, l.strip().indexOf(": "))).sorted().toList();
    assertEquals(SKIPPED, listed, r.out());
    assertTrue(r.out().contains("chart/templates/deployment.yaml: Helm chart template (lint the output of helm template)"), r.out());
    assertTrue(r.out().contains("chart/Chart.yaml: Helm chart metadata"), r.out());
    assertTrue(r.out().contains("ansible/roles/mesh/templates/vs.yml: Ansible role template (lint what the role renders)"),
        r.out());
    assertTrue(r.out().contains("kustomize/base/kustomization.yaml: kustomize configuration"), r.out());
    assertTrue(r.out().contains("install/istio.yaml: istioctl install configuration (IstioOperator)"), r.out());
    assertTrue(r.out().contains("install/kind.yaml: kind cluster configuration"), r.out());
    assertTrue(r.out().contains(".github/workflows/ci.yml: no document has apiVersion or kind"), r.out());
    assertTrue(r.out().contains(".devcontainer/devcontainer.json: not valid JSON, and no apiVersion in it"), r.out());
  }

  @Test
  void skippedFilesAreCountedBesideFindings(@TempDir Path dir) throws IOException {
    Path root = repository(dir);
    write(root, "manifests/typo.yaml", InputTest.VS.replace("shop-vs", "typo-vs").replace("web-gw", "web-gw-typo"));
    Cli.Result r = Cli.run("lint", root.toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.out().contains("Referenced gateway not found: \"web-gw-typo\""), r.out());
    assertEquals("Skipped " + SKIPPED.size() + " files that hold no Kubernetes manifest (--verbose lists them)",
        r.lines().get(r.lines().size() - 1));
  }

  @Test
  void aDocumentWithOnlyApiVersionOrOnlyKindIsAFinding(@TempDir Path dir) throws IOException {
    Path noKind = Files.writeString(dir.resolve("nokind.yaml"), "apiVersion: v1\nmetadata:\n  name: x\n");
    Path noApiVersion = Files.writeString(dir.resolve("noapiversion.yaml"), "kind: Service\nmetadata:\n  name: x\n");
    Cli.Result r = Cli.run("lint", noKind.toString(), noApiVersion.toString()).assertNoStackTrace();
    assertEquals(1, r.status(), r.out());
    assertEquals(List.of(
        "Error [MSH0002] (" + noApiVersion + ":1) document is not a Kubernetes object: it has no apiVersion",
        "Error [MSH0002] (" + noKind + ":1) document is not a Kubernetes object: it has no kind"), r.lines());
  }

  @Test
  void inAFileOfKubernetesObjectsADocumentThatIsNoneIsAFinding(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("mixed.yaml"), InputTest.GATEWAY_AND_SERVICE + "---\nreplicaCount: 2\n");
    Cli.Result r = Cli.run("lint", "--disable", "MSH1001", "--output", "json", file.toString());
    assertEquals(1, r.status(), r.out());
    JsonNode root = InputTest.JSON.readTree(r.out());
    assertEquals(1, root.get("findings").size(), r.out());
    assertEquals("MSH0002", root.at("/findings/0/code").asText(), r.out());
    assertEquals(22, root.at("/findings/0/location/line").asInt(), r.out());
    assertEquals(0, root.at("/summary/skipped").asInt(), r.out());
  }

  @Test
  void aBrokenManifestIsStillAFindingAndTheBrokenYamlOfOtherFilesToo(@TempDir Path dir) throws IOException {
    Path manifest = Files.writeString(dir.resolve("vs.yaml"), InputTest.VS.replace("hosts: [\"shop.example.com\"]", "hosts: 7"));
    Path workflow = Files.writeString(dir.resolve("ci.yml"), "name: ci\non: [push\n");
    Cli.Result r = Cli.run("lint", manifest.toString(), workflow.toString()).assertNoStackTrace();
    assertEquals(1, r.status(), r.out());
    assertTrue(r.out().contains("[IST0106] (VirtualService shop/shop-vs " + manifest + ":7)"), r.out());
    assertTrue(r.out().contains("[MSH0001] (" + workflow + ":"), r.out());
    assertFalse(r.out().contains("skipped"), r.out());
  }

  @Test
  void aBrokenJsonManifestIsStillAFinding(@TempDir Path dir) throws IOException {
    Path manifest = Files.writeString(dir.resolve("vs.json"),
        "{\"apiVersion\": \"networking.istio.io/v1\", \"kind\": \"VirtualService\",\n \"metadata\": {\"name\": \"shop\"\n");
    Cli.Result r = Cli.run("lint", manifest.toString()).assertNoStackTrace();
    assertEquals(1, r.status(), r.out());
    assertTrue(r.out().contains("[MSH0001] (" + manifest + ":"), r.out());
    assertFalse(r.out().contains("skipped"), r.out());
  }
}
