package io.meshlint.cli.lsp;

import io.meshlint.core.Linter;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.source.InputException;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * A workspace folder as {@code lint --context DIR} sees it: every manifest under it, each parsed
 * once and kept until the file changes on disk, so that a change in the editor costs one document's
 * parse, not the workspace's. Touched only on the server's worker thread.
 */
final class Folder {
  /** What a file on disk parsed to, and the size and modification time it had then. */
  private record Parsed(long size, long modified, Loader.Result result) {}

  /** The folder, or null for the documents outside every folder, each linted alone. */
  final Path root;
  /** In path order, as lint reads a directory. */
  private final Map<Path, Parsed> files = new TreeMap<>();

  /** The linter of the project config in force, and the size and time of that file when it was read. */
  Linter linter;
  Path configFile;
  private String configStamp;

  /** Whether the next lint must look at the disk first, and the lint already scheduled, if any. */
  boolean stale = true;
  ScheduledFuture<?> pending;

  Folder(Path root) {
    this.root = root;
  }

  boolean contains(Path file) {
    return root != null && file.startsWith(root);
  }

  /**
   * Reads the project config again when it changed since it was last read. A config that cannot be
   * used leaves the folder on the built-in settings; the message goes to {@code problem}.
   */
  void configure(Lsp.Setup setup, Consumer<String> problem) {
    Path file = setup.configFile(root);
    String stamp = stamp(file);
    if (linter != null && stamp.equals(configStamp)) {
      return;
    }
    configFile = file;
    configStamp = stamp;
    try {
      linter = setup.linter(file);
    } catch (ConfigException e) {
      problem.accept(e.getMessage() + "; linting " + (root == null ? "files outside the workspace" : root)
          + " with the built-in settings until it is fixed");
      linter = setup.linter(null);
      configFile = null;
    }
  }

  private static String stamp(Path file) {
    if (file == null) {
      return "none";
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.size() + "@" + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return "none";
    }
  }

  /** The name lint would show for a file of this folder when run in it: its path relative to the root. */
  String displayName(Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  /**
   * Brings the kept parses up to date with the disk: reads new and changed files, forgets deleted
   * ones. Files are compared by size and modification time, without reading them.
   */
  void sync() {
    List<Path> found;
    try {
      found = root != null && Files.isDirectory(root) ? Loader.expand(List.of(root.toString())) : List.of();
    } catch (InputException e) {
      found = List.of();
    }
    Map<Path, Parsed> previous = new HashMap<>(files);
    files.clear();
    List<Path> changed = new ArrayList<>();
    List<BasicFileAttributes> changedAttributes = new ArrayList<>();
    for (Path file : found) {
      Path absolute = file.toAbsolutePath().normalize();
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
      } catch (IOException e) {
        continue;
      }
      Parsed kept = previous.get(absolute);
      if (kept != null && kept.size == attributes.size() && kept.modified == attributes.lastModifiedTime().toMillis()) {
        files.put(absolute, kept);
      } else {
        changed.add(absolute);
        changedAttributes.add(attributes);
      }
    }
    if (!changed.isEmpty()) {
      List<SourceFile> sources = changed.stream().map(f -> SourceFile.ofPath(f, displayName(f))).toList();
      List<Loader.Result> parsed = sources.parallelStream().map(s -> linter.load(List.of(s), false)).toList();
      for (int i = 0; i < changed.size(); i++) {
        BasicFileAttributes a = changedAttributes.get(i);
        files.put(changed.get(i), new Parsed(a.size(), a.lastModifiedTime().toMillis(), parsed.get(i)));
      }
    }
  }

  /** The parsed files on disk but those the editor has open, read as context. */
  List<Loader.Result> context(Set<Path> open) {
    List<Loader.Result> out = new ArrayList<>(files.size());
    files.forEach((path, parsed) -> {
      if (!open.contains(path)) {
        out.add(parsed.result);
      }
    });
    return out;
  }
}
