package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.rule.Findings;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.SourceFile;
import java.io.PrintStream;
import java.util.List;
import java.util.TreeSet;

/**
 * JUnit XML, which CI servers (Azure Pipelines, GitLab, Jenkins) show as test results: a suite per
 * file, a test case per finding, failed when the finding is at or above {@code --fail-on}, and one
 * passing case for a file without findings. Suites come in file name order, each written as its
 * findings are located.
 */
final class JunitReporter implements Reporter {
  @Override
  public void write(Linter.Report report, Options options, PrintStream out) {
    Findings all = report.all();
    TreeSet<String> clean = new TreeSet<>();
    for (SourceFile file : report.sourceFiles()) {
      if (!all.files().contains(file.displayName())) {
        clean.add(file.displayName());
      }
    }
    int failures = 0;
    for (Severity s : Severity.values()) {
      failures += failed(s, options) ? all.count(s) : 0;
    }
    out.print("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"meshlint\" tests=\""
        + (all.size() + clean.size()) + "\" failures=\"" + failures + "\" errors=\"0\">\n");
    all.forEachFile(findings -> {
      String file = findings.get(0).location().file();
      for (String before = clean.pollFirst(); before != null; before = clean.pollFirst()) {
        if (before.compareTo(file) > 0) {
          clean.add(before);
          break;
        }
        cleanSuite(before, out);
      }
      suite(file, findings, options, out);
    });
    clean.forEach(file -> cleanSuite(file, out));
    out.print("</testsuites>\n");
  }

  private static boolean failed(Severity severity, Options options) {
    return options.failOn() != null && severity.atLeast(options.failOn());
  }

  private static void cleanSuite(String file, PrintStream out) {
    out.print("  <testsuite name=\"" + xml(file) + "\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
        + "    <testcase classname=\"" + xml(file) + "\" name=\"no findings\"/>\n  </testsuite>\n");
  }

  private static void suite(String file, List<Finding> findings, Options options, PrintStream out) {
    long suiteFailures = findings.stream().filter(f -> failed(f.severity(), options)).count();
    out.print("  <testsuite name=\"" + xml(file) + "\" tests=\"" + findings.size() + "\" failures=\"" + suiteFailures
        + "\" errors=\"0\">\n");
    for (Finding f : findings) {
      String resource = Describe.resource(f);
      String name = f.rule().code() + " " + (resource == null ? "" : resource + " ") + "line " + f.location().line();
      StringBuilder cases = new StringBuilder();
      cases.append("    <testcase classname=\"").append(xml(file)).append("\" name=\"").append(xml(name)).append("\"");
      String text = f.severity().label() + " [" + f.rule().code() + "] (" + Describe.origin(f) + ") " + f.message();
      if (failed(f.severity(), options)) {
        cases.append(">\n      <failure type=\"").append(f.rule().code()).append("\" message=\"").append(xml(f.message()))
            .append("\">").append(xml(text + "\n" + f.rule().docsUrl())).append("</failure>\n    </testcase>\n");
      } else {
        cases.append(">\n      <system-out>").append(xml(text)).append("</system-out>\n    </testcase>\n");
      }
      out.print(cases);
    }
    out.print("  </testsuite>\n");
  }

  static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
