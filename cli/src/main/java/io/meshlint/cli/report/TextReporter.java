package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import java.io.PrintStream;

/** One line per finding, as {@code istioctl analyze} prints them. */
public final class TextReporter implements Reporter {
  private static final String RESET = "\u001b[0m";

  @Override
  public void write(Linter.Report report, Options options, PrintStream out) {
    report.all().forEach(f -> {
      out.println(line(f, options.ansi()));
      if (options.verbose() && f.suggestion() != null) {
        out.println("  Suggestion:");
        f.suggestion().lines().forEach(line -> out.println("    " + line));
      }
    });
    String skipped = report.skipped().isEmpty() ? "" : "skipped " + count(report.skipped().size(), "file")
        + " that hold no Kubernetes manifest" + (options.verbose() ? ":" : " (--verbose lists them)");
    if (report.all().isEmpty()) {
      out.println("\u2714 No validation issues found when analyzing " + count(report.files(), "file") + " ("
          + count(report.resources(), "resource") + ")" + (skipped.isEmpty() ? "." : "; " + skipped));
    } else if (!skipped.isEmpty()) {
      out.println(Character.toUpperCase(skipped.charAt(0)) + skipped.substring(1));
    }
    if (options.verbose()) {
      report.skipped().forEach(s -> out.println("  " + s.file().displayName() + ": " + s.reason()));
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
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
