package io.meshlint.cli.audit;

import java.io.PrintStream;

/** A one-line progress bar on standard error while the cluster is read; silent unless on a terminal. */
public class Progress {
  /** Draws nothing: for pipes, CI logs and tests. */
  public static final Progress NONE = new Progress(null);
  private static final int WIDTH = 24;

  private final PrintStream err;
  private int kinds;
  private int done;
  private int objects;
  private String current = "";
  private boolean drawn;

  private Progress(PrintStream err) {
    this.err = err;
  }

  /** A bar on {@code err} when the process has a terminal (System.console() != null), else {@link #NONE}. */
  public static Progress forTerminal(PrintStream err) {
    return System.console() != null ? new Progress(err) : NONE;
  }

  /** A bar on {@code err} whatever the terminal: for tests. */
  static Progress to(PrintStream err) {
    return new Progress(err);
  }

  void start(int kinds) {
    this.kinds = kinds;
    draw();
  }

  void kind(String kind) {
    current = kind;
    draw();
  }

  /** One kind read, with {@code objects} read so far; -1 for a page read (redraw only). */
  void advance(int objects) {
    if (objects >= 0) {
      done++;
      this.objects = objects;
    }
    draw();
  }

  void done() {
    clear();
  }

  /** Wipes the bar, so that a note printed next starts on a clean line. */
  void clear() {
    if (err != null && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  private void draw() {
    if (err == null || kinds == 0) {
      return;
    }
    int filled = WIDTH * Math.min(done, kinds) / kinds;
    err.print("\r\033[Kreading the cluster [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
        + done + "/" + kinds + " kinds, " + objects + " objects" + (current.isEmpty() ? "" : " (" + current + ")"));
    err.flush();
    drawn = true;
  }
}
