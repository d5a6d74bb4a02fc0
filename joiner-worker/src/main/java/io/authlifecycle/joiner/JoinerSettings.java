package io.authlifecycle.joiner;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.config.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The joiner worker's settings, checked at start so a bad value stops the worker with the key's name. */
public final class JoinerSettings {

  private JoinerSettings() {}

  /** No onboarding ticket lives longer than this, whatever the configuration says. */
  public static final Duration MAX_TICKET_LIFETIME = Duration.ofHours(8);

  /** Channels a ticket must never be delivered on: a binding secret is never sent by email (63B-4 4.1.2.2). */
  static final Set<Channel> FORBIDDEN_DELIVERY = Set.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL, Channel.UNKNOWN);

  public static final Setting<Duration> TICKET_LIFETIME = Setting.duration("joiner.ticket.lifetime", "1h",
      "How long an onboarding ticket is valid after its not-before time.")
      .validate(d -> !d.isNegative() && !d.isZero() && d.compareTo(MAX_TICKET_LIFETIME) <= 0,
          "must be positive and at most " + MAX_TICKET_LIFETIME.toHours() + "h");
  public static final Setting<Channel> DELIVERY_CHANNEL = Setting.enumValue("joiner.ticket.delivery-channel",
      Channel.class, Channel.IDP_PORTAL, "Where the IdP delivers onboarding tickets; never an email channel.")
      .validate(c -> !FORBIDDEN_DELIVERY.contains(c),
          "must not be an email channel (NIST SP 800-63B-4 4.1.2.2) nor UNKNOWN");
  public static final Setting<List<Duration>> REMINDER_OFFSETS = Setting.durations("joiner.ticket.reminder-offsets",
      "30m,10m", "How long before an unused ticket expires the subject is reminded, once per value (blank: no "
          + "reminders); each shorter than joiner.ticket.lifetime, checked at start.");
  public static final Setting<Duration> SECOND_FACTOR_AFTER = Setting.duration("joiner.second-factor.reminder-after",
      "7d", "How long after enrollment a subject with exactly one factor is reminded to bind a second.")
      .validate(d -> !d.isNegative() && !d.isZero(), "must be positive");

  public static final List<Setting<?>> ALL = List.of(TICKET_LIFETIME, DELIVERY_CHANNEL, REMINDER_OFFSETS,
      SECOND_FACTOR_AFTER);
}
