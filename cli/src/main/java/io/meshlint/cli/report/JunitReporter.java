package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.source.SourceFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML, which CI servers (Azure Pipelines, GitLab, Jenkins) show as test results: a suite per
 * file, a test case per finding, failed when the finding is at or above {@code --fail-on}, and one
 * passing case for a file without findings.
 */
final class JunitReporter implements Reporter {
  @Override
  public void write(Linter.Report report, Options options, PrintStream out) {
    Map<String, List<Finding>> byFile = new LinkedHashMap<>();
    for (SourceFile file : report.sourceFiles()) {
      byFile.put(file.displayName(), new ArrayList<>());
    }
    for (Finding f : report.findings()) {
      byFile.computeIfAbsent(f.location().file(), k -> new ArrayList<>()).add(f);
    }
    int tests = 0;
    int failures = 0;
    StringBuilder suites = new StringBuilder();
    for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
      List<Finding> findings = e.getValue();
      int suiteFailures = 0;
      StringBuilder cases = new StringBuilder();
      if (findings.isEmpty()) {
        cases.append("    <testcase classname=\"").append(xml(e.getKey())).append("\" name=\"no findings\"/>\n");
      }
      for (Finding f : findings) {
        String resource = Describe.resource(f);
        String name = f.rule().code() + " " + (resource == null ? "" : resource + " ") + "line " + f.location().line();
        cases.append("    <testcase classname=\"").append(xml(e.getKey())).append("\" name=\"").append(xml(name)).append("\"");
        boolean failed = options.failOn() != null && f.severity().atLeast(options.failOn());
        String text = f.severity().label() + " [" + f.rule().code() + "] (" + Describe.origin(f) + ") " + f.message();
        if (failed) {
          suiteFailures++;
          cases.append(">\n      <failure type=\"").append(f.rule().code()).append("\" message=\"").append(xml(f.message()))
              .append("\">").append(xml(text + "\n" + f.rule().docsUrl())).append("</failure>\n    </testcase>\n");
        } else {
          cases.append(">\n      <system-out>").append(xml(text)).append("</system-out>\n    </testcase>\n");
        }
      }
      int suiteTests = Math.max(1, findings.size());
      tests += suiteTests;
      failures += suiteFailures;
      suites.append("  <testsuite name=\"").append(xml(e.getKey())).append("\" tests=\"").append(suiteTests)
          .append("\" failures=\"").append(suiteFailures).append("\" errors=\"0\">\n").append(cases).append("  </testsuite>\n");
    }
    out.print("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"meshlint\" tests=\"" + tests
        + "\" failures=\"" + failures + "\" errors=\"0\">\n" + suites + "</testsuites>\n");
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
