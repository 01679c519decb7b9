package io.meshlint.core.rules.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void parsesGoDurations() {
    assertEquals(2_000_000_000L, Durations.parseNanos("2s"));
    assertEquals(100_000_000L, Durations.parseNanos("100ms"));
    assertEquals(1_500_000_000L, Durations.parseNanos("1.5s"));
    assertEquals(60_000_000_000L, Durations.parseNanos("1m"));
    assertEquals(5_400_000_000_000L, Durations.parseNanos("1h30m"));
    assertEquals(500_000_000L, Durations.parseNanos(".5s"));
    assertEquals(1_500L, Durations.parseNanos("1.5us"));
    assertEquals(2_000L, Durations.parseNanos("2µs"));
    assertEquals(7L, Durations.parseNanos("7ns"));
    assertEquals(0L, Durations.parseNanos("0"));
    assertEquals(-3_000_000_000L, Durations.parseNanos("-3s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "2 s", "s", "1.2.3s", "1d", "2S", "1s2", "-", ".s", "99999999999h"})
  void rejectsWhatGoRejects(String text) {
    assertNull(Durations.parseNanos(text), text);
  }

  @Test
  void istioWantsWholeMillisecondsOfAtLeastOne() {
    assertNull(Durations.problem("1ms"));
    assertNull(Durations.problem("1.001s"));
    assertNotNull(Durations.problem("0s"));
    assertNotNull(Durations.problem("999us"));
    assertNotNull(Durations.problem("1.0005s"));
    assertNotNull(Durations.problem("-1s"));
    assertNotNull(Durations.problem("10"));
  }
}
