package io.authlifecycle.leaver;

import io.authlifecycle.core.config.Setting;
import java.time.Duration;
import java.util.List;

/** The leaver worker's own settings (environment: {@code LIFECYCLE_LEAVER_...}). */
public final class LeaverSettings {

  private LeaverSettings() {}

  public static final Setting<Duration> CONFIRMATION_DEADLINE = Setting.duration("leaver.confirmation-deadline", "5m",
      "How long the IdP has to confirm a leaver's revocation before it is escalated and the REVOKE_ALL re-issued once.")
      .validate(d -> !d.isNegative() && !d.isZero(), "must be positive");

  public static final List<Setting<?>> ALL = List.of(CONFIRMATION_DEADLINE);
}
