package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The joiner's own knobs, already validated: how long an onboarding ticket lives, where it is
 * delivered, when the subject is reminded before it expires, and when a one-factor subject is
 * reminded to add a second.
 */
public record JoinerConfig(Duration ticketLifetime, Channel deliveryChannel, List<Duration> reminderOffsets,
    Duration secondFactorAfter) {

  public JoinerConfig {
    Objects.requireNonNull(ticketLifetime);
    Objects.requireNonNull(deliveryChannel);
    reminderOffsets = List.copyOf(reminderOffsets);
    Objects.requireNonNull(secondFactorAfter);
  }

  /** The defaults: 1 h tickets delivered through the IdP portal, reminders 30 and 10 minutes before expiry, 7 days. */
  public static JoinerConfig defaults() {
    return new JoinerConfig(Duration.ofHours(1), Channel.IDP_PORTAL,
        List.of(Duration.ofMinutes(30), Duration.ofMinutes(10)), Duration.ofDays(7));
  }
}
