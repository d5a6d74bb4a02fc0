package io.authlifecycle.joiner;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.joiner.onboarding.JoinerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The joiner worker's settings, checked at start so a bad value stops the worker with the key's name. */
public final class JoinerSettings {

  private JoinerSettings() {}

  /** No onboarding ticket lives longer than this, whatever the configuration says. */
  public static final Duration MAX_TICKET_LIFETIME = Duration.ofHours(8);

  /** Channels a ticket must never be delivered on: a binding secret is never sent by email (63B-4 4.1.2.2). */
  static final Set<Channel> FORBIDDEN_DELIVERY = Set.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL, Channel.UNKNOWN);

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  public static final Setting<Duration> TICKET_LIFETIME = Setting.duration("joiner.ticket.lifetime", "1h",
      "How long an onboarding ticket is valid after its not-before time.")
      .validate(d -> !d.isNegative() && !d.isZero() && d.compareTo(MAX_TICKET_LIFETIME) <= 0,
          "must be positive and at most " + MAX_TICKET_LIFETIME.toHours() + "h");
  public static final Setting<Channel> DELIVERY_CHANNEL = Setting.enumValue("joiner.ticket.delivery-channel",
      Channel.class, Channel.IDP_PORTAL, "Where the IdP delivers onboarding tickets; never an email channel.")
      .validate(c -> !FORBIDDEN_DELIVERY.contains(c),
          "must not be an email channel (NIST SP 800-63B-4 4.1.2.2) nor UNKNOWN");
  public static final Setting<List<String>> REMINDER_OFFSETS = Setting.list("joiner.ticket.reminder-offsets",
      "30m,10m", "Before an unused ticket expires, remind the subject this long ahead (comma-separated).")
      .validate(JoinerSettings::allPositiveDurations, "must be a comma-separated list of positive durations such as 30m,10m");
  public static final Setting<Duration> SECOND_FACTOR_AFTER = Setting.duration("joiner.second-factor.reminder-after",
      "7d", "How long after enrollment a subject with exactly one factor is reminded to bind a second.")
      .validate(d -> !d.isNegative() && !d.isZero(), "must be positive");

  public static final List<Setting<?>> ALL = List.of(TICKET_LIFETIME, DELIVERY_CHANNEL, REMINDER_OFFSETS,
      SECOND_FACTOR_AFTER);

  /** The validated config; a reminder offset that does not fall inside the ticket's lifetime fails here. */
  public static JoinerConfig config(Settings settings) {
    Duration lifetime = settings.get(TICKET_LIFETIME);
    List<Duration> offsets = new ArrayList<>();
    for (String raw : settings.get(REMINDER_OFFSETS)) {
      Duration offset = parseDuration(raw);
      if (offset.compareTo(lifetime) >= 0) {
        throw new ConfigException(REMINDER_OFFSETS.key(), "reminder offset " + raw
            + " is not shorter than the ticket lifetime " + lifetime + " (" + TICKET_LIFETIME.key() + ")");
      }
      if (!offsets.contains(offset)) {
        offsets.add(offset);
      }
    }
    return new JoinerConfig(lifetime, settings.get(DELIVERY_CHANNEL), offsets, settings.get(SECOND_FACTOR_AFTER));
  }

  private static boolean allPositiveDurations(List<String> values) {
    for (String value : values) {
      try {
        Duration d = parseDuration(value);
        if (d.isZero() || d.isNegative()) {
          return false;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }

  /** The same duration grammar as every other setting: 500ms, 30s, 5m, 72h, 7d or ISO-8601. */
  static Duration parseDuration(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      return Duration.parse(s.toUpperCase(Locale.ROOT));
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + raw);
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
}
