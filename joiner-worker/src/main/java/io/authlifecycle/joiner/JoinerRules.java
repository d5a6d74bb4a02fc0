package io.authlifecycle.joiner;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the joiner's decisions are made against, read once from the worker's settings: its name
 * (ids derive from it), the assurance policy, how long an onboarding ticket lives and where it is
 * delivered, when the subject is reminded before it expires, and when a one-factor subject is
 * reminded to add a second, and the rules of the one HR fold.
 */
public record JoinerRules(String worker, AssurancePolicy policy, Duration ticketLifetime, Channel deliveryChannel,
    List<Duration> reminderOffsets, Duration secondFactorAfter, StandingRules standing) {

  /**
   * The rules of a worker's context. Each setting was checked when it was read; the one rule across
   * two keys, every reminder offset inside the ticket lifetime, is checked here, so it too fails at start.
   */
  public static JoinerRules from(WorkerContext context) {
    Duration lifetime = context.get(JoinerSettings.TICKET_LIFETIME);
    List<Duration> offsets = new ArrayList<>();
    for (Duration offset : context.get(JoinerSettings.REMINDER_OFFSETS)) {
      if (offset.compareTo(lifetime) >= 0) {
        throw new ConfigException(JoinerSettings.REMINDER_OFFSETS.key(), "reminder offset " + offset
            + " is not shorter than the ticket lifetime " + lifetime + " (" + JoinerSettings.TICKET_LIFETIME.key() + ")");
      }
      if (!offsets.contains(offset)) {
        offsets.add(offset);
      }
    }
    return new JoinerRules(context.name(), context.policy(), lifetime, context.get(JoinerSettings.DELIVERY_CHANNEL),
        List.copyOf(offsets), context.get(JoinerSettings.SECOND_FACTOR_AFTER), StandingRules.from(context));
  }
}
