package io.meshlint.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Structured logs: one JSON object per line on standard output. Fields are written as they are put,
 * without building a tree: one line per admission decision is on the request path. Threads never
 * wait for each other to log: a line is queued, and whichever thread finds no one writing writes
 * every queued line, whole and in order, so lines never interleave and none is left behind. On an
 * event loop the write waits until the loop has handled the I/O at hand, so that the lines of the
 * requests answered together go out with one write; lines still queued at exit are written then.
 */
public final class JsonLog {
  private static final JsonFactory JSON = new JsonFactory();
  private static volatile OutputStream out = new FileOutputStream(FileDescriptor.out);
  private static final ConcurrentLinkedQueue<byte[]> queued = new ConcurrentLinkedQueue<>();
  /** A thread is writing queued lines; only that thread touches {@link #batch}. */
  private static final AtomicBoolean writing = new AtomicBoolean();
  private static final ByteArrayBuilder batch = new ByteArrayBuilder(8192);
  /** An event loop will write the queued lines once it has handled its current I/O. */
  private static final AtomicBoolean writeScheduled = new AtomicBoolean();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(JsonLog::flush, "meshlint-log-flush"));
  }

  private JsonLog() {}

  /** Writes every queued line now. */
  static void flush() {
    while (!queued.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        writeQueued();
      } finally {
        writing.set(false);
      }
    }
  }

  private static void writeQueued() {
    byte[] first = queued.poll();
    if (first == null) {
      // Another writer took the lines this thread saw queued.
      return;
    }
    byte[] next = queued.poll();
    byte[] bytes = first;
    if (next != null) {
      batch.reset();
      batch.write(first);
      for (; next != null; next = queued.poll()) {
        batch.write(next);
      }
      bytes = batch.toByteArray();
    }
    try {
      OutputStream s = out;
      s.write(bytes);
      s.flush();
    } catch (IOException e) {
      // Standard output is gone (its reader closed the pipe): nowhere left to say so.
    }
  }

  /** Tests send the lines elsewhere. */
  static void redirect(OutputStream stream) {
    out = stream;
  }

  /** The fields of one line, written in the order they are put. */
  public static final class Line {
    private final JsonGenerator g;

    private Line(JsonGenerator g) {
      this.g = g;
    }

    public Line put(String name, String value) {
      try {
        g.writeStringField(name, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Line put(String name, long value) {
      try {
        g.writeNumberField(name, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Line put(String name, double value) {
      try {
        g.writeNumberField(name, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Line put(String name, boolean value) {
      try {
        g.writeBooleanField(name, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** A list of texts. */
    public Line put(String name, Collection<?> values) {
      try {
        g.writeArrayFieldStart(name);
        for (Object v : values) {
          g.writeString(String.valueOf(v));
        }
        g.writeEndArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  public static void info(String msg, Consumer<Line> fields) {
    write("info", msg, fields);
  }

  public static void warn(String msg, Consumer<Line> fields) {
    write("warn", msg, fields);
  }

  public static void error(String msg, Consumer<Line> fields) {
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
        l.put(k, c);
      } else {
        l.put(k, String.valueOf(v));
      }
    }));
  }

  /** A second and its date and time of day as RFC 3339 writes them, in UTC. */
  private record Second(long epochSecond, String text) {}

  private static volatile Second lastSecond = new Second(-1, "");

  /**
   * The time, in UTC to the millisecond: one line per admission decision formats the date and time
   * of day once a second, not once a line.
   */
  static String now() {
    long millis = System.currentTimeMillis();
    long epochSecond = Math.floorDiv(millis, 1000);
    Second second = lastSecond;
    if (second.epochSecond() != epochSecond) {
      second = new Second(epochSecond, DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
          LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)));
      lastSecond = second;
    }
    int ms = (int) Math.floorMod(millis, 1000L);
    return second.text() + '.' + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10) + 'Z';
  }

  private static void write(String level, String msg, Consumer<Line> fields) {
    ByteArrayBuilder text = new ByteArrayBuilder(256);
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("time", now());
      g.writeStringField("level", level);
      g.writeStringField("msg", msg);
      if (fields != null) {
        fields.accept(new Line(g));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    text.write('\n');
    queued.add(text.toByteArray());
    Context context = Vertx.currentContext();
    if (context != null && context.isEventLoopContext()) {
      // Cleared before writing: a line queued after the write began schedules the next one.
      if (writeScheduled.compareAndSet(false, true)) {
        try {
          context.runOnContext(v -> {
            writeScheduled.set(false);
            flush();
          });
        } catch (RejectedExecutionException e) {
          // The event loop is shutting down and runs no more tasks: write now.
          writeScheduled.set(false);
          flush();
        }
      }
      return;
    }
    flush();
  }
}
