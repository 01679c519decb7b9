package io.meshlint.cli.report;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Severity;
import java.io.IOException;
import java.io.PrintStream;

/** Writes a lint report in one output format. */
public interface Reporter {
  enum Format { text, json, sarif, junit, github }

  /**
   * @param verbose print suggestions in text output
   * @param ansi colour the text output
   * @param failOn lowest severity that fails the run, or null for none; formats that mark failures use it
   */
  record Options(boolean verbose, boolean ansi, Severity failOn) {}

  void write(Linter.Report report, Options options, PrintStream out) throws IOException;

  static Reporter of(Format format) {
    return switch (format) {
      case text -> new TextReporter();
      case json -> new JsonReporter();
      case sarif -> new SarifReporter();
      case junit -> new JunitReporter();
      case github -> new GithubReporter();
    };
  }
}
