package io.authlifecycle.core.hr;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.util.List;

/**
 * What the HR fold decides against: the assurance policy (the identity level a role needs) and how
 * old a verification may be for a REHIRE to reopen a terminated subject. Every worker declares these
 * settings, so all four fold with the same rules.
 */
public record StandingRules(AssurancePolicy policy, Duration maxVerificationAge) {

  public static final Setting<Duration> MAX_VERIFICATION_AGE = Setting.duration("hr.rehire.max-verification-age",
      "30d", "How old, at the time it is read, an identity verification may be for the REHIRE carrying it to "
          + "reopen a terminated subject.")
      .validate(d -> !d.isNegative() && !d.isZero(), "must be positive");

  public static final List<Setting<?>> SETTINGS = List.of(MAX_VERIFICATION_AGE);

  public static StandingRules from(Settings settings) {
    return new StandingRules(AssurancePolicy.from(settings), settings.get(MAX_VERIFICATION_AGE));
  }

  /** The rules of a worker: its policy and its setting. */
  public static StandingRules from(WorkerContext worker) {
    return new StandingRules(worker.policy(), worker.get(MAX_VERIFICATION_AGE));
  }
}
