package io.meshlint.core.source;

/** Input that cannot be read at all, such as a missing file: the run stops with exit status 2. */
public final class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }
}
