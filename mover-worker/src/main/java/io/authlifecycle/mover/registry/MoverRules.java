package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What the mover's decisions are tuned by: the assurance policy and the worker's periods.
 *
 * @param expiryReminders how long before expiry to remind, any order (kept longest first)
 * @param useResolution a use this close to the factor's recorded last activity changes nothing worth writing
 */
public record MoverRules(String worker, AssurancePolicy policy, Duration rebindGrace, Duration rebindTicketLifetime,
    Duration lossTicketLifetime, List<Duration> expiryReminders, Duration staleAfter, Duration staleGrace,
    int recentEventIds, Duration useResolution) {

  public MoverRules {
    expiryReminders = expiryReminders.stream().distinct().sorted(Comparator.reverseOrder()).toList();
  }

  /** The defaults of the worker's settings, for tests and tools. */
  public static MoverRules defaults(String worker, AssurancePolicy policy) {
    return new MoverRules(worker, policy, Duration.ofHours(72), Duration.ofHours(72), Duration.ofHours(24),
        List.of(Duration.ofDays(14), Duration.ofDays(3)), Duration.ofDays(90), Duration.ofDays(14), 64,
        Duration.ofHours(1));
  }

  /** The same deterministic id {@code Decisions.command} derives, known before the record is built. */
  public String commandId(String causationId, CommandAction action, String discriminator) {
    return Ids.derive(worker, causationId, action.name(), discriminator);
  }

  public String derive(String... parts) {
    String[] all = new String[parts.length + 1];
    all[0] = worker;
    System.arraycopy(parts, 0, all, 1, parts.length);
    return Ids.derive(all);
  }
}
