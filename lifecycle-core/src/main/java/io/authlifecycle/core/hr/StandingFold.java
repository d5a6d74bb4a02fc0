package io.authlifecycle.core.hr;

import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.core.policy.AssurancePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reading of HR events every worker shares: {@code (standing, event, now, rules) → (new
 * standing, what changed)}, pure, with no Kafka types. A pending leaver whose effective time has
 * come is a termination before anything else is folded, so every worker, timer fired or not, reads
 * the same standing at the same time. The transition table is in lifecycle-core's README.
 */
public final class StandingFold {

  private StandingFold() {}

  /** A standing for a subject no HR event has been seen for. */
  public static HrStanding unknown() {
    return HrStanding.newBuilder().build();
  }

  /** Folds one HR event into {@code stored} (null: never seen). */
  public static Folded fold(HrStanding stored, WorkerEvent event, Instant now, StandingRules rules) {
    HrStanding before = stored == null ? unknown() : stored;
    HrStanding s = HrStanding.newBuilder(before).build();
    List<HrChange> changes = new ArrayList<>();
    catchUp(s, now, changes);
    Refusal refusal = switch (event.getType()) {
      case LEAVER -> leaver(s, event, now, changes);
      case LEAVER_CANCELLED -> cancel(s, event, changes);
      case JOINER, MOVER -> hireOrMove(s, event, now, changes);
      case REHIRE -> rehire(s, event, now, rules, changes);
      default -> null;
    };
    return new Folded(before, s, changes, refusal);
  }

  /** Time passed with no event: a pending leaver whose effective time has come terminates the subject. */
  public static Folded advance(HrStanding stored, Instant now) {
    HrStanding before = stored == null ? unknown() : stored;
    HrStanding s = HrStanding.newBuilder(before).build();
    List<HrChange> changes = new ArrayList<>();
    catchUp(s, now, changes);
    return new Folded(before, s, changes, null);
  }

  /** The standing as of {@code now}: what every worker reads, whether or not its own timer has fired. */
  public static HrStanding at(HrStanding stored, Instant now) {
    return advance(stored, now).after();
  }

  private static void catchUp(HrStanding s, Instant now, List<HrChange> changes) {
    if (s.getPhase() == HrPhase.LEAVE_PENDING && s.getLeave() != null && !s.getLeave().getEffectiveTime().isAfter(now)) {
      terminate(s, changes);
    }
  }

  private static Refusal leaver(HrStanding s, WorkerEvent e, Instant now, List<HrChange> changes) {
    if (s.getPhase() == HrPhase.TERMINATED) {
      changes.add(HrChange.ALREADY_TERMINATED);
      return null;
    }
    HrLeave next = HrLeave.newBuilder().setEventId(e.getEventId()).setEventTime(e.getEventTime())
        .setEffectiveTime(e.getEffectiveTime()).setImmediate(e.getImmediate()).setForCause(e.getForCause()).build();
    HrLeave pending = s.getPhase() == HrPhase.LEAVE_PENDING ? s.getLeave() : null;
    boolean due = next.getImmediate() || next.getForCause() || !next.getEffectiveTime().isAfter(now);
    if (pending != null && e.getEventTime().isBefore(pending.getEventTime()) && !due
        && !next.getEffectiveTime().isBefore(pending.getEffectiveTime())) {
      changes.add(HrChange.RESCHEDULE_REFUSED);
      return Refusal.OLDER_RECORD_CANNOT_POSTPONE;
    }
    // A leaver applies even when older than the last event applied: fail towards revocation.
    s.setLeave(next);
    applied(s, e);
    if (due) {
      terminate(s, changes);
    } else {
      s.setPhase(HrPhase.LEAVE_PENDING);
      changes.add(pending == null ? HrChange.LEAVE_SCHEDULED : HrChange.LEAVE_RESCHEDULED);
    }
    return null;
  }

  private static Refusal cancel(HrStanding s, WorkerEvent e, List<HrChange> changes) {
    if (s.getPhase() != HrPhase.LEAVE_PENDING || stale(s, e)) {
      changes.add(HrChange.CANCEL_REFUSED);
      return s.getPhase() == HrPhase.TERMINATED ? Refusal.ALREADY_TERMINATED
          : s.getPhase() == HrPhase.LEAVE_PENDING ? Refusal.STALE_EVENT : Refusal.NOTHING_PENDING;
    }
    dropLeave(s, changes);
    applied(s, e);
    return null;
  }

  private static Refusal hireOrMove(HrStanding s, WorkerEvent e, Instant now, List<HrChange> changes) {
    if (s.getPhase() == HrPhase.TERMINATED) {
      changes.add(HrChange.REOPEN_REFUSED);
      return e.getType() == WorkerEventType.JOINER ? Refusal.JOINER_DOES_NOT_REOPEN : Refusal.MOVER_DOES_NOT_REOPEN;
    }
    if (stale(s, e)) {
      changes.add(HrChange.STALE);
      return Refusal.STALE_EVENT;
    }
    activate(s, changes);
    take(s, e, now, changes);
    return null;
  }

  private static Refusal rehire(HrStanding s, WorkerEvent e, Instant now, StandingRules rules, List<HrChange> changes) {
    if (s.getPhase() == HrPhase.TERMINATED) {
      Refusal refusal = reopenRefusal(s, e, now, rules);
      if (refusal != null) {
        changes.add(HrChange.REOPEN_REFUSED);
        return refusal;
      }
      s.setPhase(HrPhase.ACTIVE);
      s.setLeave(null);
      s.setTerminatedAt(null);
      changes.add(HrChange.REOPENED);
    } else if (stale(s, e)) {
      changes.add(s.getPhase() == HrPhase.LEAVE_PENDING ? HrChange.CANCEL_REFUSED : HrChange.STALE);
      return Refusal.STALE_EVENT;
    } else if (s.getPhase() == HrPhase.LEAVE_PENDING) {
      dropLeave(s, changes);
    }
    activate(s, changes);
    take(s, e, now, changes);
    return null;
  }

  /**
   * Why a REHIRE may not reopen a terminated subject, or null if it may: it must carry a
   * verification at the level the rehired role needs, not dated in the future, newer than the
   * termination and no older than the maximum age.
   */
  static Refusal reopenRefusal(HrStanding s, WorkerEvent e, Instant now, StandingRules rules) {
    if (stale(s, e)) {
      return Refusal.STALE_EVENT;
    }
    HrStanding rehired = HrStanding.newBuilder(s).build();
    profile(rehired, e, new ArrayList<>());
    IdentityVerification v = e.getIdentityVerification();
    switch (rules.policy().checkVerification(v, Standings.profile(rehired))) {
      case IDENTITY_NOT_VERIFIED:
        return Refusal.IDENTITY_NOT_VERIFIED;
      case VERIFICATION_TOO_WEAK:
        return Refusal.VERIFICATION_TOO_WEAK;
      default:
        break;
    }
    Instant verifiedAt = v.getVerifiedAt();
    if (verifiedAt.isAfter(now)) {
      return Refusal.VERIFICATION_IN_THE_FUTURE;
    }
    if (s.getTerminatedAt() != null && !verifiedAt.isAfter(s.getTerminatedAt())) {
      return Refusal.VERIFICATION_BEFORE_TERMINATION;
    }
    if (verifiedAt.isBefore(now.minus(rules.maxVerificationAge()))) {
      return Refusal.VERIFICATION_TOO_OLD;
    }
    return null;
  }

  private static void terminate(HrStanding s, List<HrChange> changes) {
    HrLeave leave = s.getLeave();
    boolean atOnce = leave.getImmediate() || leave.getForCause() || leave.getEffectiveTime().isBefore(leave.getEventTime());
    s.setPhase(HrPhase.TERMINATED);
    s.setTerminatedAt(atOnce ? leave.getEventTime() : leave.getEffectiveTime());
    changes.add(HrChange.TERMINATED);
  }

  private static void dropLeave(HrStanding s, List<HrChange> changes) {
    s.setPhase(HrPhase.ACTIVE);
    s.setLeave(null);
    changes.add(HrChange.LEAVE_CANCELLED);
  }

  private static void activate(HrStanding s, List<HrChange> changes) {
    if (s.getPhase() == HrPhase.UNKNOWN) {
      s.setPhase(HrPhase.ACTIVE);
      changes.add(HrChange.ACTIVATED);
    }
  }

  /** Takes what a JOINER, MOVER or REHIRE says about the subject and its verification. */
  private static void take(HrStanding s, WorkerEvent e, Instant now, List<HrChange> changes) {
    profile(s, e, changes);
    verification(s, e.getIdentityVerification(), now, changes);
    applied(s, e);
  }

  /** Fields the event does not state (null, UNKNOWN, empty) leave the standing's as they are. */
  private static void profile(HrStanding s, WorkerEvent e, List<HrChange> changes) {
    if (e.getIdentityType() != null && e.getIdentityType() != IdentityType.UNKNOWN
        && e.getIdentityType() != s.getIdentityType()) {
      s.setIdentityType(e.getIdentityType());
      add(changes, HrChange.PROFILE_CHANGED);
    }
    if (e.getRole() != null && !e.getRole().equals(s.getRole())) {
      s.setRole(e.getRole());
      changes.add(HrChange.ROLE_CHANGED);
    }
    Boolean privileged = Standings.statedPrivileged(e);
    if (privileged != null && privileged != s.getPrivileged()) {
      s.setPrivileged(privileged);
      changes.add(privileged ? HrChange.PRIVILEGE_RAISED : HrChange.PRIVILEGE_LOWERED);
    }
    if (e.getManagerId() != null && !e.getManagerId().isBlank() && !e.getManagerId().equals(s.getManagerId())) {
      s.setManagerId(e.getManagerId());
      add(changes, HrChange.PROFILE_CHANGED);
    }
    if (!e.getChannels().isEmpty() && !e.getChannels().equals(s.getChannels())) {
      s.setChannels(new ArrayList<>(e.getChannels()));
      add(changes, HrChange.PROFILE_CHANGED);
    }
    if (!e.getApprovers().isEmpty() && !e.getApprovers().equals(s.getApprovers())) {
      s.setApprovers(new ArrayList<>(e.getApprovers()));
      add(changes, HrChange.PROFILE_CHANGED);
    }
  }

  /** The latest verification by its time; one dated in the future, or not a verification at all, is not taken. */
  private static void verification(HrStanding s, IdentityVerification v, Instant now, List<HrChange> changes) {
    if (!AssurancePolicy.isVerification(v) || v.getVerifiedAt().isAfter(now)) {
      return;
    }
    IdentityVerification held = s.getVerification();
    if (held != null && (v.getVerifiedAt().isBefore(held.getVerifiedAt())
        || v.getVerificationId().equals(held.getVerificationId()))) {
      return;
    }
    s.setVerification(IdentityVerification.newBuilder(v).build());
    changes.add(HrChange.VERIFICATION_ACCEPTED);
  }

  /** A JOINER, MOVER, REHIRE or LEAVER_CANCELLED older than the latest HR event applied changes nothing. */
  private static boolean stale(HrStanding s, WorkerEvent e) {
    return s.getLastEventTime() != null && e.getEventTime().isBefore(s.getLastEventTime());
  }

  private static void applied(HrStanding s, WorkerEvent e) {
    if (s.getLastEventTime() == null || !e.getEventTime().isBefore(s.getLastEventTime())) {
      s.setLastEventTime(e.getEventTime());
      s.setLastEventId(e.getEventId());
    }
  }

  private static void add(List<HrChange> changes, HrChange change) {
    if (!changes.contains(change)) {
      changes.add(change);
    }
  }
}
