package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.hr.Folded;
import io.authlifecycle.core.hr.HrChange;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.recovery.RecoverySubjects.Standing;
import java.time.Instant;

/**
 * HR events on a subject, read through lifecycle-core's one HR fold: the subject keeps the folded
 * standing; a leaver (or a change that ends eligibility) cancels the open requests, and a subject
 * made privileged holds its open requests to the privileged rules: a self-service one is cancelled
 * (a privileged account may not recover itself), any other needs the privileged quorum, so one
 * already in its cooling-off with fewer approvals goes back to waiting for them, and one with enough
 * waits the privileged cooling-off. What the fold refused or found stale changes nothing here.
 */
final class HrDecisions {

  private HrDecisions() {}

  /** Folds the event into {@code s} (a working copy) and decides what it means for the open requests. */
  static Decision<RecoverySubject> onWorkerEvent(RecoveryRules rules, RecoverySubject s, WorkerEvent event, Instant now) {
    Folded folded = StandingFold.fold(s.getStanding(), event, now, rules.standing());
    RecoverySubjects.takeStanding(s, folded.after());
    Standing standing = RecoverySubjects.standing(s, now);
    if (folded.has(HrChange.TERMINATED) || folded.has(HrChange.LEAVE_SCHEDULED)
        || folded.has(HrChange.LEAVE_RESCHEDULED)) {
      String when = standing == Standing.TERMINATION_PENDING
          ? "termination scheduled for " + s.getLeaverEffectiveAt() : "termination effective";
      return CaseClosures.cancelOpenCases(rules, s, "leaver (" + when + ")", PolicyRefs.INVALIDATION, event.getEventId(), now);
    }
    boolean applied = folded.changed() && folded.refusal().isEmpty();
    if (applied && standing != Standing.ELIGIBLE) {
      return CaseClosures.cancelOpenCases(rules, s, "subject is no longer eligible (" + standing + ")",
          PolicyRefs.INVALIDATION, event.getEventId(), now);
    } else if (applied && s.getPrivileged()) {
      return holdToPrivilegedRules(rules, s, event.getEventId(), now);
    }
    return Decision.none();
  }

  private static Decision<RecoverySubject> holdToPrivilegedRules(RecoveryRules rules, RecoverySubject s,
      String causationId, Instant now) {
    Decision<RecoverySubject> out = Decision.none();
    for (RecoveryCase c : RecoverySubjects.openCases(s)) {
      // A case waiting for proofing asks no approvals; the request that takes it over reads the privilege then.
      if (c.getPrivileged() || RecoverySubjects.awaitingProofing(c)) {
        continue;
      }
      if (RecoveryChannel.SELF_SERVICE.name().equals(c.getChannel())) {
        out.add(CaseClosures.cancel(rules, s, c, "the subject became privileged, and a privileged account may not "
            + "recover itself through self-service", PolicyRefs.ACCOUNT_RECOVERY, causationId, now));
      } else {
        out.add(raiseQuorum(rules, s, c, causationId, now));
      }
    }
    return out;
  }

  private static Decision<RecoverySubject> raiseQuorum(RecoveryRules rules, RecoverySubject s, RecoveryCase c,
      String causationId, Instant now) {
    Decision<RecoverySubject> out = Decision.none();
    String subjectId = s.getSubjectId();
    int previous = c.getQuorum();
    c.setPrivileged(true);
    c.setQuorum(Math.max(previous, rules.quorum(true)));
    String requestId = c.getRequestId();
    if (c.getStatus() == RecoveryCaseStatus.COOLING_OFF) {
      out.cancel(subjectId, RecoveryRecords.COOLING_OFF + requestId);
      if (c.getApprovals().size() < c.getQuorum()) {
        c.setStatus(RecoveryCaseStatus.AWAITING_APPROVAL);
        c.setCoolingOffEndsAt(null);
        out.schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.DEADLINE, requestId, c.getDeadline(), causationId));
      } else {
        Instant longer = now.plus(rules.coolingOff(true));
        c.setCoolingOffEndsAt(longer.isAfter(c.getCoolingOffEndsAt()) ? longer : c.getCoolingOffEndsAt());
        out.schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.COOLING_OFF, requestId, c.getCoolingOffEndsAt(),
            causationId));
      }
    }
    ApprovalStatus status = c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL
        ? ApprovalStatus.OPEN : ApprovalStatus.QUORUM_REACHED;
    out.add(RecoveryRecords.approvalRequest(rules.worker(), s, c, status, causationId, now));
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, requestId, "recovery.quorum.raised",
        AuditOutcome.RECORDED, Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "the subject became privileged while the "
            + "request was open: " + c.getQuorum() + " distinct approvals needed", causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    RecoveryRecords.detail(audit, "previousQuorum", String.valueOf(previous));
    RecoveryRecords.detail(audit, "quorum", String.valueOf(c.getQuorum()));
    RecoveryRecords.detail(audit, "approvals", String.join(",", c.getApprovals()));
    RecoveryRecords.detail(audit, "status", c.getStatus().name());
    return out.audit(audit);
  }
}
