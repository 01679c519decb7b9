package io.meshlint.core.config;

/** A configuration that cannot be used; the run stops with exit status 2 and this message. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
