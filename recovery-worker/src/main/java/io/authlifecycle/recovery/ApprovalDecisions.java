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
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A decision on recovery.approval-decisions.v1. It counts only if signed by a registered approver
 * key over exactly this case (its request id and the nonce minted when it opened), dated after the
 * case opened and before its deadline, by a person who is neither the subject, the requester nor
 * on the subject's approver list: persons are compared by the HR subject of their key, never by
 * the ids a record carries. Each person counts once; any DENY ends the request; reaching the
 * quorum starts the cooling-off.
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
    EARLY("approval.early", Severity.HIGH),
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
    Optional<RecoveryCase> found = RecoverySubjects.findCase(s, decision.getRequestId());
    if (found.isEmpty()) {
      return refuse(s, decision, null, Refusal.UNKNOWN_REQUEST, "no recovery request " + decision.getRequestId()
          + " for this subject");
    }
    RecoveryCase c = found.get();
    if (RecoverySubjects.awaitingProofing(c)) {
      return refuse(s, decision, null, Refusal.UNKNOWN_REQUEST, "request " + c.getRequestId() + " waits for identity "
          + "proofing, not for approvals; approvals go to the help-desk request with evidence that takes it over");
    }
    if (c.getNonce() == null) {
      return refuse(s, decision, null, Refusal.UNKNOWN_REQUEST, "request " + c.getRequestId() + " was opened before "
          + "approvals were bound to their case; it takes no signed decision");
    }
    ApprovalVerifier.Result signature = rules.verifier().verify(decision,
        new ApprovalVerifier.CaseRef(c.getRequestId(), c.getNonce()), RecoverySubjects.otherCases(s, c),
        RecoverySubjects.signCounters(s));
    if (signature.verdict() == ApprovalVerifier.Verdict.VALID) {
      RecoverySubjects.keepSignCount(s, decision.getSignatureEnvelope().getKeyId(), signature.signCount());
    }
    Person approver = signature.approver().orElse(null);
    Optional<Refusal> refusal = switch (signature.verdict()) {
      case VALID -> Optional.empty();
      case UNSIGNED, UNBOUND, UNSUPPORTED_SCHEME -> Optional.of(Refusal.UNSIGNED);
      case UNKNOWN_KEY, NOT_APPROVER -> Optional.of(Refusal.UNKNOWN_APPROVER);
      case REPLAYED -> Optional.of(Refusal.REPLAYED);
      case WRONG_PERSON, FORGED -> Optional.of(Refusal.FORGED);
    };
    if (refusal.isPresent()) {
      return refuse(s, decision, approver, refusal.get(), signature.reason());
    }
    boolean awaiting = c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL || c.getStatus() == RecoveryCaseStatus.EXPIRED;
    if (awaiting && (now.isAfter(c.getDeadline()) || decision.getDecidedAt().isAfter(c.getDeadline()))) {
      return refuse(s, decision, approver, Refusal.LATE, "decided at " + decision.getDecidedAt() + ", received " + now
          + ", after the deadline " + c.getDeadline());
    }
    if (decision.getDecidedAt().isBefore(c.getOpenedAt().minus(rules.approvalClockSkew()))) {
      return refuse(s, decision, approver, Refusal.EARLY, "decided at " + decision.getDecidedAt() + ", before the case opened at "
          + c.getOpenedAt() + " (allowing " + rules.approvalClockSkew() + " of clock skew)");
    }
    if (!RecoverySubjects.isOpen(c)) {
      return refuse(s, decision, approver, Refusal.CLOSED, "request " + c.getRequestId() + " is already " + c.getStatus());
    }
    if (approver.hrSubjectId().equals(s.getSubjectId())) {
      return refuse(s, decision, approver, Refusal.SELF, "the subject cannot approve its own recovery ("
          + approver + " is the subject)");
    }
    if (approver.hrSubjectId().equals(c.getRequesterSubjectId()) || approver.personId().equals(c.getRequesterId())) {
      return refuse(s, decision, approver, Refusal.REQUESTER, "the requester cannot approve the request it made ("
          + approver + " made it)");
    }
    if (c.getIneligibleApprovers().contains(approver.hrSubjectId())) {
      return refuse(s, decision, approver, Refusal.INELIGIBLE, approver + " is on the subject's own approver list");
    }
    if (decision.getDecision() == io.authlifecycle.avro.Decision.DENY) {
      return deny(rules, s, c, approver, decision.getEventId(), now);
    }
    return approve(rules, s, c, decision, approver, now);
  }

  private static Decision<RecoverySubject> approve(RecoveryRules rules, RecoverySubject s, RecoveryCase c,
      ApprovalDecision decision, Person approver, Instant now) {
    String subjectId = s.getSubjectId();
    String causationId = decision.getEventId();
    // A person counts once, whichever of their keys or ids signed.
    if (c.getApproverSubjectIds().contains(approver.hrSubjectId()) || c.getApprovals().contains(approver.personId())) {
      return Decision.<RecoverySubject>none().audit(approvalAudit(s, decision, approver, "approval.duplicate",
          AuditOutcome.RECORDED, Severity.LOW, approver.personId() + " already approved; a person counts once"));
    }
    List<String> approvals = new ArrayList<>(c.getApprovals());
    approvals.add(approver.personId());
    c.setApprovals(approvals);
    List<String> approverSubjects = new ArrayList<>(c.getApproverSubjectIds());
    approverSubjects.add(approver.hrSubjectId());
    c.setApproverSubjectIds(approverSubjects);
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none().audit(approvalAudit(s, decision, approver,
        "approval.counted", AuditOutcome.RECORDED, Severity.INFO,
        approvals.size() + " of " + c.getQuorum() + " distinct approvals"));
    if (c.getStatus() != RecoveryCaseStatus.AWAITING_APPROVAL) {
      return out;
    }
    if (approvals.size() < c.getQuorum()) {
      return out.add(RecoveryRecords.approvalRequest(rules.worker(), s, c, ApprovalStatus.OPEN, causationId, now));
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
        .add(RecoveryRecords.approvalRequest(rules.worker(), s, c, ApprovalStatus.QUORUM_REACHED, causationId, now))
        .audit(audit)
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.approved",
            "The recovery of your sign-in factors was approved. New factors can be enrolled after " + endsAt
                + ". If this was not you, cancel it now with reference " + c.getNotMeRef() + ".",
            c.getNotMeRef(), causationId, now));
  }

  /** Any DENY from an eligible approver ends the request. */
  private static Decision<RecoverySubject> deny(RecoveryRules rules, RecoverySubject s, RecoveryCase c, Person approver,
      String causationId, Instant now) {
    String subjectId = s.getSubjectId();
    String approverId = approver.personId();
    return CaseClosures.close(s, c, RecoveryCaseStatus.DENIED, "denied by " + approverId, now)
        .add(RecoveryRecords.approvalRequest(rules.worker(), s, c, ApprovalStatus.DENIED, causationId, now))
        .audit(RecoveryRecords.detail(RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.denied",
            AuditOutcome.REFUSED, Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "denied by approver " + approverId,
            causationId, RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE)), "approverId", approverId))
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.denied",
            "The recovery request " + c.getRequestId() + " for your account was denied by an approver.",
            c.getNotMeRef(), causationId, now));
  }

  private static Decision<RecoverySubject> refuse(RecoverySubject s, ApprovalDecision decision, Person approver,
      Refusal refusal, String reason) {
    return Decision.<RecoverySubject>none()
        .audit(approvalAudit(s, decision, approver, refusal.action, AuditOutcome.REFUSED, refusal.severity, reason));
  }

  /** The approver is the signing key's person once known; the id the record claims is kept when it differs. */
  private static AuditEvent.Builder approvalAudit(RecoverySubject s, ApprovalDecision decision, Person approver,
      String action, AuditOutcome outcome, Severity severity, String reason) {
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), decision.getRequestId(), action, outcome, severity,
        PolicyRefs.ACCOUNT_RECOVERY, reason, decision.getEventId(), RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    RecoveryRecords.detail(audit, "approverId", approver == null ? decision.getApproverId() : approver.personId());
    if (approver != null) {
      RecoveryRecords.detail(audit, "approverSubjectId", approver.hrSubjectId());
      if (!approver.personId().equals(decision.getApproverId())) {
        RecoveryRecords.detail(audit, "claimedApproverId", decision.getApproverId());
      }
    }
    RecoveryRecords.detail(audit, "decision", decision.getDecision().name());
    RecoveryRecords.detail(audit, "decidedAt", decision.getDecidedAt().toString());
    return audit;
  }
}
