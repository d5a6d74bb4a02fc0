package io.authlifecycle.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A loaded, validated configuration: defaults, then an optional properties file, then
 * environment variables ({@code LIFECYCLE_<KEY>}), later ones winning. Every declared setting is
 * parsed at load time, so a bad value stops start-up with the key's name. Keys under
 * {@code kafka.} pass through to the Kafka clients.
 */
public final class Settings {

  public static final String ENV_PREFIX = "LIFECYCLE_";
  /** The environment variable naming an optional properties file. */
  public static final String CONFIG_FILE_ENV = "LIFECYCLE_CONFIG_FILE";
  public static final String KAFKA_PREFIX = "kafka.";

  private final Map<String, Object> values;
  private final Map<String, String> kafkaOverrides;
  private final Map<String, String> sources;

  private Settings(Map<String, Object> values, Map<String, String> kafkaOverrides, Map<String, String> sources) {
    this.values = values;
    this.kafkaOverrides = kafkaOverrides;
    this.sources = sources;
  }

  /** Loads from the process environment and the file it names, if any. */
  public static Settings fromEnvironment(Collection<Setting<?>> declared) {
    Map<String, String> env = System.getenv();
    Optional<Path> file = Optional.ofNullable(env.get(CONFIG_FILE_ENV)).filter(s -> !s.isBlank()).map(Path::of);
    return load(declared, file, env, Map.of());
  }

  /**
   * Loads and validates. {@code overrides} win over everything (used by the local stack and
   * tests to set the bootstrap servers or a state directory).
   */
  public static Settings load(Collection<Setting<?>> declared, Optional<Path> file,
      Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (Setting<?> s : declared) {
      if (s.defaultValue() != null) {
        raw.put(s.key(), s.defaultValue());
        sources.put(s.key(), "default");
      }
    }
    if (file.isPresent()) {
      Properties props = readProperties(file.get());
      props.stringPropertyNames().forEach(k -> {
        raw.put(k, props.getProperty(k));
        sources.put(k, "file " + file.get());
      });
    }
    Map<String, String> envKeys = new TreeMap<>();
    for (Setting<?> s : declared) {
      envKeys.put(s.environmentVariable(), s.key());
    }
    env.forEach((name, value) -> {
      String key = envKeys.get(name);
      if (key == null && name.startsWith(ENV_PREFIX + "KAFKA_")) {
        key = KAFKA_PREFIX + name.substring((ENV_PREFIX + "KAFKA_").length()).toLowerCase(Locale.ROOT).replace('_', '.');
      }
      if (key != null) {
        raw.put(key, value);
        sources.put(key, "environment variable " + name);
      }
    });
    overrides.forEach((k, v) -> {
      raw.put(k, v);
      sources.put(k, "override");
    });

    Map<String, Object> values = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Setting<?> s : declared) {
      String value = raw.get(s.key());
      if (value == null) {
        missing.add(s.key());
        continue;
      }
      values.put(s.key(), s.parse(value, sources.get(s.key())));
    }
    if (!missing.isEmpty()) {
      String key = missing.get(0);
      throw new ConfigException(key, "missing; set it in the properties file or as "
          + environmentVariable(key) + (missing.size() > 1 ? " (also missing: " + missing.subList(1, missing.size()) + ")" : ""));
    }
    Map<String, String> kafka = new LinkedHashMap<>();
    raw.forEach((k, v) -> {
      if (k.startsWith(KAFKA_PREFIX)) {
        kafka.put(k.substring(KAFKA_PREFIX.length()), v);
      }
    });
    return new Settings(values, kafka, sources);
  }

  /** The value of a declared setting. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    Object value = values.get(setting.key());
    if (value == null && !values.containsKey(setting.key())) {
      throw new IllegalStateException("setting " + setting.key() + " was not declared when this configuration was loaded");
    }
    return (T) value;
  }

  /** Client properties given as {@code kafka.<name>} keys, without the prefix. */
  public Map<String, String> kafkaOverrides() {
    return kafkaOverrides;
  }

  /** Where a key's value came from, for the start-up log. */
  public String sourceOf(String key) {
    return sources.getOrDefault(key, "unset");
  }

  public static String environmentVariable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Properties readProperties(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException(CONFIG_FILE_ENV, "cannot read properties file " + file + ": " + e.getMessage());
    }
    return props;
  }
}
