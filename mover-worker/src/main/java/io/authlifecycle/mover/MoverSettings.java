package io.authlifecycle.mover;

import io.authlifecycle.core.config.Setting;
import java.time.Duration;
import java.util.List;

/** The mover-worker's own settings (beyond the core and policy ones). */
public final class MoverSettings {

  private MoverSettings() {}

  public static final Setting<Duration> REBIND_GRACE = Setting.duration("mover.rebind.grace", "72h",
      "After a move into a stricter role: how long factors that no longer qualify live beside their replacement.")
      .validate(MoverSettings::positive, "must be positive");
  /** A REBIND ticket lives at most this long (the gateway refuses longer ones). */
  static final Duration MAX_TICKET_LIFETIME = Duration.ofHours(8);
  public static final Setting<Duration> REBIND_TICKET_LIFETIME = Setting.duration("mover.rebind.ticket-lifetime", "8h",
      "Lifetime of the REBIND ticket a role change issues.")
      .validate(MoverSettings::ticketLifetime, "must be positive and at most 8h");
  public static final Setting<Duration> LOSS_TICKET_LIFETIME = Setting.duration("mover.device-loss.ticket-lifetime", "8h",
      "Lifetime of the REBIND ticket issued after a device loss when the remaining factors meet the level.")
      .validate(MoverSettings::ticketLifetime, "must be positive and at most 8h");
  public static final Setting<List<Duration>> EXPIRY_REMINDERS = Setting.durations("mover.expiry.reminders", "14d,3d",
      "How long before a factor's expiry to remind the subject, e.g. 14d,3d; blank for no reminders.");
  public static final Setting<Duration> STALE_AFTER = Setting.duration("mover.stale.after", "90d",
      "A factor unused this long is stale: the subject is reminded.").validate(MoverSettings::positive, "must be positive");
  public static final Setting<Duration> STALE_GRACE = Setting.duration("mover.stale.grace", "14d",
      "A stale factor still unused this long after the reminder is revoked.").validate(MoverSettings::positive, "must be positive");
  public static final Setting<Integer> RECENT_EVENT_IDS = Setting.integer("mover.dedupe.recent-event-ids", 64,
      "Event ids remembered per subject to drop duplicates.").validate(n -> n >= 8 && n <= 4096, "must be between 8 and 4096");

  public static final Setting<Duration> USE_RESOLUTION = Setting.duration("mover.use.resolution", "1h",
      "A use within this long of the factor's recorded last activity is not written: the registry keeps last use to this"
          + " resolution (as a directory's last-logon timestamp does), so staleness may be reminded up to this much early."
          + " 0s writes every use that moves the last use forward.")
      .validate(d -> !d.isNegative() && d.compareTo(Duration.ofDays(1)) <= 0, "must be between 0s and 1d");

  public static final List<Setting<?>> ALL = List.of(REBIND_GRACE, REBIND_TICKET_LIFETIME, LOSS_TICKET_LIFETIME,
      EXPIRY_REMINDERS, STALE_AFTER, STALE_GRACE, RECENT_EVENT_IDS, USE_RESOLUTION);

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static boolean ticketLifetime(Duration d) {
    return positive(d) && d.compareTo(MAX_TICKET_LIFETIME) <= 0;
  }
}
