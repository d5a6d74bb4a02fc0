package io.authlifecycle.mover;

import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.config.Setting;
import java.time.Duration;
import java.util.Arrays;
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
      "Lifetime of the REBIND ticket a role change issues; one expiring unused while the grace runs is re-issued with a"
          + " reminder.").validate(MoverSettings::ticketLifetime, "must be positive and at most 8h");
  public static final Setting<Duration> LOSS_TICKET_LIFETIME = Setting.duration("mover.device-loss.ticket-lifetime", "8h",
      "Lifetime of the REBIND ticket issued after a device loss when the remaining factors meet the level.")
      .validate(MoverSettings::ticketLifetime, "must be positive and at most 8h");
  /**
   * The rule for a LOST or STOLEN device no reported factor is linked to (the IdP could not tell
   * which device a factor lives on): fail towards revocation for the kinds that live on such a device.
   */
  public static final Setting<List<String>> UNATTRIBUTED_LOSS_KINDS = Setting.list("mover.device-loss.unattributed-kinds",
      "SYNCED_PASSKEY,OTP_APP,PUSH_NUMBER_MATCHING,PUSH_PLAIN",
      "When a device reported lost or stolen has no factor linked to it: the owner's factors of these kinds that no"
          + " device is named for are revoked, as they may live on it; factors linked to another device, and other"
          + " kinds, are kept. Blank: revoke none, end the sessions only.")
      .validate(MoverSettings::factorTypes, "must be a comma-separated list of factor types such as OTP_APP,SYNCED_PASSKEY");
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

  public static final Setting<Integer> LAST_USES_SUBJECTS = Setting.integer("mover.last-uses.subjects", 50_000,
      "Subjects per task whose factors' last activity the mover keeps in memory, so that a use within the use resolution"
          + " is decided without reading the registry; least recently used dropped first; 0 reads the registry for every use.")
      .validate(n -> n >= 0 && n <= 10_000_000, "must be between 0 and 10000000");

  public static final List<Setting<?>> ALL = List.of(REBIND_GRACE, REBIND_TICKET_LIFETIME, LOSS_TICKET_LIFETIME,
      UNATTRIBUTED_LOSS_KINDS, EXPIRY_REMINDERS, STALE_AFTER, STALE_GRACE, RECENT_EVENT_IDS, USE_RESOLUTION,
      LAST_USES_SUBJECTS);

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static boolean factorTypes(List<String> names) {
    return names.stream().allMatch(n -> Arrays.stream(FactorType.values())
        .anyMatch(t -> t != FactorType.UNKNOWN && t.name().equals(n)));
  }

  private static boolean ticketLifetime(Duration d) {
    return positive(d) && d.compareTo(MAX_TICKET_LIFETIME) <= 0;
  }
}
