package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
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
final class ApprovalDecisions {

  private ApprovalDecisions() {}

  /** A refused decision: its audit action and why. */
  enum Refusal {
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

  /** One signed decision on {@code s} (a working copy). */
  static Decision<RecoverySubject> decide(RecoveryRules rules, RecoverySubject s, ApprovalDecision decision, Instant now) {
    ApprovalVerifier.Result signature = rules.verifier()
        .verify(decision, RecoverySubjects.otherRequestIds(s, decision.getRequestId()));
    switch (signature.verdict()) {
      case UNSIGNED -> {
        return refuse(s, decision, Refusal.UNSIGNED, "the decision carries no signature");
      }
      case UNKNOWN_APPROVER -> {
        return refuse(s, decision, Refusal.UNKNOWN_APPROVER, decision.getApproverId() + " is not a registered approver");
      }
      case REPLAYED -> {
        return refuse(s, decision, Refusal.REPLAYED, "the signature was made for request "
            + signature.signedForRequest().orElse("?") + ", not " + decision.getRequestId());
      }
      case FORGED -> {
        return refuse(s, decision, Refusal.FORGED, "the signature does not verify under " + decision.getApproverId()
            + "'s registered key (wrong key or altered decision)");
      }
      default -> { }
    }
    Optional<RecoveryCase> found = RecoverySubjects.findCase(s, decision.getRequestId());
    if (found.isEmpty()) {
      return refuse(s, decision, Refusal.UNKNOWN_REQUEST, "no recovery request " + decision.getRequestId() + " for this subject");
    }
    RecoveryCase c = found.get();
    boolean awaiting = c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL || c.getStatus() == RecoveryCaseStatus.EXPIRED;
    if (awaiting && (now.isAfter(c.getDeadline()) || decision.getDecidedAt().isAfter(c.getDeadline()))) {
      return refuse(s, decision, Refusal.LATE, "decided at " + decision.getDecidedAt() + ", received " + now
          + ", after the deadline " + c.getDeadline());
    }
    if (!RecoverySubjects.isOpen(c)) {
      return refuse(s, decision, Refusal.CLOSED, "request " + c.getRequestId() + " is already " + c.getStatus());
    }
    String approver = decision.getApproverId();
    if (approver.equals(s.getSubjectId())) {
      return refuse(s, decision, Refusal.SELF, "the subject cannot approve its own recovery");
    }
    if (approver.equals(c.getRequesterId())) {
      return refuse(s, decision, Refusal.REQUESTER, "the requester cannot approve the request it made");
    }
    if (c.getIneligibleApprovers().contains(approver)) {
      return refuse(s, decision, Refusal.INELIGIBLE, approver + " is on the subject's own approver list");
    }
    if (decision.getDecision() == io.authlifecycle.avro.Decision.DENY) {
      return deny(rules, s, c, approver, decision.getEventId(), now);
    }
    return approve(rules, s, c, decision, now);
  }

  private static Decision<RecoverySubject> approve(RecoveryRules rules, RecoverySubject s, RecoveryCase c,
      ApprovalDecision decision, Instant now) {
    String subjectId = s.getSubjectId();
    String approver = decision.getApproverId();
    String causationId = decision.getEventId();
    if (c.getApprovals().contains(approver)) {
      return Decision.<RecoverySubject>none().audit(approvalAudit(s, decision, "approval.duplicate", AuditOutcome.RECORDED,
          Severity.LOW, approver + " already approved; an approver counts once"));
    }
    List<String> approvals = new ArrayList<>(c.getApprovals());
    approvals.add(approver);
    c.setApprovals(approvals);
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none().audit(approvalAudit(s, decision, "approval.counted",
        AuditOutcome.RECORDED, Severity.INFO, approvals.size() + " of " + c.getQuorum() + " distinct approvals"));
    if (c.getStatus() != RecoveryCaseStatus.AWAITING_APPROVAL) {
      return out;
    }
    if (approvals.size() < c.getQuorum()) {
      return out.add(RecoveryRecords.approvalRequest(rules.worker(), subjectId, c, ApprovalStatus.OPEN, causationId, now));
    }
    Instant endsAt = now.plus(rules.coolingOff(c.getPrivileged()));
    c.setStatus(RecoveryCaseStatus.COOLING_OFF);
    c.setCoolingOffEndsAt(endsAt);
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.approved", AuditOutcome.SCHEDULED,
        c.getPrivileged() ? Severity.MEDIUM : Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY,
        "quorum of " + c.getQuorum() + " reached; cooling-off until " + endsAt, causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    RecoveryRecords.detail(audit, "approvers", String.join(",", approvals));
    RecoveryRecords.detail(audit, "coolingOffEndsAt", endsAt.toString());
    return out.cancel(subjectId, RecoveryRecords.DEADLINE + c.getRequestId())
        .schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.COOLING_OFF, c.getRequestId(), endsAt, causationId))
        .add(RecoveryRecords.approvalRequest(rules.worker(), subjectId, c, ApprovalStatus.QUORUM_REACHED, causationId, now))
        .audit(audit)
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.approved",
            "The recovery of your sign-in factors was approved. New factors can be enrolled after " + endsAt
                + ". If this was not you, cancel it now with reference " + c.getNotMeRef() + ".",
            c.getNotMeRef(), causationId, now));
  }

  /** Any DENY from an eligible approver ends the request. */
  private static Decision<RecoverySubject> deny(RecoveryRules rules, RecoverySubject s, RecoveryCase c, String approverId,
      String causationId, Instant now) {
    String subjectId = s.getSubjectId();
    return CaseClosures.close(s, c, RecoveryCaseStatus.DENIED, "denied by " + approverId, now)
        .add(RecoveryRecords.approvalRequest(rules.worker(), subjectId, c, ApprovalStatus.DENIED, causationId, now))
        .audit(RecoveryRecords.detail(RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.denied",
            AuditOutcome.REFUSED, Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "denied by approver " + approverId,
            causationId, RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE)), "approverId", approverId))
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.denied",
            "The recovery request " + c.getRequestId() + " for your account was denied by an approver.",
            c.getNotMeRef(), causationId, now));
  }

  private static Decision<RecoverySubject> refuse(RecoverySubject s, ApprovalDecision decision, Refusal refusal,
      String reason) {
    return Decision.<RecoverySubject>none()
        .audit(approvalAudit(s, decision, refusal.action, AuditOutcome.REFUSED, refusal.severity, reason));
  }

  private static AuditEvent.Builder approvalAudit(RecoverySubject s, ApprovalDecision decision, String action,
      AuditOutcome outcome, Severity severity, String reason) {
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), decision.getRequestId(), action, outcome, severity,
        PolicyRefs.ACCOUNT_RECOVERY, reason, decision.getEventId(), RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    RecoveryRecords.detail(audit, "approverId", decision.getApproverId());
    RecoveryRecords.detail(audit, "decision", decision.getDecision().name());
    RecoveryRecords.detail(audit, "decidedAt", decision.getDecidedAt().toString());
    return audit;
  }
}
