package io.authlifecycle.console;

import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RelyingParty;
import io.authlifecycle.core.config.Setting;
import java.time.Duration;
import java.util.List;

/** The approver console's settings beyond the core ones (it serves on {@code http.host}:{@code http.port}). */
public final class ConsoleSettings {

  private ConsoleSettings() {}

  public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("console.session.idle-timeout", "10m",
      "A signed-in session ends after this long without a request.")
      .validate(d -> !d.isNegative() && !d.isZero() && d.compareTo(Duration.ofHours(1)) <= 0, "must be positive and at most 1h");
  public static final Setting<String> ENROLL_SECRET = Setting.string("console.enroll.secret", "",
      "Secret that single-use enrollment links are signed with (lifecyclectl console enroll-link reads the same); "
          + "blank: enrollment is closed.")
      .validate(s -> s.isEmpty() || s.length() >= 32, "must be blank or at least 32 characters");
  public static final Setting<String> DATA_DIR = Setting.string("console.data-dir", "./console-data",
      "Where the console keeps the passkeys enrolled through it, the enrollment links already used, its audit chain heads "
          + "and signature counters.");

  public static final List<Setting<?>> ALL = List.of(IDLE_TIMEOUT, ENROLL_SECRET, DATA_DIR,
      PersonKeyRegistry.PERSON_KEYS, RelyingParty.RP_ID, RelyingParty.ORIGINS);
}
