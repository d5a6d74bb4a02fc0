package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.Optional;

/** How recovery cases end without a ticket: cancelled, denied, expired; and the recovery lock that cancels them. */
public final class CaseClosures {

  private CaseClosures() {}

  /** Marks a case closed and cancels the timers that would move it on. */
  static void close(RecoveryCase c, RecoveryCaseStatus status, String reason, Effects fx, Instant now) {
    c.setStatus(status);
    c.setClosedAt(now);
    c.setCloseReason(reason);
    fx.cancelTimer(CaseRecords.DEADLINE + c.getRequestId());
    fx.cancelTimer(CaseRecords.COOLING_OFF + c.getRequestId());
  }

  /** Cancels every open case of the subject: a leaver, a recovery lock, a change that makes recovery impossible. */
  public static void cancelOpenCases(RecoveryRules rules, SubjectState subject, Effects fx, String reason, String policyRef,
      String causationId, Instant now) {
    for (RecoveryCase c : subject.openCases()) {
      cancel(rules, subject, c, fx, reason, policyRef, causationId, now);
    }
  }

  static void cancel(RecoveryRules rules, SubjectState subject, RecoveryCase c, Effects fx, String reason, String policyRef,
      String causationId, Instant now) {
    close(c, RecoveryCaseStatus.CANCELLED, reason, fx, now);
    fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, ApprovalStatus.CANCELLED, causationId, now));
    fx.audit(CaseRecords.audit(subject.subjectId(), c.getRequestId(), "recovery.cancelled", AuditOutcome.CANCELLED,
        Severity.HIGH, policyRef, reason, causationId, CaseRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED)));
    CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), c.getRequestId(), "recovery.cancelled",
        "The recovery request " + c.getRequestId() + " for your account was cancelled: " + reason + ".",
        c.getNotMeRef(), causationId, now);
  }

  /** Any DENY from an eligible approver ends the request. */
  static void deny(RecoveryRules rules, SubjectState subject, RecoveryCase c, String approverId, Effects fx,
      String causationId, Instant now) {
    close(c, RecoveryCaseStatus.DENIED, "denied by " + approverId, fx, now);
    fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, ApprovalStatus.DENIED, causationId, now));
    fx.audit(CaseRecords.detail(CaseRecords.audit(subject.subjectId(), c.getRequestId(), "recovery.denied", AuditOutcome.REFUSED,
        Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "denied by approver " + approverId, causationId,
        CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE)), "approverId", approverId));
    CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), c.getRequestId(), "recovery.denied",
        "The recovery request " + c.getRequestId() + " for your account was denied by an approver.",
        c.getNotMeRef(), causationId, now);
  }

  /** The approval deadline passed: a case still waiting for approvals expires. */
  public static void deadlinePassed(RecoveryRules rules, SubjectState subject, String requestId, TimerEntry timer,
      Effects fx, Instant now) {
    Optional<RecoveryCase> found = subject.findCase(requestId);
    if (found.isEmpty() || found.get().getStatus() != RecoveryCaseStatus.AWAITING_APPROVAL) {
      return;
    }
    RecoveryCase c = found.get();
    close(c, RecoveryCaseStatus.EXPIRED, "no quorum before " + c.getDeadline(), fx, now);
    String causationId = timer.getCausationId();
    fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, ApprovalStatus.EXPIRED, causationId, now));
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), requestId, "recovery.expired", AuditOutcome.EXPIRED,
        Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY,
        c.getApprovals().size() + " of " + c.getQuorum() + " approvals before the deadline " + c.getDeadline(),
        causationId, CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    fx.audit(CaseRecords.detail(audit, "approvals", String.join(",", c.getApprovals())));
    CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), requestId, "recovery.expired",
        "The recovery request " + requestId + " for your account expired without the approvals it needed.",
        c.getNotMeRef(), causationId, now);
  }

  /** Over the rate limit: the subject is locked for recovery and every open request is cancelled. */
  static void lock(RecoveryRules rules, SubjectState subject, String requestId, int requests, Effects fx,
      String causationId, Instant now) {
    Instant until = now.plus(rules.lockDuration());
    subject.lockUntil(until);
    fx.schedule(CaseRecords.timer(subject.subjectId(), CaseRecords.UNLOCK, null, until, causationId));
    String reason = requests + " recovery requests within " + rules.rateLimitWindow() + " (limit " + rules.rateLimitRequests() + ")";
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), requestId, "recovery.locked", AuditOutcome.ESCALATED,
        Severity.HIGH, PolicyRefs.ACCOUNT_RECOVERY, reason, causationId,
        CaseRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED, PolicyRefs.CSF_LEAST_PRIVILEGE));
    fx.audit(CaseRecords.detail(audit, "lockedUntil", until.toString()));
    cancelOpenCases(rules, subject, fx, "subject locked for recovery after " + reason, PolicyRefs.ACCOUNT_RECOVERY, causationId, now);
    if (!subject.channels().isEmpty()) {
      CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), requestId, "recovery.locked",
          "Account recovery is locked until " + until + " after too many recovery requests. If these were not you, contact security.",
          null, causationId, now);
    }
  }

  /** The lock ran out. */
  public static void unlock(SubjectState subject, TimerEntry timer, Effects fx, Instant now) {
    if (subject.lockedUntil() == null || now.isBefore(subject.lockedUntil())) {
      return;
    }
    subject.lockUntil(null);
    fx.audit(Decisions.audit(subject.subjectId(), "recovery.unlocked", AuditOutcome.RECORDED,
            Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY, CaseRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason("recovery lock period ended").setCausationId(timer.getCausationId())
        .setCorrelationId(timer.getCorrelationId()));
  }
}
