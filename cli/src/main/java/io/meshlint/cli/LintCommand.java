package io.meshlint.cli;

import io.meshlint.cli.report.Reporter;
import io.meshlint.core.Linter;
import io.meshlint.core.baseline.Baseline;
import io.meshlint.core.rule.Finding;

import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.SourceFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lint", description = "Lint manifests: files, directories (recursive: *.yaml, *.yml, *.json) or - for standard input.")
final class LintCommand implements Callable<Integer> {
  enum FailOn { error, warning, info, none }

  @Mixin
  InputOptions inputs;

  @Option(names = "--output", defaultValue = "text", description = "text, json, sarif, junit or github (default: ${DEFAULT-VALUE})")
  Reporter.Format output;

  @Option(names = "--fail-on", defaultValue = "error", description = "lowest severity that makes the exit status 1: error, warning, info or none (default: ${DEFAULT-VALUE})")
  FailOn failOn;

  @Option(names = "--verbose", description = "also print each finding's suggestion")
  boolean verbose;

  @Option(names = "--write-baseline", paramLabel = "FILE", description = "record today's findings in FILE and exit 0")
  Path writeBaseline;

  @Option(names = "--baseline", paramLabel = "FILE", description = "report only findings not recorded in FILE (matched by code, resource and fingerprint, not by line)")
  Path baseline;

  @Option(names = "--changed-since", paramLabel = "REF", description = "lint the manifests under PATHs (default .) changed since a git ref, the rest of them as context")
  String changedSince;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Linter linter = inputs.linter();
    List<SourceFile> reported;
    List<SourceFile> contextFiles = inputs.contextFiles();
    if (changedSince != null) {
      List<String> roots = inputs.paths.isEmpty() ? List.of(".") : inputs.paths;
      List<SourceFile> all = InputOptions.sources(roots);
      Path first = Path.of(roots.get(0)).toAbsolutePath();
      Set<Path> changed = GitChanges.since(changedSince, Files.isDirectory(first) ? first : first.getParent());
      reported = all.stream().filter(f -> f.path() != null && changed.contains(f.path().toAbsolutePath().normalize())).toList();
      contextFiles = new ArrayList<>(contextFiles);
      contextFiles.addAll(all);
    } else if (inputs.paths.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'PATH'");
    } else {
      reported = InputOptions.sources(inputs.paths);
    }
    Linter.Report report = linter.lint(reported, contextFiles);
    if (writeBaseline != null) {
      Baseline.write(writeBaseline, report.findings());
      System.err.println("meshlint: recorded " + report.findings().size() + " findings in " + writeBaseline);
      return Main.EXIT_CLEAN;
    }
    if (baseline != null) {
      Baseline.Filtered filtered = Baseline.read(baseline).filter(report.findings());
      report = new Linter.Report(filtered.remaining(), report.sourceFiles(), report.resources());
      System.err.println("meshlint: " + filtered.matched() + " findings matched the baseline " + baseline);
    }

    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Reporter.of(output).write(report, new Reporter.Options(verbose, ansi(), failOnSeverity()), out);
    out.flush();
    return exitStatus(report.findings());
  }

  private int exitStatus(List<Finding> findings) {
    Severity threshold = failOnSeverity();
    if (threshold == null) {
      return Main.EXIT_CLEAN;
    }
    return findings.stream().anyMatch(f -> f.severity().atLeast(threshold)) ? Main.EXIT_FINDINGS : Main.EXIT_CLEAN;
  }

  private Severity failOnSeverity() {
    return failOn == FailOn.none ? null : Severity.parse(failOn.name());
  }

  /** Colour only on a terminal, as users of istioctl expect, and never when NO_COLOR is set. */
  private static boolean ansi() {
    return System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
  }

}
