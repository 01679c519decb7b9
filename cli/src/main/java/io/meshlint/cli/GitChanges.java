package io.meshlint.cli;

import io.meshlint.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The files git reports as changed since a ref: committed, staged, unstaged and untracked, deletions left out. */
final class GitChanges {
  private GitChanges() {}

  /** Absolute paths of the changed files of the repository that holds {@code dir}. */
  static Set<Path> since(String ref, Path dir) {
    Path top = Path.of(git(dir, "rev-parse", "--show-toplevel").get(0));
    Set<Path> changed = new LinkedHashSet<>();
    for (String file : git(top, "diff", "--name-only", "--diff-filter=d", ref, "--")) {
      changed.add(top.resolve(file).toAbsolutePath().normalize());
    }
    for (String file : git(top, "ls-files", "--others", "--exclude-standard")) {
      changed.add(top.resolve(file).toAbsolutePath().normalize());
    }
    changed.removeIf(p -> !Files.isRegularFile(p));
    return changed;
  }

  private static List<String> git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new ConfigException("--changed-since: git " + String.join(" ", args) + " failed: " + output.strip());
      }
      return output.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new ConfigException("--changed-since needs git: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("--changed-since: interrupted");
    }
  }
}
