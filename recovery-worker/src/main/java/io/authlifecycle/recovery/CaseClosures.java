package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;

/**
 * How a recovery case ends without a ticket, shared by the decisions that end one: a case closed
 * (its timers cancelled), and a case cancelled (a leaver, a lock, the subject's "this wasn't me").
 * Each changes the given subject's case and returns what to emit.
 */
final class CaseClosures {

  private CaseClosures() {}

  /** Marks a case closed and cancels the timers that would move it on. */
  static Decision<RecoverySubject> close(RecoverySubject s, RecoveryCase c, RecoveryCaseStatus status, String reason,
      Instant now) {
    c.setStatus(status);
    c.setClosedAt(now);
    c.setCloseReason(reason);
    return Decision.<RecoverySubject>none()
        .cancel(s.getSubjectId(), RecoveryRecords.DEADLINE + c.getRequestId())
        .cancel(s.getSubjectId(), RecoveryRecords.COOLING_OFF + c.getRequestId());
  }

  /** Cancels every open case of the subject: a leaver, a recovery lock, a change that makes recovery impossible. */
  static Decision<RecoverySubject> cancelOpenCases(RecoveryRules rules, RecoverySubject s, String reason, String policyRef,
      String causationId, Instant now) {
    Decision<RecoverySubject> out = Decision.none();
    for (RecoveryCase c : RecoverySubjects.openCases(s)) {
      out.add(cancel(rules, s, c, reason, policyRef, causationId, now));
    }
    return out;
  }

  static Decision<RecoverySubject> cancel(RecoveryRules rules, RecoverySubject s, RecoveryCase c, String reason,
      String policyRef, String causationId, Instant now) {
    String subjectId = s.getSubjectId();
    // A case waiting for proofing was never put to approvers; the help desk asked to proof the subject is told instead.
    Decision<RecoverySubject> told = RecoverySubjects.awaitingProofing(c)
        ? ProofingDecisions.helpDesk(rules, s, c, ProofingDecisions.CANCELLED, "Recovery request " + c.getRequestId()
            + " for " + subjectId + " was cancelled (" + reason + "): no identity proofing is needed for it.", causationId, now)
        : RecoveryRecords.approvalRequest(rules.worker(), s, c, ApprovalStatus.CANCELLED, causationId, now);
    return close(s, c, RecoveryCaseStatus.CANCELLED, reason, now)
        .add(told)
        .audit(RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.cancelled", AuditOutcome.CANCELLED,
            Severity.HIGH, policyRef, reason, causationId, RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED)))
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.cancelled",
            "The recovery request " + c.getRequestId() + " for your account was cancelled: " + reason + ".",
            c.getNotMeRef(), causationId, now));
  }
}
