package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs other programs as a user would in a shell: git, pre-commit, the launcher. */
final class Processes {
  record Result(int status, String out, String err) {
    String both() {
      return out + err;
    }
  }

  private Processes() {}

  /** Runs {@code command} in {@code dir} with {@code env} added to this process's environment, without input. */
  static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
    File out = File.createTempFile("meshlint-out", ".txt");
    File err = File.createTempFile("meshlint-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out).redirectError(err);
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      return new Result(process.waitFor(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  /** Runs git in {@code dir} and requires it to succeed. */
  static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Result r = run(dir, Map.of(), command.toArray(String[]::new));
    assertEquals(0, r.status(), command + ": " + r.both());
  }

  /** A new git repository in {@code dir} with an identity of its own for commits. */
  static void gitInit(Path dir) throws IOException, InterruptedException {
    git(dir, "init", "-q");
    git(dir, "config", "user.email", "ci@example.com");
    git(dir, "config", "user.name", "CI");
  }

  /** Whether {@code program} is on the PATH. */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    assertTrue(path != null, "PATH is set");
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
