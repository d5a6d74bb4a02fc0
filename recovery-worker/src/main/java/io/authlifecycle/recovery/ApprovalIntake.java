package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A decision on recovery.approval-decisions.v1. It counts only if signed by a registered approver
 * over exactly this request, before the deadline, by someone who is neither the subject, the
 * requester nor on the subject's approver list. Each approver counts once; any DENY ends the
 * request; reaching the quorum starts the cooling-off.
 */
public final class ApprovalIntake {

  private ApprovalIntake() {}

  /** A refused decision: its audit action and why. */
  public enum Refusal {
    UNSIGNED("approval.unsigned", Severity.HIGH),
    UNKNOWN_APPROVER("approval.unknown-approver", Severity.HIGH),
    FORGED("approval.forged", Severity.HIGH),
    REPLAYED("approval.replay", Severity.HIGH),
    UNKNOWN_REQUEST("approval.unknown-request", Severity.HIGH),
    LATE("approval.late", Severity.HIGH),
    CLOSED("approval.closed", Severity.MEDIUM),
    SELF("approval.self", Severity.HIGH),
    REQUESTER("approval.requester", Severity.HIGH),
    INELIGIBLE("approval.ineligible", Severity.HIGH);

    final String action;
    final Severity severity;

    Refusal(String action, Severity severity) {
      this.action = action;
      this.severity = severity;
    }
  }

  public static void decide(RecoveryRules rules, SubjectState subject, ApprovalDecision decision, Effects fx, Instant now) {
    ApprovalVerifier.Result signature = rules.verifier().verify(decision, subject.otherRequestIds(decision.getRequestId()));
    switch (signature.verdict()) {
      case UNSIGNED -> {
        refuse(subject, decision, Refusal.UNSIGNED, "the decision carries no signature", fx);
        return;
      }
      case UNKNOWN_APPROVER -> {
        refuse(subject, decision, Refusal.UNKNOWN_APPROVER, decision.getApproverId() + " is not a registered approver", fx);
        return;
      }
      case REPLAYED -> {
        refuse(subject, decision, Refusal.REPLAYED, "the signature was made for request "
            + signature.signedForRequest().orElse("?") + ", not " + decision.getRequestId(), fx);
        return;
      }
      case FORGED -> {
        refuse(subject, decision, Refusal.FORGED, "the signature does not verify under " + decision.getApproverId()
            + "'s registered key (wrong key or altered decision)", fx);
        return;
      }
      default -> { }
    }
    Optional<RecoveryCase> found = subject.findCase(decision.getRequestId());
    if (found.isEmpty()) {
      refuse(subject, decision, Refusal.UNKNOWN_REQUEST, "no recovery request " + decision.getRequestId() + " for this subject", fx);
      return;
    }
    RecoveryCase c = found.get();
    boolean awaiting = c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL || c.getStatus() == RecoveryCaseStatus.EXPIRED;
    if (awaiting && (now.isAfter(c.getDeadline()) || decision.getDecidedAt().isAfter(c.getDeadline()))) {
      refuse(subject, decision, Refusal.LATE, "decided at " + decision.getDecidedAt() + ", received " + now
          + ", after the deadline " + c.getDeadline(), fx);
      return;
    }
    if (!SubjectState.isOpen(c)) {
      refuse(subject, decision, Refusal.CLOSED, "request " + c.getRequestId() + " is already " + c.getStatus(), fx);
      return;
    }
    String approver = decision.getApproverId();
    if (approver.equals(subject.subjectId())) {
      refuse(subject, decision, Refusal.SELF, "the subject cannot approve its own recovery", fx);
      return;
    }
    if (approver.equals(c.getRequesterId())) {
      refuse(subject, decision, Refusal.REQUESTER, "the requester cannot approve the request it made", fx);
      return;
    }
    if (c.getIneligibleApprovers().contains(approver)) {
      refuse(subject, decision, Refusal.INELIGIBLE, approver + " is on the subject's own approver list", fx);
      return;
    }
    if (decision.getDecision() == Decision.DENY) {
      CaseClosures.deny(rules, subject, c, approver, fx, decision.getEventId(), now);
      return;
    }
    approve(rules, subject, c, decision, fx, now);
  }

  private static void approve(RecoveryRules rules, SubjectState subject, RecoveryCase c, ApprovalDecision decision,
      Effects fx, Instant now) {
    String approver = decision.getApproverId();
    String causationId = decision.getEventId();
    if (c.getApprovals().contains(approver)) {
      fx.audit(approvalAudit(subject, decision, "approval.duplicate", AuditOutcome.RECORDED, Severity.LOW,
          approver + " already approved; an approver counts once"));
      return;
    }
    List<String> approvals = new ArrayList<>(c.getApprovals());
    approvals.add(approver);
    c.setApprovals(approvals);
    fx.audit(approvalAudit(subject, decision, "approval.counted", AuditOutcome.RECORDED, Severity.INFO,
        approvals.size() + " of " + c.getQuorum() + " distinct approvals"));
    if (c.getStatus() != RecoveryCaseStatus.AWAITING_APPROVAL) {
      return;
    }
    if (approvals.size() < c.getQuorum()) {
      fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, ApprovalStatus.OPEN, causationId, now));
      return;
    }
    Instant endsAt = now.plus(rules.coolingOff(c.getPrivileged()));
    c.setStatus(RecoveryCaseStatus.COOLING_OFF);
    c.setCoolingOffEndsAt(endsAt);
    fx.cancelTimer(CaseRecords.DEADLINE + c.getRequestId());
    fx.schedule(CaseRecords.timer(subject.subjectId(), CaseRecords.COOLING_OFF, c.getRequestId(), endsAt, causationId));
    fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, ApprovalStatus.QUORUM_REACHED,
        causationId, now));
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), c.getRequestId(), "recovery.approved", AuditOutcome.SCHEDULED,
        c.getPrivileged() ? Severity.MEDIUM : Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY,
        "quorum of " + c.getQuorum() + " reached; cooling-off until " + endsAt, causationId,
        CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    CaseRecords.detail(audit, "approvers", String.join(",", approvals));
    CaseRecords.detail(audit, "coolingOffEndsAt", endsAt.toString());
    fx.audit(audit);
    CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), c.getRequestId(), "recovery.approved",
        "The recovery of your sign-in factors was approved. New factors can be enrolled after " + endsAt
            + ". If this was not you, cancel it now with reference " + c.getNotMeRef() + ".",
        c.getNotMeRef(), causationId, now);
  }

  private static void refuse(SubjectState subject, ApprovalDecision decision, Refusal refusal, String reason, Effects fx) {
    fx.audit(approvalAudit(subject, decision, refusal.action, AuditOutcome.REFUSED, refusal.severity, reason));
  }

  private static AuditEvent.Builder approvalAudit(SubjectState subject, ApprovalDecision decision, String action,
      AuditOutcome outcome, Severity severity, String reason) {
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), decision.getRequestId(), action, outcome, severity,
        PolicyRefs.ACCOUNT_RECOVERY, reason, decision.getEventId(), CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    CaseRecords.detail(audit, "approverId", decision.getApproverId());
    CaseRecords.detail(audit, "decision", decision.getDecision().name());
    CaseRecords.detail(audit, "decidedAt", decision.getDecidedAt().toString());
    return audit;
  }
}
