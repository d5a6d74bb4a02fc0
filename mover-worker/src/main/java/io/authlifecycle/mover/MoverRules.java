package io.authlifecycle.mover;

import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the mover's decisions are tuned by: the assurance policy, the worker's periods and the
 * rules of the one HR fold, read once from the validated settings.
 *
 * @param unattributedLossKinds factor kinds revoked when a lost device has no factor linked to it
 * @param expiryReminders how long before expiry to remind, any order (kept longest first)
 * @param useResolution a use this close to the factor's recorded last activity changes nothing worth writing
 */
public record MoverRules(String worker, AssurancePolicy policy, Duration rebindGrace, Duration rebindTicketLifetime,
    Duration lossTicketLifetime, Set<FactorType> unattributedLossKinds, List<Duration> expiryReminders,
    Duration staleAfter, Duration staleGrace, int recentEventIds, Duration useResolution, StandingRules standing) {

  public MoverRules {
    unattributedLossKinds = unattributedLossKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(unattributedLossKinds));
    expiryReminders = expiryReminders.stream().distinct().sorted(Comparator.reverseOrder()).toList();
  }

  public static MoverRules from(WorkerContext context) {
    return new MoverRules(context.name(), context.policy(), context.get(MoverSettings.REBIND_GRACE),
        context.get(MoverSettings.REBIND_TICKET_LIFETIME), context.get(MoverSettings.LOSS_TICKET_LIFETIME),
        context.get(MoverSettings.UNATTRIBUTED_LOSS_KINDS).stream().map(FactorType::valueOf)
            .collect(Collectors.toSet()),
        context.get(MoverSettings.EXPIRY_REMINDERS), context.get(MoverSettings.STALE_AFTER),
        context.get(MoverSettings.STALE_GRACE), context.get(MoverSettings.RECENT_EVENT_IDS),
        context.get(MoverSettings.USE_RESOLUTION), StandingRules.from(context));
  }
}
