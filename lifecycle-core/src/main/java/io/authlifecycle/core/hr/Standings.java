package io.authlifecycle.core.hr;

import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.core.policy.SubjectProfile;
import java.time.Instant;

/** Readings of a standing and of an HR event that every worker asks the same way. */
public final class Standings {

  private Standings() {}

  /**
   * Whether the event states the subject's privilege, and what: {@code statedPrivileged} when set;
   * else {@code privileged: true} (a record of the first release, which always meant it); else
   * nothing, and the privilege stays as it was.
   */
  public static Boolean statedPrivileged(WorkerEvent event) {
    if (event.getStatedPrivileged() != null) {
      return event.getStatedPrivileged();
    }
    return event.getPrivileged() ? Boolean.TRUE : null;
  }

  /** What the assurance policy needs to know of the subject. */
  public static SubjectProfile profile(HrStanding s) {
    IdentityType type = s.getIdentityType() == null ? IdentityType.UNKNOWN : s.getIdentityType();
    return new SubjectProfile(type, s.getPrivileged(), s.getRole());
  }

  /** Whether the subject is terminated as of {@code now} (a pending leaver whose time came is). */
  public static boolean terminated(HrStanding s, Instant now) {
    return s != null && StandingFold.at(s, now).getPhase() == HrPhase.TERMINATED;
  }

  /** Whether a leaver is pending as of {@code now}. */
  public static boolean leavePending(HrStanding s, Instant now) {
    return s != null && StandingFold.at(s, now).getPhase() == HrPhase.LEAVE_PENDING;
  }

  /** The level of the latest verification accepted, UNKNOWN when none was. */
  public static IdentityAssuranceLevel verifiedLevel(HrStanding s) {
    return s == null || s.getVerification() == null ? IdentityAssuranceLevel.UNKNOWN : s.getVerification().getLevel();
  }
}
