package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * meshlint as a pre-commit hook, run by the real pre-commit (Debian's package, which .ci/run
 * installs): a user's repository names a hook repository with a rev and {@code hooks: [{id:
 * meshlint}]}. The hook repository is this checkout's hook definition and launcher, committed
 * with the jar the build just made, so that pre-commit's clone does not build it again.
 */
class PreCommitIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String HOOK = "meshlint (Istio policy linter)";

  @TempDir
  static Path dir;
  static Path hooks;
  static Map<String, String> env;

  @BeforeAll
  static void hookRepository() throws Exception {
    Assumptions.assumeTrue(Processes.onPath("pre-commit"),
        "pre-commit is not installed (apt-get install pre-commit; .ci/run installs it): the hook test skips");
    Path jar = ROOT.resolve("cli/target/meshlint.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is built before the integration tests");
    hooks = Files.createDirectories(dir.resolve("meshlint"));
    Files.copy(ROOT.resolve(".pre-commit-hooks.yaml"), hooks.resolve(".pre-commit-hooks.yaml"));
    Files.copy(ROOT.resolve("meshlint"), hooks.resolve("meshlint"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(jar, Files.createDirectories(hooks.resolve("cli/target")).resolve("meshlint.jar"));
    Processes.gitInit(hooks);
    Processes.git(hooks, "add", "--force", ".");
    Processes.git(hooks, "commit", "-q", "-m", "meshlint");
    env = Map.of("PRE_COMMIT_HOME", dir.resolve("cache").toString());
  }

  /** A user's repository with meshlint in its .pre-commit-config.yaml and these files, all committed. */
  static Path userRepository(String name, Map<String, String> files) throws Exception {
    Path repo = Files.createDirectories(dir.resolve(name));
    Processes.gitInit(repo);
    Processes.Result rev = Processes.run(hooks, Map.of(), "git", "rev-parse", "HEAD");
    Files.writeString(repo.resolve(".pre-commit-config.yaml"), "repos:\n- repo: " + hooks + "\n  rev: "
        + rev.out().strip() + "\n  hooks: [{id: meshlint}]\n");
    for (Map.Entry<String, String> file : files.entrySet()) {
      write(repo, file.getKey(), file.getValue());
    }
    Processes.git(repo, "add", ".");
    Processes.git(repo, "commit", "-q", "-m", "manifests");
    return repo;
  }

  static void write(Path repo, String file, String text) throws IOException {
    Path path = repo.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  static Processes.Result preCommit(Path repo, String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "pre-commit";
    command[1] = "run";
    command[2] = "--color=never";
    System.arraycopy(args, 0, command, 3, args.length);
    return Processes.run(repo, env, command);
  }

  static final String TYPO = InputTest.VS.replace("web-gw", "web-gw-typo");

  @Test
  void aGatewayTypoFailsTheCommitAndItsFixPasses() throws Exception {
    Path repo = userRepository("typo", Map.of("manifests/gateway.yaml", InputTest.GATEWAY_AND_SERVICE,
        "manifests/vs.yaml", TYPO));

    Processes.Result failed = preCommit(repo, "--files", "manifests/vs.yaml");
    assertEquals(1, failed.status(), failed.both());
    assertTrue(failed.out().contains(HOOK + "...") && failed.out().contains("Failed"), failed.both());
    assertTrue(failed.out().contains("Error [IST0101] (VirtualService shop/shop-vs manifests/vs.yaml:8) "
        + "Referenced gateway not found: \"web-gw-typo\""), failed.both());

    // Passing shows that the Gateway comes from the file pre-commit did not pass: the context.
    write(repo, "manifests/vs.yaml", InputTest.VS);
    Processes.git(repo, "add", ".");
    Processes.Result passed = preCommit(repo, "--files", "manifests/vs.yaml");
    assertEquals(0, passed.status(), passed.both());
    assertTrue(passed.out().contains(HOOK + "...") && passed.out().contains("Passed"), passed.both());
  }

  @Test
  void allFilesOfACleanRepositoryPass() throws Exception {
    Path repo = userRepository("clean", Map.of(
        "manifests/app.yaml", InputTest.GATEWAY_AND_SERVICE + "---\n" + InputTest.VS,
        ".github/workflows/ci.yml", "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            + "    steps:\n    - uses: actions/checkout@v4\n",
        ".meshlint.yaml", "rules:\n  IST0102: off\n"));
    Processes.Result r = preCommit(repo, "--all-files", "--verbose");
    assertEquals(0, r.status(), r.both());
    assertTrue(r.out().contains("Passed"), r.both());
    assertTrue(r.out().contains("analyzing 1 file (3 resources); skipped 3 files that hold no Kubernetes manifest"),
        "the workflow, .meshlint.yaml and .pre-commit-config.yaml are skipped: " + r.both());
  }
}
