package io.authlifecycle.core.config;

/** A configuration value is missing or invalid; the message names the key and where it came from. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String message) {
    super("configuration key '" + key + "': " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
