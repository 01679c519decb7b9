package io.meshlint.core.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One input: a file on disk or standard input. The text of files is read again from disk when a
 * finding needs a position, so that a large run does not keep every file in memory.
 */
public final class SourceFile {
  private final String displayName;
  private final Path path;
  private final Supplier<String> text;

  private SourceFile(String displayName, Path path, Supplier<String> text) {
    this.displayName = displayName;
    this.path = path;
    this.text = text;
  }

  public static SourceFile ofPath(Path path, String displayName) {
    return new SourceFile(displayName, path, null);
  }

  /** Text held in memory: standard input, tests, admission requests. */
  public static SourceFile ofText(String displayName, String text) {
    return new SourceFile(displayName, null, () -> text);
  }

  /**
   * Text made only when something reads it: an object that arrives as a tree (an admission request),
   * whose text is needed only to locate a finding.
   */
  public static SourceFile ofLazyText(String displayName, Supplier<String> text) {
    return new SourceFile(displayName, null, new Supplier<>() {
      private String made;

      @Override
      public synchronized String get() {
        if (made == null) {
          made = text.get();
        }
        return made;
      }
    });
  }

  public String displayName() {
    return displayName;
  }

  /** The file on disk, or null for in-memory text. */
  public Path path() {
    return path;
  }

  public String readText() {
    if (text != null) {
      return text.get();
    }
    try {
      // Malformed UTF-8 becomes U+FFFD rather than an exception: the parser then reports it in place.
      return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return displayName;
  }
}
