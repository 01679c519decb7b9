package io.meshlint.cli;

import io.meshlint.cli.report.Reporter;
import io.meshlint.core.Linter;
import io.meshlint.core.baseline.Baseline;
import io.meshlint.core.config.ConfigException;
import io.meshlint.core.config.ProjectConfig;
import io.meshlint.core.mesh.MeshConfig;
import io.meshlint.core.mesh.MeshConfigs;
import io.meshlint.core.mesh.MeshNetworks;
import io.meshlint.core.mesh.Settings;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Engine;
import io.meshlint.core.rule.Findings;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.BuiltinRules;
import io.meshlint.core.source.Loader;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * What {@code lint} and {@code audit} share on the way out: report format, baseline and exit
 * status. Mixed into both commands, so that their outputs cannot drift apart.
 */
final class LintOptions {
  enum FailOn { error, warning, info, none }

  @Option(names = "--output", defaultValue = "text", description = "text, json, sarif, junit or github (default: ${DEFAULT-VALUE})")
  Reporter.Format output;

  @Option(names = "--fail-on", defaultValue = "error", description = "lowest severity that makes the exit status 1: error, warning, info or none (default: ${DEFAULT-VALUE})")
  FailOn failOn;

  @Option(names = "--verbose", description = "also print each finding's suggestion, and list the files skipped as no Kubernetes manifest")
  boolean verbose;

  @Option(names = "--write-baseline", paramLabel = "FILE", description = "record today's findings in FILE and exit 0")
  Path writeBaseline;

  @Option(names = "--baseline", paramLabel = "FILE", description = "report only findings not recorded in FILE (matched by code, resource and fingerprint, not by line)")
  Path baseline;

  /** Applies the baseline options, writes the report in the chosen format and returns the exit status. */
  int report(Linter.Report report) throws IOException {
    if (writeBaseline != null) {
      Baseline.write(writeBaseline, report.all());
      System.err.println("meshlint: recorded " + report.all().size() + " findings in " + writeBaseline);
      return Main.EXIT_CLEAN;
    }
    if (baseline != null) {
      Baseline.Filtered filtered = Baseline.read(baseline).filter(report.all());
      report = new Linter.Report(filtered.remaining(), report.sourceFiles(), report.resources(), report.skipped());
      System.err.println("meshlint: " + filtered.matched() + " findings matched the baseline " + baseline);
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Reporter.of(output).write(report, new Reporter.Options(verbose, ansi(), failOnSeverity()), out);
    out.flush();
    return exitStatus(report.all());
  }

  private int exitStatus(Findings findings) {
    Severity threshold = failOnSeverity();
    return threshold != null && findings.anyAtLeast(threshold) ? Main.EXIT_FINDINGS : Main.EXIT_CLEAN;
  }

  private Severity failOnSeverity() {
    return failOn == FailOn.none ? null : Severity.parse(failOn.name());
  }




  /** Colour only on a terminal, as users of istioctl expect, and never when NO_COLOR is set. */
  static boolean ansi() {
    return System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
  }
}
