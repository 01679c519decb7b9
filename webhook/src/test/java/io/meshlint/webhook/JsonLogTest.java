package io.meshlint.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lines logged at once from event loops and other threads: each whole, on its own line, none lost. */
class JsonLogTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    JsonLog.redirect(System.out);
  }

  /** Log collectors parse the time as RFC 3339: to the millisecond, in UTC, and never behind the clock. */
  @Test
  void timesAreRfc3339InUtcToTheMillisecond() {
    for (int i = 0; i < 5000; i++) {
      long before = System.currentTimeMillis();
      String time = JsonLog.now();
      long after = System.currentTimeMillis();
      assertTrue(time.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), time);
      long logged = java.time.Instant.parse(time).toEpochMilli();
      assertTrue(before <= logged && logged <= after, time + " not within " + before + ".." + after);
    }
  }

  @Test
  void linesFromManyThreadsArriveWholeAndOnce() throws Exception {
    JsonLog.redirect(out);
    Vertx vertx = Vertx.vertx();
    int perWriter = 2000;
    List<Runnable> writers = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(6);
    for (int w = 0; w < 6; w++) {
      String writer = "w" + w;
      writers.add(() -> {
        for (int i = 0; i < perWriter; i++) {
          int n = i;
          JsonLog.info("line", l -> l.put("writer", writer).put("n", n).put("text", "x".repeat(n % 300)));
        }
        done.countDown();
      });
    }
    try {
      for (int w = 0; w < 4; w++) {
        Context loop = vertx.getOrCreateContext();
        Runnable writer = writers.remove(0);
        loop.runOnContext(v -> writer.run());
      }
      for (Runnable r : writers) {
        new Thread(r).start();
      }
      assertTrue(done.await(30, TimeUnit.SECONDS));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    Set<String> seen = new HashSet<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode json = Reviews.JSON.readTree(line);
      assertEquals("line", json.path("msg").asText(), line);
      seen.add(json.path("writer").asText() + "/" + json.path("n").asInt());
    }
    assertEquals(6 * perWriter, seen.size(), "every line written once");
    assertEquals(6 * perWriter, out.toString(StandardCharsets.UTF_8).split("\n").length);
  }
}
