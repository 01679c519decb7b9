package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import java.io.PrintStream;

/** One line per finding, as {@code istioctl analyze} prints them. */
public final class TextReporter implements Reporter {
  private static final String RESET = "\u001b[0m";

  @Override
  public void write(Linter.Report report, Options options, PrintStream out) {
    for (Finding f : report.findings()) {
      out.println(line(f, options.ansi()));
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

  /** One finding's line: {@code Error [IST0101] (VirtualService dev/vs file.yaml:22) message}; {@code meshlint trace} prints findings the same way. */
  public static String line(Finding f, boolean ansi) {
    String label = f.severity().label();
    if (ansi) {
      label = colour(f) + label + RESET;
    }
    return label + " [" + f.rule().code() + "] (" + Describe.origin(f) + ") " + f.message();
  }

  private static String colour(Finding f) {
    return switch (f.severity()) {
      case ERROR -> "\u001b[31m";
      case WARNING -> "\u001b[33m";
      case INFO -> "\u001b[36m";
    };
  }
}
