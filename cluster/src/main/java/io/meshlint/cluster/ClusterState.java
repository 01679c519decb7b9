package io.meshlint.cluster;

import io.meshlint.core.model.Resource;
import io.meshlint.core.source.InputProblem;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable snapshot of the cluster's objects that the decisions read: the resources, and the
 * problems found while reading them (offline mode). A change is never applied to a snapshot; the
 * decider builds the state after the change next to it.
 */
public final class ClusterState {
  private final List<SourceFile> files;
  private final List<Resource> resources;
  private final List<InputProblem> problems;

  public ClusterState(List<SourceFile> files, List<Resource> resources, List<InputProblem> problems) {
    this.files = List.copyOf(files);
    this.resources = List.copyOf(resources);
    this.problems = List.copyOf(problems);
  }

  public static final ClusterState EMPTY = new ClusterState(List.of(), List.of(), List.of());

  /**
   * Offline mode: the manifests under {@code path} (a file or a directory, recursively). The text is
   * read once and kept in memory, so that locating findings never reads the disk again and a file
   * edited while the webhook runs cannot make positions wrong.
   */
  public static ClusterState load(Path path, Loader loader) {
    List<SourceFile> sources = new ArrayList<>();
    for (Path file : Loader.expand(List.of(path.toString()))) {
      try {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        sources.add(SourceFile.ofText(file.normalize().toString().replace('\\', '/'), text));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    Loader.Result result = loader.load(sources, true);
    return new ClusterState(result.files(), result.resources(), result.problems());
  }

  public List<SourceFile> files() {
    return files;
  }

  public List<Resource> resources() {
    return resources;
  }

  public List<InputProblem> problems() {
    return problems;
  }

  public int size() {
    return resources.size();
  }
}
