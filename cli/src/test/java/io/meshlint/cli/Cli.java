package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI in-process as a user would, capturing standard output and error. */
final class Cli {
  /** The pitfalls example, as a user in the cli module would type its path. */
  /** The seed tutorial's ingress example with a typo in the gateway name (line 26) and no Service. */
  static final String TYPO = "src/test/resources/gateway-typo.yaml";
  static final String CLEAN = "../examples/mesh";
  static final List<String> FORMATS = List.of("text", "json", "sarif", "junit", "github");

  record Result(int status, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    /** Bad input and bad usage must never show a stack trace. */
    Result assertNoStackTrace() {
      assertFalse(err.contains("Exception") || err.contains("\tat "), "stack trace on stderr:\n" + err);
      assertFalse(out.contains("Exception"), "exception on stdout:\n" + out);
      return this;
    }
  }

  private Cli() {}

  static Result run(String... args) {
    return runWithStdin("", args);
  }

  static synchronized Result runWithStdin(String stdin, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      int status = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }
}
