package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.recovery.RecoverySubjects.Standing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A new recovery request: refused (locked, over the rate limit, which locks the subject, not an
 * active human, self-service for a privileged account, another request open, evidence too weak,
 * no channel for the "this wasn't me" path) or accepted as a case awaiting signed approvals. Also
 * the subject's cancel.
 */
final class RequestDecisions {

  private RequestDecisions() {}

  /** Why a request was refused: the {@code rule} detail of its audit. */
  enum Refusal {
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

  /** An OPEN request on {@code s} (a working copy): the checks in the order the README lists them. */
  static Decision<RecoverySubject> open(RecoveryRules rules, RecoverySubject s, RecoveryRequest request, Instant now) {
    String subjectId = s.getSubjectId();
    if (RecoverySubjects.lockedAt(s, now)) {
      return refuse(rules, s, request, Refusal.LOCKED, "subject is locked for recovery until " + s.getLockedUntil(), now);
    }
    int requests = RecoverySubjects.countRequest(s, now, rules.rateLimitWindow());
    if (requests > rules.rateLimitRequests()) {
      return lock(rules, s, request.getRequestId(), requests, request.getEventId(), now)
          .add(refuse(rules, s, request, Refusal.RATE_LIMITED, requests + " requests within " + rules.rateLimitWindow()
              + " exceed the limit of " + rules.rateLimitRequests(), now));
    }
    Optional<Refusal> standing = standingRefusal(RecoverySubjects.standing(s, now));
    if (standing.isPresent()) {
      return refuse(rules, s, request, standing.get(), standingReason(standing.get()), now);
    }
    if (request.getChannel() == RecoveryChannel.HELP_DESK && request.getRequesterId().equals(subjectId)) {
      return refuse(rules, s, request, Refusal.REQUESTER_IS_SUBJECT,
          "a help-desk request must come from someone other than the subject", now);
    }
    if (request.getChannel() == RecoveryChannel.SELF_SERVICE && s.getPrivileged()) {
      return refuse(rules, s, request, Refusal.SELF_SERVICE_PRIVILEGED, "a privileged account cannot reset its own factors;"
          + " recovery must come through the help desk with approvals", now);
    }
    if (RecoverySubjects.findCase(s, request.getRequestId()).isPresent()) {
      return refuse(rules, s, request, Refusal.REQUEST_ID_REUSED, "request id " + request.getRequestId() + " was already used", now);
    }
    List<RecoveryCase> open = RecoverySubjects.openCases(s);
    if (!open.isEmpty()) {
      return refuse(rules, s, request, Refusal.REQUEST_OPEN, "recovery request " + open.get(0).getRequestId() + " is still open", now);
    }
    EvidenceCheck.Verdict evidence = EvidenceCheck.evaluate(request, s, rules.policy(), rules.evidenceMaxAge(), now);
    if (!evidence.sufficient()) {
      return refuse(rules, s, request, Refusal.EVIDENCE_INSUFFICIENT, evidence.reason(), now);
    }
    if (s.getChannels().isEmpty()) {
      return refuse(rules, s, request, Refusal.NO_NOTIFICATION_CHANNEL,
          "the subject has no registered channel for the recovery notice and its 'this wasn't me' path", now);
    }
    return accept(rules, s, request, evidence, now);
  }

  private static Decision<RecoverySubject> accept(RecoveryRules rules, RecoverySubject s, RecoveryRequest request,
      EvidenceCheck.Verdict evidence, Instant now) {
    String subjectId = s.getSubjectId();
    boolean privileged = s.getPrivileged();
    Set<String> ineligible = new LinkedHashSet<>(List.of(subjectId, request.getRequesterId()));
    if (rules.excludeSubjectApprovers()) {
      ineligible.addAll(s.getApprovers());
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
        .setNotMeRef(RecoveryRecords.notMeRef(rules.worker(), subjectId, request.getRequestId()))
        .setStatus(RecoveryCaseStatus.AWAITING_APPROVAL)
        .setApprovals(new ArrayList<>())
        .build();
    RecoverySubjects.addCase(s, c);
    String causationId = request.getEventId();
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.requested",
        AuditOutcome.REQUESTED, privileged ? Severity.MEDIUM : Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY,
        "awaiting " + c.getQuorum() + " signed approval(s); evidence: " + evidence.reason(), causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    RecoveryRecords.detail(audit, "channel", c.getChannel());
    RecoveryRecords.detail(audit, "requesterId", c.getRequesterId());
    RecoveryRecords.detail(audit, "quorum", String.valueOf(c.getQuorum()));
    RecoveryRecords.detail(audit, "deadline", c.getDeadline().toString());
    RecoveryRecords.detail(audit, "level", evidence.level().name());
    RecoveryRecords.detail(audit, "ineligibleApprovers", String.join(",", c.getIneligibleApprovers()));
    return Decision.<RecoverySubject>none()
        .schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.DEADLINE, c.getRequestId(), c.getDeadline(), causationId))
        .add(RecoveryRecords.approvalRequest(rules.worker(), subjectId, c, ApprovalStatus.OPEN, causationId, now))
        .audit(audit)
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.requested",
            "A recovery of your sign-in factors was requested through " + c.getChannel() + " by " + c.getRequesterId()
                + ". If this was not you, cancel it with reference " + c.getNotMeRef() + ".",
            c.getNotMeRef(), causationId, now));
  }

  /** Over the rate limit: the subject is locked for recovery and every open request is cancelled. */
  private static Decision<RecoverySubject> lock(RecoveryRules rules, RecoverySubject s, String requestId, int requests,
      String causationId, Instant now) {
    String subjectId = s.getSubjectId();
    Instant until = now.plus(rules.lockDuration());
    s.setLockedUntil(until);
    String reason = requests + " recovery requests within " + rules.rateLimitWindow() + " (limit " + rules.rateLimitRequests() + ")";
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, requestId, "recovery.locked", AuditOutcome.ESCALATED,
        Severity.HIGH, PolicyRefs.ACCOUNT_RECOVERY, reason, causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED, PolicyRefs.CSF_LEAST_PRIVILEGE));
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none()
        .schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.UNLOCK, null, until, causationId))
        .audit(RecoveryRecords.detail(audit, "lockedUntil", until.toString()))
        .add(CaseClosures.cancelOpenCases(rules, s, "subject locked for recovery after " + reason,
            PolicyRefs.ACCOUNT_RECOVERY, causationId, now));
    if (!s.getChannels().isEmpty()) {
      out.add(RecoveryRecords.notifySubject(rules.worker(), s, requestId, "recovery.locked",
          "Account recovery is locked until " + until + " after too many recovery requests. If these were not you, contact security.",
          null, causationId, now));
    }
    return out;
  }

  /** A CANCEL names the open request by its id or by the "this wasn't me" reference; it ends the case at once. */
  static Decision<RecoverySubject> cancel(RecoveryRules rules, RecoverySubject s, RecoveryRequest request, Instant now) {
    String subjectId = s.getSubjectId();
    Optional<RecoveryCase> open = RecoverySubjects.findOpenByReference(s, request.getRequestId());
    if (open.isEmpty()) {
      return Decision.<RecoverySubject>none().audit(RecoveryRecords.detail(RecoveryRecords.audit(subjectId,
          request.getRequestId(), "recovery.cancel.ignored", AuditOutcome.RECORDED, Severity.LOW,
          PolicyRefs.ACCOUNT_NOTIFICATIONS, "no open recovery request " + request.getRequestId(), request.getEventId(),
          RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED)), "requesterId", request.getRequesterId()));
    }
    String who = request.getRequesterId().equals(subjectId) ? "the subject" : request.getRequesterId();
    return CaseClosures.cancel(rules, s, open.get(), "cancelled by " + who + " through " + request.getChannel(),
        PolicyRefs.ACCOUNT_NOTIFICATIONS, request.getEventId(), now);
  }

  private static Optional<Refusal> standingRefusal(Standing standing) {
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

  private static Decision<RecoverySubject> refuse(RecoveryRules rules, RecoverySubject s, RecoveryRequest request,
      Refusal refusal, String reason, Instant now) {
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), request.getRequestId(), "recovery.refused",
        AuditOutcome.REFUSED, refusal.severity, refusal.policyRef, reason, request.getEventId(),
        RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    RecoveryRecords.detail(audit, "rule", refusal.rule);
    RecoveryRecords.detail(audit, "channel", request.getChannel().name());
    RecoveryRecords.detail(audit, "requesterId", request.getRequesterId());
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none().audit(audit);
    // An active human learns of every refused attempt on their account (OWASP: notify on recovery
    // attempts); a lock sends its own notice, once.
    boolean lockRelated = refusal == Refusal.LOCKED || refusal == Refusal.RATE_LIMITED;
    if (!lockRelated && RecoverySubjects.standing(s, now) == Standing.ELIGIBLE && !s.getChannels().isEmpty()) {
      out.add(RecoveryRecords.notifySubject(rules.worker(), s, request.getRequestId(), "recovery.refused",
          "A recovery request for your account was refused (" + refusal.rule
              + "). If this was not you, contact security.", null, request.getEventId(), now));
    }
    return out;
  }
}
