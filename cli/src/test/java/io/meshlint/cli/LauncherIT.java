package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, {@code ./meshlint}, in a copy of its own with a stand-in for Maven on the PATH: it
 * builds on first use (once, however many start at once), keeps Maven's output off standard output,
 * says so when the build fails, and makes its class-data archive.
 */
class LauncherIT {
  static final Path JAR = PreCommitIT.ROOT.resolve("cli/target/meshlint.jar");

  @TempDir
  Path root;
  Map<String, String> env;

  @BeforeEach
  void copyOfTheLauncher() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is built before the integration tests");
    Files.copy(PreCommitIT.ROOT.resolve("meshlint"), root.resolve("meshlint"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(root.resolve("bin"));
    env = Map.of("PATH", root.resolve("bin") + ":" + System.getenv("PATH"), "MESHLINT_TEST_JAR", JAR.toString());
  }

  /** Maven's stand-in: logs its arguments, then runs {@code body} in the directory the launcher gives it. */
  void maven(String body) throws Exception {
    Path mvn = root.resolve("bin/mvn");
    Files.writeString(mvn, "#!/usr/bin/env bash\necho \"$*\" >> \"" + root.resolve("mvn-calls") + "\"\n" + body + "\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  Processes.Result launch(String... args) throws Exception {
    String[] command = Stream.concat(Stream.of("./meshlint"), Stream.of(args)).toArray(String[]::new);
    return Processes.run(root, env, command);
  }

  List<String> mavenCalls() throws Exception {
    return Files.readAllLines(root.resolve("mvn-calls"));
  }

  static final String BUILD = """
      echo "[INFO] Building meshlint"
      mkdir -p cli/target && cp "$MESHLINT_TEST_JAR" cli/target/meshlint.jar.part && mv cli/target/meshlint.jar.part cli/target/meshlint.jar
      """;

  @Test
  void buildsOnFirstUseQuietlyThenMakesItsArchive() throws Exception {
    maven(BUILD);
    Processes.Result first = launch("version");
    assertEquals(0, first.status(), first.both());
    assertTrue(first.out().matches("meshlint \\S+\n"), "only meshlint's output on standard output: " + first.out());
    assertEquals("meshlint: building " + root.resolve("cli/target/meshlint.jar") + " with Maven (first use only)\n",
        first.err(), "Maven's messages stay in the build log when the build succeeds");
    assertEquals(1, mavenCalls().size());
    assertTrue(mavenCalls().get(0).contains("-pl cli -am package"), mavenCalls().toString());
    assertTrue(Files.isRegularFile(root.resolve("cli/target/meshlint.jsa")), "the first run leaves the class-data archive");

    Processes.Result second = launch("version");
    assertEquals(first.out(), second.out());
    assertEquals("", second.err());
    assertEquals(1, mavenCalls().size(), "built once");
    try (Stream<Path> files = Files.list(root.resolve("cli/target"))) {
      assertEquals(List.of(".build.lock", "build.log", "meshlint.jar", "meshlint.jsa"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no half-written archive is left");
    }
  }

  @Test
  void aFailedBuildSaysWhatHappened() throws Exception {
    // Maven 3.8 writes colour resets even when quiet; they would run into the message.
    maven("printf '\\033[0m\\033[0m[ERROR] COMPILATION ERROR : cannot find symbol\\n'\nexit 1");
    Processes.Result r = launch("lint", ".");
    assertEquals(2, r.status(), r.both());
    assertEquals("", r.out());
    Path log = root.resolve("cli/target/build.log");
    assertEquals("meshlint: building " + root.resolve("cli/target/meshlint.jar") + " with Maven (first use only)\n"
        + "[ERROR] COMPILATION ERROR : cannot find symbol\n"
        + "meshlint: building " + root.resolve("cli/target/meshlint.jar") + " failed (Maven's messages are above, and in "
        + log + ")\n", r.err());
  }

  @Test
  void launchersStartedTogetherBuildOnce() throws Exception {
    maven("sleep 2\n" + BUILD);
    CompletableFuture<Processes.Result> a = CompletableFuture.supplyAsync(() -> unchecked("version"));
    CompletableFuture<Processes.Result> b = CompletableFuture.supplyAsync(() -> unchecked("version"));
    for (Processes.Result r : List.of(a.get(), b.get())) {
      assertEquals(0, r.status(), r.both());
      assertTrue(r.out().startsWith("meshlint "), r.both());
    }
    assertEquals(1, mavenCalls().size(), mavenCalls().toString());
  }

  private Processes.Result unchecked(String... args) {
    try {
      return launch(args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
