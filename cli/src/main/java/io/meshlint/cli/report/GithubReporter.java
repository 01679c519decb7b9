package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import java.io.PrintStream;

/** GitHub Actions workflow commands: each finding becomes an annotation on its file and line. */
final class GithubReporter implements Reporter {
  @Override
  public void write(Linter.Report report, Options options, PrintStream out) {
    report.all().forEach(f -> {
      String command = switch (f.severity()) {
        case ERROR -> "error";
        case WARNING -> "warning";
        case INFO -> "notice";
      };
      String title = f.rule().code() + " " + f.rule().name();
      String resource = Describe.resource(f);
      String message = resource == null ? f.message() : resource + ": " + f.message();
      out.println("::" + command + " file=" + property(f.location().file()) + ",line=" + f.location().line()
          + ",col=" + f.location().column() + ",title=" + property(title) + "::" + data(message));
    });
  }

  /** Escaping of the message part, as the workflow command syntax requires. */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escaping of property values, which also must not hold ':' or ','. */
  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
