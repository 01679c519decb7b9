package io.meshlint.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.model.KindInfo;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.SchemaChecker;
import io.meshlint.core.model.SchemaProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns files, directories and standard input into resources. Files are parsed in parallel; the
 * result keeps the order of the inputs so that reports are stable.
 */
public final class Loader {
  public static final String CODE_SYNTAX = "MSH0001";
  public static final String CODE_NOT_AN_OBJECT = "MSH0002";
  public static final String CODE_LIMIT = "MSH0003";
  public static final String STDIN = "-";
  /**
   * API groups of tools' own configuration files, by what they are: they carry apiVersion and kind
   * but are read by the tool, never sent to the API server (so they have no name, for one).
   */
  private static final Map<String, String> TOOL_CONFIGURATION_GROUPS = Map.of(
      "kustomize.config.k8s.io", "kustomize configuration",
      "install.istio.io", "istioctl install configuration (IstioOperator)",
      "kind.x-k8s.io", "kind cluster configuration",
      "kubeadm.k8s.io", "kubeadm configuration",
      "k3d.io", "k3d configuration");

  private final String defaultNamespace;
  private final YamlReader reader;

  public Loader(String defaultNamespace, YamlReader.Limits limits) {
    this.defaultNamespace = defaultNamespace;
    this.reader = new YamlReader(limits);
  }

  /**
   * @param skipped the files left out because they hold no Kubernetes manifest (CI workflows, Helm
   *     values and templates, kustomization files...); they are in {@code files} too
   */
  public record Result(List<SourceFile> files, List<Resource> resources, List<InputProblem> problems,
      List<Skipped> skipped) {
    public Result(List<SourceFile> files, List<Resource> resources, List<InputProblem> problems) {
      this(files, resources, problems, List.of());
    }

    public static Result merge(Result a, Result b) {
      return concat(List.of(a, b));
    }

    /** The results one after the other, in order. */
    public static Result concat(List<Result> parts) {
      List<SourceFile> files = new ArrayList<>();
      List<Resource> resources = new ArrayList<>();
      List<InputProblem> problems = new ArrayList<>();
      List<Skipped> skipped = new ArrayList<>();
      for (Result r : parts) {
        files.addAll(r.files);
        resources.addAll(r.resources);
        problems.addAll(r.problems);
        skipped.addAll(r.skipped);
      }
      return new Result(files, resources, problems, skipped);
    }
  }

  /** A file that is YAML or JSON but no Kubernetes manifest, and why it is taken for one. */
  public record Skipped(SourceFile file, String reason) {}

  private record Document(int index, Position start, JsonNode root, String helmSource) {}

  /** Lists the manifest files under each path; a path that does not exist is an InputException. */
  public static List<Path> expand(Collection<String> paths) {
    Map<Path, Path> seen = new LinkedHashMap<>();
    for (String p : paths) {
      if (p.equals(STDIN)) {
        continue;
      }
      Path path = Path.of(p);
      if (Files.isDirectory(path)) {
        // The walk's own attributes answer for all but links, which are followed to what they name.
        List<Path> found;
        Set<Path> links = new HashSet<>();
        // A walk does not enter a starting point that is a link to a directory: walk what it names.
        Path walkRoot = Files.isSymbolicLink(path) ? identity(path) : path;
        try (Stream<Path> walk = Files.find(walkRoot, Integer.MAX_VALUE, (f, attributes) -> {
          boolean manifest = (attributes.isRegularFile() || attributes.isSymbolicLink()) && isManifest(f)
              && (attributes.isRegularFile() || Files.isRegularFile(f));
          if (manifest && attributes.isSymbolicLink()) {
            links.add(f);
          }
          return manifest;
        })) {
          found = walk.sorted().toList();
        } catch (IOException e) {
          throw new InputException("cannot read directory " + p + ": " + e.getMessage());
        }
        // The walk follows no link, so a file that is none is where it was found under the
        // directory's real path: only links cost a look-up.
        Path root = identity(path);
        List<Path> identities = found.parallelStream()
            .map(f -> links.contains(f) ? identity(f) : root.resolve(walkRoot.relativize(f)))
            .toList();
        for (int i = 0; i < found.size(); i++) {
          Path named = walkRoot == path ? found.get(i) : path.resolve(walkRoot.relativize(found.get(i)));
          seen.putIfAbsent(identities.get(i), named);
        }
      } else if (Files.isRegularFile(path)) {
        seen.putIfAbsent(identity(path), path);
      } else {
        throw new InputException("no such file or directory: " + p);
      }
    }
    return new ArrayList<>(seen.values());
  }

  /**
   * The file a path really is: a Kubernetes ConfigMap volume shows each key twice, as a link and
   * in a hidden timestamped directory, and each must be read once.
   */
  private static Path identity(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  /** The project config, read from the directory it sits in; a directory's manifests leave it out. */
  public static final String PROJECT_CONFIG = ".meshlint.yaml";

  /** A file that a directory's walk reads: a YAML or JSON file other than the project config. */
  public static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) && !name.equals(PROJECT_CONFIG);
  }

  public Result loadFiles(List<Path> files, boolean reported) {
    List<SourceFile> sources = files.stream().map(f -> SourceFile.ofPath(f, display(f))).toList();
    return load(sources, reported);
  }

  public static SourceFile readStdin(InputStream in) {
    try {
      return SourceFile.ofText("<stdin>", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Result load(List<SourceFile> sources, boolean reported) {
    Result all = Result.concat(sources.parallelStream().map(s -> loadOne(s, reported)).toList());
    return new Result(sources, all.resources(), all.problems(), all.skipped());
  }

  /**
   * The resources of one document that arrives already parsed (an admission request's object, as
   * JSON): checked as a document of {@code source} would be, without reading its text.
   */
  public Result loadTree(SourceFile source, JsonNode root, boolean reported) {
    List<Resource> resources = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    toResources(source, 0, Position.START, root, null, reported, resources, problems);
    return new Result(List.of(source), resources, problems);
  }

  private static String display(Path file) {
    return file.normalize().toString().replace('\\', '/');
  }

  /**
   * The resources of one file. A file none of whose documents looks like a Kubernetes object (no
   * document has apiVersion or kind) is skipped rather than reported: repositories keep CI
   * workflows, Helm values and meshlint's own config beside their manifests. In a file of
   * Kubernetes objects, a document that is not one is a finding.
   */
  Result loadOne(SourceFile source, boolean reported) {
    String chartPart = helmChartPart(source.path());
    if (chartPart != null) {
      return new Result(List.of(source), List.of(), List.of(), List.of(new Skipped(source, chartPart)));
    }
    List<Resource> resources = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    String text;
    try {
      text = source.readText();
    } catch (UncheckedIOException e) {
      problems.add(new InputProblem(CODE_SYNTAX, source, Position.START, "cannot read file: " + e.getMessage(), reported));
      return new Result(List.of(source), resources, problems);
    }
    List<Document> documents = new ArrayList<>();
    reader.read(text, new YamlReader.Sink() {
      @Override
      public void document(int index, Position start, JsonNode root, String helmSource) {
        if (root != null && !root.isNull()) {
          documents.add(new Document(index, start, root, helmSource));
        }
      }

      @Override
      public void problem(YamlReader.Problem problem) {
        String code = problem.kind() == YamlReader.ProblemKind.LIMIT ? CODE_LIMIT : CODE_SYNTAX;
        problems.add(new InputProblem(code, source, problem.position(), problem.message(), reported));
      }
    });
    if (isJsonWithComments(source, text, problems)) {
      return new Result(List.of(source), List.of(), List.of(),
          List.of(new Skipped(source, "not valid JSON, and no apiVersion in it (JSON with comments, such as editor settings)")));
    }
    if (documents.stream().noneMatch(d -> looksLikeObject(d.root))) {
      List<Skipped> skipped = documents.isEmpty() || !problems.isEmpty() ? List.of()
          : List.of(new Skipped(source, documents.stream().allMatch(d -> toolConfiguration(d.root) != null)
              ? documents.stream().map(d -> toolConfiguration(d.root)).distinct().collect(Collectors.joining(", "))
              : "no document has apiVersion or kind"));
      return new Result(List.of(source), resources, problems, skipped);
    }
    for (Document d : documents) {
      if (toolConfiguration(d.root) == null) {
        toResources(source, d.index, d.start, d.root, d.helmSource, reported, resources, problems);
      }
    }
    return new Result(List.of(source), resources, problems);
  }

  /**
   * A .json file that does not parse and never names an apiVersion: the JSON with comments or
   * trailing commas that editors and tools keep in repositories (devcontainer.json, .vscode,
   * tsconfig.json), not a broken manifest. A broken YAML file stays a finding whatever it holds.
   */
  private static boolean isJsonWithComments(SourceFile source, String text, List<InputProblem> problems) {
    return source.displayName().endsWith(".json") && !problems.isEmpty()
        && problems.stream().allMatch(p -> p.code().equals(CODE_SYNTAX)) && !text.contains("apiVersion");
  }

  /**
   * Helm's own files are Go templates and chart metadata, not manifests (the output of {@code helm
   * template} is): {@code Chart.yaml} and everything under the {@code templates/} directory beside one.
   * So are the Jinja templates of an Ansible role: its {@code templates/} beside its {@code tasks/}.
   */
  static String helmChartPart(Path file) {
    if (file == null) {
      return null;
    }
    if (file.getFileName().toString().equals("Chart.yaml")) {
      return "Helm chart metadata";
    }
    for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
      if (dir.getFileName() != null && dir.getFileName().toString().equals("templates")) {
        if (Files.isRegularFile(dir.resolveSibling("Chart.yaml"))) {
          return "Helm chart template (lint the output of helm template)";
        }
        if (Files.isDirectory(dir.resolveSibling("tasks"))) {
          return "Ansible role template (lint what the role renders)";
        }
      }
    }
    return null;
  }

  /** A mapping with apiVersion or kind, or a list of such: meant as a Kubernetes object, broken or not. */
  private static boolean looksLikeObject(JsonNode node) {
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (looksLikeObject(item)) {
          return true;
        }
      }
      return false;
    }
    return node.isObject() && (node.has("apiVersion") || node.has("kind")) && toolConfiguration(node) == null;
  }

  /** What a tool's own configuration document is (kustomize's Kustomization, say); null for anything else. */
  private static String toolConfiguration(JsonNode node) {
    String apiVersion = text(node, "apiVersion");
    return apiVersion == null ? null : TOOL_CONFIGURATION_GROUPS.get(Kinds.groupOf(apiVersion));
  }

  private void toResources(SourceFile source, int index, Position start, JsonNode root, String helmSource,
      boolean reported, List<Resource> resources, List<InputProblem> problems) {
    if (!root.isObject()) {
      problems.add(new InputProblem(CODE_NOT_AN_OBJECT, source, start,
          "document is not a Kubernetes object: expected a mapping with apiVersion and kind", reported));
      return;
    }
    String apiVersion = text(root, "apiVersion");
    String kind = text(root, "kind");
    if (apiVersion == null || kind == null) {
      String missing = apiVersion == null && kind == null ? "apiVersion and kind" : apiVersion == null ? "apiVersion" : "kind";
      problems.add(new InputProblem(CODE_NOT_AN_OBJECT, source, start,
          "document is not a Kubernetes object: it has no " + missing, reported));
      return;
    }
    JsonNode items = root.get("items");
    if (kind.endsWith("List") && items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        FieldPath base = FieldPath.of("items", i);
        if (item.isObject() && text(item, "apiVersion") != null && text(item, "kind") != null) {
          resources.add(resource(source, index, base, helmSource, (ObjectNode) item, reported));
        } else {
          Position at = new Locator(source, reader).locate(index, base);
          problems.add(new InputProblem(CODE_NOT_AN_OBJECT, source, at,
              "item " + i + " of " + kind + " is not a Kubernetes object with apiVersion and kind", reported));
        }
      }
      return;
    }
    resources.add(resource(source, index, FieldPath.ROOT, helmSource, (ObjectNode) root, reported));
  }

  private Resource resource(SourceFile source, int index, FieldPath base, String helmSource, ObjectNode tree,
      boolean reported) {
    String apiVersion = text(tree, "apiVersion");
    String kind = text(tree, "kind");
    String group = Kinds.groupOf(apiVersion);
    JsonNode metadata = tree.path("metadata");
    String name = metadata.path("name").isTextual() ? metadata.path("name").asText() : null;
    String namespace = null;
    if (Kinds.isNamespaced(group, kind)) {
      JsonNode ns = metadata.path("namespace");
      namespace = ns.isTextual() && !ns.asText().isEmpty() ? ns.asText() : defaultNamespace;
    }
    List<SchemaProblem> problems = new ArrayList<>();
    if (name == null && metadata.path("generateName").isMissingNode()) {
      problems.add(new SchemaProblem(FieldPath.of("metadata"), "metadata.name is required"));
    }
    String modelClass = null;
    KindInfo info = Kinds.find(group, kind);
    String version = Kinds.versionOf(apiVersion);
    if (info != null && info.classByVersion().containsKey(version)) {
      modelClass = info.classByVersion().get(version);
      problems.addAll(SchemaChecker.check(tree, modelClass));
    } else if (info != null) {
      problems.add(new SchemaProblem(FieldPath.of("apiVersion"), kind + " is not served at " + apiVersion
          + "; served versions: " + String.join(", ", info.classByVersion().keySet())));
    } else if (Kinds.isIstioGroup(group)) {
      problems.add(new SchemaProblem(FieldPath.of("kind"), "unknown kind " + kind + " in " + group
          + "; known kinds: " + String.join(", ", Kinds.istioKinds(group))));
    }
    return new Resource(source, index, base, helmSource, apiVersion, kind, name == null ? "" : name, namespace, tree,
        modelClass, List.copyOf(problems), reported);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
  }
}
