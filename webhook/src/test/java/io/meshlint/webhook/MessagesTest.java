package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void keepsWarningsWithinKubernetesLimitsAndCountsTheRest() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add(Messages.truncate("[IST0132] VirtualService dev/vs-" + i + ": " + "x".repeat(300), Messages.MAX_WARNING_CHARS));
    }
    List<String> capped = Messages.cap(texts);
    int total = capped.stream().mapToInt(String::length).sum();
    assertTrue(total <= Messages.MAX_WARNINGS_TOTAL_CHARS, "total " + total);
    capped.forEach(w -> assertTrue(w.length() <= Messages.MAX_WARNING_CHARS));
    String last = capped.get(capped.size() - 1);
    int shown = capped.size() - 1;
    assertEquals("meshlint: " + (40 - shown) + " more warnings not shown (Kubernetes limits warnings to 4096 characters)", last);
    assertTrue(capped.get(0).endsWith("..."));
  }

  @Test
  void shortListsPassUnchanged() {
    assertEquals(List.of("a", "b"), Messages.cap(List.of("a", "b")));
  }
}
