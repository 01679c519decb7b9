package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import java.io.PrintStream;

/** One line per finding, as {@code istioctl analyze} prints them. */
final class TextReporter implements Reporter {
  private static final String RESET = "\u001b[0m";

  @Override
  public void write(Linter.Report report, Options options, PrintStream out) {
    for (Finding f : report.findings()) {
      String label = f.severity().label();
      if (options.ansi()) {
        label = colour(f) + label + RESET;
      }
      out.println(label + " [" + f.rule().code() + "] (" + Describe.origin(f) + ") " + f.message());
      if (options.verbose() && f.suggestion() != null) {
        out.println("  Suggestion:");
        f.suggestion().lines().forEach(line -> out.println("    " + line));
      }
    }
    if (report.findings().isEmpty()) {
      out.println("\u2714 No validation issues found when analyzing " + report.files() + " file"
          + (report.files() == 1 ? "" : "s") + " (" + report.resources() + " resources).");
    }
  }

  private static String colour(Finding f) {
    return switch (f.severity()) {
      case ERROR -> "\u001b[31m";
      case WARNING -> "\u001b[33m";
      case INFO -> "\u001b[36m";
    };
  }
}
