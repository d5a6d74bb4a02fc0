package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A new recovery request: refused (locked, over the rate limit, not an active human, self-service
 * for a privileged account, another request open, evidence too weak, no channel for the "this
 * wasn't me" path) or accepted as a case awaiting signed approvals. Also the subject's cancel.
 */
public final class RequestIntake {

  private RequestIntake() {}

  /** Why a request was refused: the {@code rule} detail of its audit. */
  public enum Refusal {
    LOCKED("locked", Severity.HIGH, PolicyRefs.ACCOUNT_RECOVERY),
    RATE_LIMITED("rate-limit", Severity.HIGH, PolicyRefs.ACCOUNT_RECOVERY),
    UNKNOWN_SUBJECT("unknown-subject", Severity.MEDIUM, PolicyRefs.INVALIDATION),
    TERMINATED("terminated", Severity.HIGH, PolicyRefs.INVALIDATION),
    TERMINATION_PENDING("termination-pending", Severity.HIGH, PolicyRefs.INVALIDATION),
    SERVICE_IDENTITY("service-identity", Severity.HIGH, PolicyRefs.NHI_WORKLOAD_IDENTITY),
    NOT_HUMAN("not-human", Severity.MEDIUM, PolicyRefs.NHI_HUMAN_USE),
    REQUESTER_IS_SUBJECT("requester-is-subject", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    SELF_SERVICE_PRIVILEGED("self-service-privileged", Severity.HIGH, PolicyRefs.OWASP_MFA_PRIVILEGED),
    REQUEST_ID_REUSED("request-id-reused", Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY),
    REQUEST_OPEN("request-open", Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY),
    EVIDENCE_INSUFFICIENT("evidence-insufficient", Severity.MEDIUM, PolicyRefs.RECOVERY_EVIDENCE),
    NO_NOTIFICATION_CHANNEL("no-notification-channel", Severity.MEDIUM, PolicyRefs.RECOVERY_NOTIFICATION);

    final String rule;
    final Severity severity;
    final String policyRef;

    Refusal(String rule, Severity severity, String policyRef) {
      this.rule = rule;
      this.severity = severity;
      this.policyRef = policyRef;
    }
  }

  public static void open(RecoveryRules rules, SubjectState subject, RecoveryRequest request, Effects fx, Instant now) {
    if (subject.lockedAt(now)) {
      refuse(rules, subject, request, Refusal.LOCKED, "subject is locked for recovery until " + subject.lockedUntil(), fx, now);
      return;
    }
    int requests = subject.countRequest(now, rules.rateLimitWindow());
    if (requests > rules.rateLimitRequests()) {
      CaseClosures.lock(rules, subject, request.getRequestId(), requests, fx, request.getEventId(), now);
      refuse(rules, subject, request, Refusal.RATE_LIMITED, requests + " requests within " + rules.rateLimitWindow()
          + " exceed the limit of " + rules.rateLimitRequests(), fx, now);
      return;
    }
    Optional<Refusal> standing = standingRefusal(subject.standing(now));
    if (standing.isPresent()) {
      refuse(rules, subject, request, standing.get(), standingReason(standing.get()), fx, now);
      return;
    }
    if (request.getChannel() == RecoveryChannel.HELP_DESK && request.getRequesterId().equals(subject.subjectId())) {
      refuse(rules, subject, request, Refusal.REQUESTER_IS_SUBJECT,
          "a help-desk request must come from someone other than the subject", fx, now);
      return;
    }
    if (request.getChannel() == RecoveryChannel.SELF_SERVICE && subject.privileged()) {
      refuse(rules, subject, request, Refusal.SELF_SERVICE_PRIVILEGED, "a privileged account cannot reset its own factors;"
          + " recovery must come through the help desk with approvals", fx, now);
      return;
    }
    if (subject.findCase(request.getRequestId()).isPresent()) {
      refuse(rules, subject, request, Refusal.REQUEST_ID_REUSED, "request id " + request.getRequestId() + " was already used", fx, now);
      return;
    }
    if (!subject.openCases().isEmpty()) {
      refuse(rules, subject, request, Refusal.REQUEST_OPEN,
          "recovery request " + subject.openCases().get(0).getRequestId() + " is still open", fx, now);
      return;
    }
    EvidenceCheck.Verdict evidence = EvidenceCheck.evaluate(request, subject, rules.policy(), rules.evidenceMaxAge(), now);
    if (!evidence.sufficient()) {
      refuse(rules, subject, request, Refusal.EVIDENCE_INSUFFICIENT, evidence.reason(), fx, now);
      return;
    }
    if (subject.channels().isEmpty()) {
      refuse(rules, subject, request, Refusal.NO_NOTIFICATION_CHANNEL,
          "the subject has no registered channel for the recovery notice and its 'this wasn't me' path", fx, now);
      return;
    }
    accept(rules, subject, request, evidence, fx, now);
  }

  private static void accept(RecoveryRules rules, SubjectState subject, RecoveryRequest request, EvidenceCheck.Verdict evidence,
      Effects fx, Instant now) {
    boolean privileged = subject.privileged();
    Set<String> ineligible = new LinkedHashSet<>(List.of(subject.subjectId(), request.getRequesterId()));
    if (rules.excludeSubjectApprovers()) {
      ineligible.addAll(subject.approverList());
    }
    RecoveryCase c = RecoveryCase.newBuilder()
        .setRequestId(request.getRequestId())
        .setRequestEventId(request.getEventId())
        .setRequestTime(request.getEventTime())
        .setOpenedAt(now)
        .setRequesterId(request.getRequesterId())
        .setChannel(request.getChannel().name())
        .setReason(request.getReason().name())
        .setPrivileged(privileged)
        .setQuorum(rules.quorum(privileged))
        .setIneligibleApprovers(new ArrayList<>(ineligible))
        .setDeadline(now.plus(rules.approvalDeadline()))
        .setLostAuthenticatorIds(new ArrayList<>(request.getLostAuthenticatorIds()))
        .setNotMeRef(CaseRecords.notMeRef(rules.worker(), subject.subjectId(), request.getRequestId()))
        .setStatus(RecoveryCaseStatus.AWAITING_APPROVAL)
        .setApprovals(new ArrayList<>())
        .build();
    subject.addCase(c);
    subject.pruneClosedCases();
    String causationId = request.getEventId();
    fx.schedule(CaseRecords.timer(subject.subjectId(), CaseRecords.DEADLINE, c.getRequestId(), c.getDeadline(), causationId));
    fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, ApprovalStatus.OPEN, causationId, now));
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), c.getRequestId(), "recovery.requested",
        AuditOutcome.REQUESTED, privileged ? Severity.MEDIUM : Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY,
        "awaiting " + c.getQuorum() + " signed approval(s); evidence: " + evidence.reason(), causationId,
        CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    CaseRecords.detail(audit, "channel", c.getChannel());
    CaseRecords.detail(audit, "requesterId", c.getRequesterId());
    CaseRecords.detail(audit, "quorum", String.valueOf(c.getQuorum()));
    CaseRecords.detail(audit, "deadline", c.getDeadline().toString());
    CaseRecords.detail(audit, "level", evidence.level().name());
    CaseRecords.detail(audit, "ineligibleApprovers", String.join(",", c.getIneligibleApprovers()));
    fx.audit(audit);
    CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), c.getRequestId(), "recovery.requested",
        "A recovery of your sign-in factors was requested through " + c.getChannel() + " by " + c.getRequesterId()
            + ". If this was not you, cancel it with reference " + c.getNotMeRef() + ".",
        c.getNotMeRef(), causationId, now);
  }

  /** A CANCEL names the open request by its id or by the "this wasn't me" reference; it ends the case at once. */
  public static void cancel(RecoveryRules rules, SubjectState subject, RecoveryRequest request, Effects fx, Instant now) {
    Optional<RecoveryCase> open = subject.findOpenByReference(request.getRequestId());
    if (open.isEmpty()) {
      fx.audit(CaseRecords.detail(CaseRecords.audit(subject.subjectId(), request.getRequestId(), "recovery.cancel.ignored",
          AuditOutcome.RECORDED, Severity.LOW, PolicyRefs.ACCOUNT_NOTIFICATIONS,
          "no open recovery request " + request.getRequestId(), request.getEventId(),
          CaseRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED)), "requesterId", request.getRequesterId()));
      return;
    }
    String who = request.getRequesterId().equals(subject.subjectId()) ? "the subject" : request.getRequesterId();
    CaseClosures.cancel(rules, subject, open.get(), fx, "cancelled by " + who + " through " + request.getChannel(),
        PolicyRefs.ACCOUNT_NOTIFICATIONS, request.getEventId(), now);
  }

  private static Optional<Refusal> standingRefusal(SubjectState.Standing standing) {
    return switch (standing) {
      case ELIGIBLE -> Optional.empty();
      case UNKNOWN_SUBJECT -> Optional.of(Refusal.UNKNOWN_SUBJECT);
      case TERMINATED -> Optional.of(Refusal.TERMINATED);
      case TERMINATION_PENDING -> Optional.of(Refusal.TERMINATION_PENDING);
      case SERVICE_IDENTITY -> Optional.of(Refusal.SERVICE_IDENTITY);
      case NOT_HUMAN -> Optional.of(Refusal.NOT_HUMAN);
    };
  }

  private static String standingReason(Refusal refusal) {
    return switch (refusal) {
      case UNKNOWN_SUBJECT -> "no HR record of the subject";
      case TERMINATED -> "the subject is terminated";
      case TERMINATION_PENDING -> "the subject's termination is pending";
      case SERVICE_IDENTITY -> "a service identity gets no human MFA recovery: use workload identity and short-lived credentials";
      default -> "the subject is not a known human identity";
    };
  }

  private static void refuse(RecoveryRules rules, SubjectState subject, RecoveryRequest request, Refusal refusal, String reason,
      Effects fx, Instant now) {
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), request.getRequestId(), "recovery.refused",
        AuditOutcome.REFUSED, refusal.severity, refusal.policyRef, reason, request.getEventId(),
        CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    CaseRecords.detail(audit, "rule", refusal.rule);
    CaseRecords.detail(audit, "channel", request.getChannel().name());
    CaseRecords.detail(audit, "requesterId", request.getRequesterId());
    fx.audit(audit);
    // An active human learns of every refused attempt on their account (OWASP: notify on recovery
    // attempts); a lock sends its own notice, once.
    boolean lockRelated = refusal == Refusal.LOCKED || refusal == Refusal.RATE_LIMITED;
    if (!lockRelated && subject.standing(now) == SubjectState.Standing.ELIGIBLE && !subject.channels().isEmpty()) {
      CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), request.getRequestId(),
          "recovery.refused", "A recovery request for your account was refused (" + refusal.rule
              + "). If this was not you, contact security.", null, request.getEventId(), now);
    }
  }
}
