package io.authlifecycle.mover;

import io.authlifecycle.core.policy.AssurancePolicy;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * What the mover's decisions are tuned by: the assurance policy and the worker's periods, as
 * {@link MoverSettings#rules} reads them from the validated settings.
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
}
