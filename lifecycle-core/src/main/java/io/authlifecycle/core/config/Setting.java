package io.authlifecycle.core.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One typed configuration key: its parser, its default (or none, meaning required), a rule the
 * value must satisfy, and a line of documentation.
 */
public final class Setting<T> {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final String key;
  private final Function<String, T> parser;
  private final String defaultValue;
  private final Predicate<T> rule;
  private final String ruleDescription;
  private final String doc;

  private Setting(String key, Function<String, T> parser, String defaultValue,
      Predicate<T> rule, String ruleDescription, String doc) {
    this.key = Objects.requireNonNull(key);
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.rule = rule;
    this.ruleDescription = ruleDescription;
    this.doc = doc;
  }

  public static Setting<String> string(String key, String defaultValue, String doc) {
    return new Setting<>(key, s -> s, defaultValue, s -> !s.isBlank(), "must not be blank", doc);
  }

  /** A string that may be left blank (the default): blank means "derive it", as the setting's doc says. */
  public static Setting<String> optionalString(String key, String doc) {
    return new Setting<>(key, s -> s, "", s -> true, "", doc);
  }

  public static Setting<Integer> integer(String key, int defaultValue, String doc) {
    return new Setting<>(key, Integer::valueOf, String.valueOf(defaultValue), v -> true, "", doc);
  }

  public static Setting<Long> longValue(String key, long defaultValue, String doc) {
    return new Setting<>(key, Long::valueOf, String.valueOf(defaultValue), v -> true, "", doc);
  }

  public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
    return new Setting<>(key, Setting::parseBoolean, String.valueOf(defaultValue), v -> true, "", doc);
  }

  /** A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 72h}, {@code 7d} or ISO-8601 {@code PT5M}. */
  public static Setting<Duration> duration(String key, String defaultValue, String doc) {
    return new Setting<>(key, Setting::parseDuration, defaultValue, d -> true, "", doc);
  }

  /** A comma-separated list of positive durations (e.g. {@code 14d,3d}); blank means empty. */
  public static Setting<List<Duration>> durations(String key, String defaultValue, String doc) {
    return new Setting<>(key, raw -> parseList(raw).stream().map(Setting::parseDuration).toList(), defaultValue,
        list -> list.stream().noneMatch(d -> d.isZero() || d.isNegative()),
        "must be a comma-separated list of positive durations such as 14d,3d", doc);
  }

  /** A comma-separated list; blank means empty. */
  public static Setting<List<String>> list(String key, String defaultValue, String doc) {
    return new Setting<>(key, Setting::parseList, defaultValue, v -> true, "", doc);
  }

  /** An enum constant by (case-insensitive) name. */
  public static <E extends Enum<E>> Setting<E> enumValue(String key, Class<E> type, E defaultValue, String doc) {
    return new Setting<>(key, s -> Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT)),
        defaultValue == null ? null : defaultValue.name(), v -> true, "", doc)
        .withRuleDescription("one of " + Arrays.toString(type.getEnumConstants()));
  }

  /** The same setting with no default: start-up fails if nothing sets it. */
  public Setting<T> required() {
    return new Setting<>(key, parser, null, rule, ruleDescription, doc);
  }

  /** The same setting, with an extra rule the parsed value must satisfy. */
  public Setting<T> validate(Predicate<T> extra, String description) {
    return new Setting<>(key, parser, defaultValue, rule.and(extra), description, doc);
  }

  private Setting<T> withRuleDescription(String description) {
    return new Setting<>(key, parser, defaultValue, rule, description, doc);
  }

  public String key() {
    return key;
  }

  public String doc() {
    return doc;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** The rule a value must satisfy, in words; empty when the type says it all. */
  public String ruleDescription() {
    return ruleDescription;
  }

  /** The environment variable that overrides this key: {@code LIFECYCLE_} + upper-cased key with separators as underscores. */
  public String environmentVariable() {
    return Settings.environmentVariable(key);
  }

  /** Parses and checks a raw value; {@code source} says where it came from in the error. */
  T parse(String raw, String source) {
    T value;
    try {
      value = parser.apply(raw.strip());
    } catch (RuntimeException e) {
      throw new ConfigException(key, "invalid value '" + raw + "' from " + source + ": "
          + (ruleDescription.isEmpty() ? describe(e) : ruleDescription));
    }
    if (!rule.test(value)) {
      throw new ConfigException(key, "invalid value '" + raw + "' from " + source + ": " + ruleDescription);
    }
    return value;
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static Duration parseDuration(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      return Duration.parse(s.toUpperCase(Locale.ROOT));
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 72h, 7d or PT5M");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      default: return Duration.ofDays(n);
    }
  }

  private static boolean parseBoolean(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("expected true or false");
  }

  private static List<String> parseList(String raw) {
    return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return key;
  }
}
