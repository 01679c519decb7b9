package io.meshlint.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void drawsOneLineAndWipesItWhenDone() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = Progress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    p.start(4);
    p.kind("VirtualService");
    p.advance(10);
    p.advance(-1);
    p.done();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("reading the cluster [######                  ] 1/4 kinds, 10 objects (VirtualService)"), out);
    assertTrue(out.endsWith("\r\033[K"), out);
    assertTrue(!out.contains("\n"), "the bar stays on one line");
  }

  @Test
  void silentWithoutATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress.NONE.start(3);
    Progress.NONE.advance(1);
    Progress.NONE.done();
    assertEquals(0, bytes.size());
    // Under Maven there is no console: forTerminal gives the silent bar.
    assertTrue(Progress.forTerminal(System.err) == Progress.NONE || System.console() != null);
  }
}
