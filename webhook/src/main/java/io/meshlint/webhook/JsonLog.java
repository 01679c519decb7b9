package io.meshlint.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/** Structured logs: one JSON object per line on standard output. */
public final class JsonLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private JsonLog() {}

  /** Tests send the lines elsewhere. */
  static void redirect(PrintStream stream) {
    out = stream;
  }

  public static void info(String msg, Consumer<ObjectNode> fields) {
    write("info", msg, fields);
  }

  public static void warn(String msg, Consumer<ObjectNode> fields) {
    write("warn", msg, fields);
  }

  public static void error(String msg, Consumer<ObjectNode> fields) {
    write("error", msg, fields);
  }

  /**
   * A line whose fields are given as a map (strings, numbers, booleans, collections of strings),
   * as the cluster module's informers report them.
   */
  public static void fields(boolean warn, String msg, Map<String, Object> fields) {
    write(warn ? "warn" : "info", msg, l -> fields.forEach((k, v) -> {
      if (v instanceof Boolean b) {
        l.put(k, b);
      } else if (v instanceof Number n) {
        l.put(k, n.longValue());
      } else if (v instanceof Collection<?> c) {
        var a = l.putArray(k);
        c.forEach(e -> a.add(String.valueOf(e)));
      } else {
        l.put(k, String.valueOf(v));
      }
    }));
  }

  private static void write(String level, String msg, Consumer<ObjectNode> fields) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.now().toString());
    line.put("level", level);
    line.put("msg", msg);
    if (fields != null) {
      fields.accept(line);
    }
    String text = line.toString();
    PrintStream s = out;
    synchronized (s) {
      s.println(text);
    }
  }
}
