package io.authlifecycle.ingest.scim;

import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.ingest.state.UserPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * What one accepted SCIM write means for the subject's lifecycle, as a pure function of the user's
 * phase, the profile before and after, and the time: POST → JOINER, a move → MOVER,
 * {@code active: false} or DELETE → LEAVER, {@code active: true} after an effective leaver → REHIRE
 * (before it is effective: LEAVER_CANCELLED). Everything else changes the resource only.
 */
public final class UserLifecycle {

  private UserLifecycle() {}

  /**
   * The outcome: the HR event to publish (null: none), its effective time and immediacy, and the
   * user's phase and pending leaver time afterwards.
   */
  public record Transition(WorkerEventType event, Instant effectiveTime, boolean immediate, UserPhase phase,
      Instant leaverEffective) {

    static Transition none(UserPhase phase, Instant leaverEffective) {
      return new Transition(null, null, false, phase, leaverEffective);
    }

    public boolean publishes() {
      return event != null;
    }
  }

  /** A POST; {@code previous} is the phase of the subject's deleted user, or null if there was none. */
  public static Transition create(UserPhase previous, UserProfile user, Instant now) {
    Instant effective = user.effectiveTime() != null ? user.effectiveTime() : now;
    if (!user.active()) {
      // Provisioned before the start date; the JOINER follows the activation.
      return Transition.none(previous == UserPhase.LEFT ? UserPhase.LEFT : UserPhase.PROVISIONED, null);
    }
    WorkerEventType type = previous == UserPhase.LEFT ? WorkerEventType.REHIRE : WorkerEventType.JOINER;
    return new Transition(type, effective, false, UserPhase.ACTIVE, null);
  }

  /** A PUT or PATCH that changed the resource; {@code phase} is the phase as of {@code now}. */
  public static Transition change(UserPhase phase, Instant leaverEffective, UserProfile before, UserProfile after,
      Instant now) {
    // An effective time counts only when this request states it; an old one would date a new change wrongly.
    Instant stated = Objects.equals(before.effectiveTime(), after.effectiveTime()) ? null : after.effectiveTime();
    Instant effective = stated != null ? stated : now;
    switch (phase) {
      case PROVISIONED:
        return after.active() ? new Transition(WorkerEventType.JOINER, effective, false, UserPhase.ACTIVE, null)
            : Transition.none(phase, null);
      case ACTIVE:
        if (!after.active()) {
          return leaver(effective, after.forCause(), now);
        }
        if (after.movedFrom(before)) {
          return new Transition(WorkerEventType.MOVER, effective, false, UserPhase.ACTIVE, null);
        }
        if (after.newlyVerifiedFrom(before)) {
          // A verification that arrives after the hire restates the JOINER, which the joiner decides on again.
          return new Transition(WorkerEventType.JOINER, effective, false, UserPhase.ACTIVE, null);
        }
        return Transition.none(phase, null);
      case LEAVER_PENDING:
        if (after.active()) {
          return new Transition(WorkerEventType.LEAVER_CANCELLED, now, false, UserPhase.ACTIVE, null);
        }
        if (stated != null || (after.forCause() && !before.forCause())) {
          return leaver(effective, after.forCause(), now);
        }
        return Transition.none(phase, leaverEffective);
      case LEFT:
      default:
        return after.active() ? new Transition(WorkerEventType.REHIRE, effective, false, UserPhase.ACTIVE, null)
            : Transition.none(UserPhase.LEFT, leaverEffective);
    }
  }

  /** A DELETE: whoever is still employed leaves now. */
  public static Transition delete(UserPhase phase, Instant leaverEffective, Instant now) {
    if (phase == UserPhase.ACTIVE || phase == UserPhase.LEAVER_PENDING) {
      return new Transition(WorkerEventType.LEAVER, now, true, UserPhase.LEFT, now);
    }
    return Transition.none(phase, leaverEffective);
  }

  private static Transition leaver(Instant effective, boolean forCause, Instant now) {
    boolean effectiveNow = forCause || !effective.isAfter(now);
    return new Transition(WorkerEventType.LEAVER, effective, false,
        effectiveNow ? UserPhase.LEFT : UserPhase.LEAVER_PENDING, effective);
  }
}
