package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.RequestStatement;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.binding.IndependentChannels;
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
 * A recovery request, with the channel of the topic it came on. First who made it: the channel
 * field must agree with the topic; a help-desk request must carry a valid signature of a
 * registered help-desk key, whose person is the requester; a self-service request is the
 * subject's. Then an OPEN request is refused (an id used before, locked, over the rate limit,
 * which locks the subject, not an active human, made by the subject through the help desk,
 * self-service for a privileged account, another request open, evidence too weak, no channel for
 * the "this wasn't me" path) or accepted as a case awaiting signed approvals, with a nonce every
 * approval must sign. A SYSTEM request without evidence is no attempt: it spends no rate-limit slot
 * and waits for proofing ({@link ProofingDecisions}), and the accepted request that follows takes its
 * case over. A CANCEL ends the open request it names.
 */
final class RequestDecisions {

  private RequestDecisions() {}

  /** Why a request was refused: the {@code rule} detail of its audit. */
  enum Refusal {
    CHANNEL_MISMATCH("channel-mismatch", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    UNSIGNED("unsigned", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    UNKNOWN_SIGNER("unknown-signer", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    SIGNATURE_INVALID("signature-invalid", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    REQUESTER_MISMATCH("requester-mismatch", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    REQUEST_ID_REUSED("request-id-reused", Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY),
    LOCKED("locked", Severity.HIGH, PolicyRefs.ACCOUNT_RECOVERY),
    RATE_LIMITED("rate-limit", Severity.HIGH, PolicyRefs.ACCOUNT_RECOVERY),
    UNKNOWN_SUBJECT("unknown-subject", Severity.MEDIUM, PolicyRefs.INVALIDATION),
    TERMINATED("terminated", Severity.HIGH, PolicyRefs.INVALIDATION),
    TERMINATION_PENDING("termination-pending", Severity.HIGH, PolicyRefs.INVALIDATION),
    SERVICE_IDENTITY("service-identity", Severity.HIGH, PolicyRefs.NHI_WORKLOAD_IDENTITY),
    NOT_HUMAN("not-human", Severity.MEDIUM, PolicyRefs.NHI_HUMAN_USE),
    REQUESTER_IS_SUBJECT("requester-is-subject", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE),
    SELF_SERVICE_PRIVILEGED("self-service-privileged", Severity.HIGH, PolicyRefs.OWASP_MFA_PRIVILEGED),
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

  /**
   * Who made a request, as the worker knows it: the signing agent (help desk), the subject
   * (self-service) or the mover (system, no HR subject). Separation of duties compares HR subjects.
   */
  record Requester(String personId, String hrSubjectId) {}

  /** One request on {@code s} (a working copy): who made it, then an OPEN or a CANCEL. */
  static Decision<RecoverySubject> onRequest(RecoveryRules rules, RecoverySubject s, ReceivedRequest received, Instant now) {
    RecoveryRequest request = received.request();
    if (received.channel() == RecoveryChannel.UNKNOWN) {
      return refuse(rules, s, received, null, Refusal.CHANNEL_MISMATCH, "the request came on no recovery request topic", now);
    }
    if (request.getChannel() != received.channel()) {
      return refuse(rules, s, received, null, Refusal.CHANNEL_MISMATCH, "the request says " + request.getChannel()
          + " but came on the " + received.channel() + " topic, which only the " + received.channel() + " channel writes", now);
    }
    Requester requester;
    switch (received.channel()) {
      case HELP_DESK -> {
        SignatureCheck.Result signature = rules.signatures().check(request.getSignatureEnvelope(), Role.HELP_DESK,
            person -> RequestStatement.canonicalBytes(request, person.personId()), RecoverySubjects.signCounters(s));
        if (signature.valid()) {
          RecoverySubjects.keepSignCount(s, request.getSignatureEnvelope().getKeyId(), signature.signCount());
        }
        Optional<Refusal> refusal = signatureRefusal(signature.verdict());
        if (refusal.isPresent()) {
          return refuse(rules, s, received, null, refusal.get(), "help-desk request " + reasonOf(signature), now);
        }
        requester = new Requester(signature.person().orElseThrow().personId(), signature.person().orElseThrow().hrSubjectId());
        if (!requester.personId().equals(request.getRequesterId())) {
          return refuse(rules, s, received, requester, Refusal.REQUESTER_MISMATCH, "signed by " + signature.person().orElseThrow()
              + " but names " + request.getRequesterId() + " as the requester", now);
        }
      }
      case SELF_SERVICE -> {
        if (!request.getRequesterId().equals(s.getSubjectId())) {
          return refuse(rules, s, received, null, Refusal.REQUESTER_MISMATCH, "a self-service request is the subject's own, "
              + "but names " + request.getRequesterId() + " as the requester", now);
        }
        requester = new Requester(s.getSubjectId(), s.getSubjectId());
      }
      default -> requester = new Requester(request.getRequesterId(), null);
    }
    return request.getKind() == RecoveryRequestKind.CANCEL
        ? cancel(rules, s, received, requester, now) : open(rules, s, received, requester, now);
  }

  /** An OPEN request from a known requester: the checks in the order the README lists them. */
  private static Decision<RecoverySubject> open(RecoveryRules rules, RecoverySubject s, ReceivedRequest received,
      Requester requester, Instant now) {
    RecoveryRequest request = received.request();
    if (RecoverySubjects.requestIdUsed(s, request.getRequestId())) {
      return refuse(rules, s, received, requester, Refusal.REQUEST_ID_REUSED, "request id " + request.getRequestId()
          + " was already used for this subject; a request id is never used twice", now);
    }
    RecoverySubjects.useRequestId(s, request.getRequestId());
    if (RecoverySubjects.lockedAt(s, now)) {
      return refuse(rules, s, received, requester, Refusal.LOCKED, "subject is locked for recovery until " + s.getLockedUntil(), now);
    }
    EvidenceCheck.Verdict evidence = EvidenceCheck.evaluate(request, s, rules.policy(), rules.evidenceMaxAge(), now);
    // The mover's request for a lost device carries no evidence: it waits for proofing and is no attempt of anyone's.
    boolean awaitsProofing = received.channel() == RecoveryChannel.SYSTEM && !evidence.sufficient();
    if (!awaitsProofing) {
      int requests = RecoverySubjects.countRequest(s, now, rules.rateLimitWindow());
      if (requests > rules.rateLimitRequests()) {
        return lock(rules, s, request, requests, now)
            .add(refuse(rules, s, received, requester, Refusal.RATE_LIMITED, requests + " requests within "
                + rules.rateLimitWindow() + " exceed the limit of " + rules.rateLimitRequests(), now));
      }
    }
    Optional<Refusal> standing = standingRefusal(RecoverySubjects.standing(s, now));
    if (standing.isPresent()) {
      return refuse(rules, s, received, requester, standing.get(), standingReason(standing.get()), now);
    }
    if (received.channel() == RecoveryChannel.HELP_DESK && s.getSubjectId().equals(requester.hrSubjectId())) {
      return refuse(rules, s, received, requester, Refusal.REQUESTER_IS_SUBJECT,
          "a help-desk request must come from someone other than the subject (" + requester.personId() + " is HR subject "
              + requester.hrSubjectId() + ")", now);
    }
    if (received.channel() == RecoveryChannel.SELF_SERVICE && s.getPrivileged()) {
      return refuse(rules, s, received, requester, Refusal.SELF_SERVICE_PRIVILEGED, "a privileged account cannot reset its own "
          + "factors; recovery must come through the help desk with approvals", now);
    }
    // A case waiting for proofing does not block: the request with evidence takes it over.
    List<RecoveryCase> open = RecoverySubjects.openCases(s).stream().filter(c -> !RecoverySubjects.awaitingProofing(c)).toList();
    if (!open.isEmpty()) {
      return refuse(rules, s, received, requester, Refusal.REQUEST_OPEN, "recovery request " + open.get(0).getRequestId()
          + " is still open", now);
    }
    Optional<RecoveryCase> waiting = RecoverySubjects.waitingCase(s);
    if (awaitsProofing && waiting.isPresent()) {
      return ProofingDecisions.join(s, waiting.get(), request);
    }
    if (!evidence.sufficient() && !awaitsProofing) {
      return refuse(rules, s, received, requester, Refusal.EVIDENCE_INSUFFICIENT, evidence.reason(), now);
    }
    if (s.getChannels().isEmpty()) {
      return refuse(rules, s, received, requester, Refusal.NO_NOTIFICATION_CHANNEL,
          "the subject has no registered channel for the recovery notice and its 'this wasn't me' path", now);
    }
    return awaitsProofing ? ProofingDecisions.await(rules, s, request, evidence, now)
        : accept(rules, s, received, requester, evidence, waiting, now);
  }

  /** Opens the case awaiting approvals; a case waiting for proofing is taken over, its losses carried into this one. */
  private static Decision<RecoverySubject> accept(RecoveryRules rules, RecoverySubject s, ReceivedRequest received,
      Requester requester, EvidenceCheck.Verdict evidence, Optional<RecoveryCase> waiting, Instant now) {
    RecoveryRequest request = received.request();
    String subjectId = s.getSubjectId();
    boolean privileged = s.getPrivileged();
    // HR subjects, compared with each approver key's HR subject: never the free-text ids of a record.
    Set<String> ineligible = new LinkedHashSet<>();
    ineligible.add(subjectId);
    if (requester.hrSubjectId() != null) {
      ineligible.add(requester.hrSubjectId());
    }
    if (rules.excludeSubjectApprovers()) {
      ineligible.addAll(s.getApprovers());
    }
    Set<String> lostIds = new LinkedHashSet<>(request.getLostAuthenticatorIds());
    Set<Channel> lostChannels = new LinkedHashSet<>(RecoverySubjects.lostChannels(s, request));
    waiting.ifPresent(w -> {
      lostIds.addAll(w.getLostAuthenticatorIds());
      lostChannels.addAll(w.getLostChannels());
    });
    RecoveryCase c = RecoveryCase.newBuilder()
        .setRequestId(request.getRequestId())
        .setRequestEventId(request.getEventId())
        .setRequestTime(request.getEventTime())
        .setOpenedAt(now)
        .setRequesterId(requester.personId())
        .setRequesterSubjectId(requester.hrSubjectId())
        .setChannel(received.channel().name())
        .setReason(request.getReason().name())
        .setPrivileged(privileged)
        .setQuorum(rules.quorum(privileged))
        .setIneligibleApprovers(new ArrayList<>(ineligible))
        .setDeadline(now.plus(rules.approvalDeadline()))
        .setLostAuthenticatorIds(new ArrayList<>(lostIds))
        .setEvidence(new ArrayList<>(request.getEvidence().stream().map(e -> e.getMethod() + (e.getReference() == null ? ""
            : " " + e.getReference()) + " " + e.getLevel() + " verified " + e.getVerifiedAt()).toList()))
        .setLostChannels(new ArrayList<>(lostChannels))
        .setNotMeRef(RecoveryRecords.notMeRef(rules.worker(), subjectId, request.getRequestId()))
        .setStatus(RecoveryCaseStatus.AWAITING_APPROVAL)
        .setApprovals(new ArrayList<>())
        .setApproverSubjectIds(new ArrayList<>())
        .setNonce(rules.nonces().get())
        .build();
    RecoverySubjects.addCase(s, c);
    String causationId = request.getEventId();
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.requested",
        AuditOutcome.REQUESTED, privileged ? Severity.MEDIUM : Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY,
        "awaiting " + c.getQuorum() + " signed approval(s); evidence: " + evidence.reason(), causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    RecoveryRecords.detail(audit, "channel", c.getChannel());
    RecoveryRecords.detail(audit, "requesterId", c.getRequesterId());
    if (c.getRequesterSubjectId() != null) {
      RecoveryRecords.detail(audit, "requesterSubjectId", c.getRequesterSubjectId());
    }
    RecoveryRecords.detail(audit, "quorum", String.valueOf(c.getQuorum()));
    RecoveryRecords.detail(audit, "deadline", c.getDeadline().toString());
    RecoveryRecords.detail(audit, "level", evidence.level().name());
    RecoveryRecords.detail(audit, "ineligibleApprovers", String.join(",", c.getIneligibleApprovers()));
    Decision<RecoverySubject> out = Decision.none();
    if (waiting.isPresent()) {
      RecoveryRecords.detail(audit, "supersedes", waiting.get().getRequestId());
      out.add(ProofingDecisions.supersede(s, waiting.get(), c.getRequestId(), causationId, now));
    }
    return out
        .schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.DEADLINE, c.getRequestId(), c.getDeadline(), causationId))
        .add(RecoveryRecords.approvalRequest(rules.worker(), s, c, ApprovalStatus.OPEN, causationId, now))
        .audit(audit)
        .add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.requested",
            "A recovery of your sign-in factors was requested through " + c.getChannel() + " by " + c.getRequesterId()
                + ". If this was not you, cancel it with reference " + c.getNotMeRef() + ".",
            c.getNotMeRef(), causationId, now));
  }

  /** Over the rate limit: the subject is locked for recovery and every open request is cancelled. */
  private static Decision<RecoverySubject> lock(RecoveryRules rules, RecoverySubject s, RecoveryRequest request,
      int requests, Instant now) {
    String subjectId = s.getSubjectId();
    String requestId = request.getRequestId();
    String causationId = request.getEventId();
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
          null, causationId, requestChannels(s, request), now));
    }
    return out;
  }

  /** A CANCEL names the open request by its id or by the "this wasn't me" reference; it ends the case at once. */
  private static Decision<RecoverySubject> cancel(RecoveryRules rules, RecoverySubject s, ReceivedRequest received,
      Requester requester, Instant now) {
    RecoveryRequest request = received.request();
    String subjectId = s.getSubjectId();
    Optional<RecoveryCase> open = RecoverySubjects.findOpenByReference(s, request.getRequestId());
    Optional<RecoveryCase> completed = RecoverySubjects.findCompletedByReference(s, request.getRequestId());
    if (open.isEmpty() && completed.isPresent()) {
      // Too late to cancel: the recovery happened. "This wasn't me" now means an intruder may hold the account.
      return TicketDecisions.disown(rules, s, completed.get(), request.getEventId(), request.getEventTime(),
          request.getRequesterId(), now);
    }
    if (open.isEmpty()) {
      return Decision.<RecoverySubject>none().audit(RecoveryRecords.detail(RecoveryRecords.audit(subjectId,
          request.getRequestId(), "recovery.cancel.ignored", AuditOutcome.RECORDED, Severity.LOW,
          PolicyRefs.ACCOUNT_NOTIFICATIONS, "no open recovery request " + request.getRequestId(), request.getEventId(),
          RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED)), "requesterId", requester.personId()));
    }
    String who = subjectId.equals(requester.hrSubjectId()) ? "the subject" : requester.personId();
    return CaseClosures.cancel(rules, s, open.get(), "cancelled by " + who + " through " + received.channel(),
        PolicyRefs.ACCOUNT_NOTIFICATIONS, request.getEventId(), now);
  }

  /** The subject's channels a notice about this request may use: none its lost device or factors may reach. */
  private static List<Channel> requestChannels(RecoverySubject s, RecoveryRequest request) {
    return IndependentChannels.avoiding(s.getChannels(), RecoverySubjects.lostChannels(s, request));
  }

  private static Optional<Refusal> signatureRefusal(SignatureCheck.Verdict verdict) {
    return switch (verdict) {
      case VALID -> Optional.empty();
      case UNSIGNED -> Optional.of(Refusal.UNSIGNED);
      case UNKNOWN_KEY, WRONG_ROLE -> Optional.of(Refusal.UNKNOWN_SIGNER);
      case UNSUPPORTED_SCHEME, INVALID -> Optional.of(Refusal.SIGNATURE_INVALID);
    };
  }

  private static String reasonOf(SignatureCheck.Result signature) {
    return switch (signature.verdict()) {
      case UNSIGNED -> "carries no signature; help-desk requests are signed by the agent's registered key";
      case INVALID -> "signature does not verify: " + signature.reason() + " (wrong key or altered request)";
      default -> "signature refused: " + signature.reason();
    };
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

  /**
   * A refused request, audited with the channel of its topic and, once known, the requester the
   * worker established; the claimed requester is kept when it is all there is or differs.
   */
  private static Decision<RecoverySubject> refuse(RecoveryRules rules, RecoverySubject s, ReceivedRequest received,
      Requester requester, Refusal refusal, String reason, Instant now) {
    RecoveryRequest request = received.request();
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), request.getRequestId(), "recovery.refused",
        AuditOutcome.REFUSED, refusal.severity, refusal.policyRef, reason, request.getEventId(),
        RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    RecoveryRecords.detail(audit, "rule", refusal.rule);
    RecoveryRecords.detail(audit, "channel", received.channel().name());
    if (request.getChannel() != received.channel()) {
      RecoveryRecords.detail(audit, "claimedChannel", request.getChannel().name());
    }
    if (requester != null) {
      RecoveryRecords.detail(audit, "requesterId", requester.personId());
      if (requester.hrSubjectId() != null) {
        RecoveryRecords.detail(audit, "requesterSubjectId", requester.hrSubjectId());
      }
    }
    if (requester == null || !requester.personId().equals(request.getRequesterId())) {
      RecoveryRecords.detail(audit, "claimedRequesterId", request.getRequesterId());
    }
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none().audit(audit);
    // An active human learns of every refused attempt on their account (OWASP: notify on recovery
    // attempts); a lock sends its own notice, once.
    boolean lockRelated = refusal == Refusal.LOCKED || refusal == Refusal.RATE_LIMITED;
    if (!lockRelated && RecoverySubjects.standing(s, now) == Standing.ELIGIBLE && !s.getChannels().isEmpty()) {
      out.add(RecoveryRecords.notifySubject(rules.worker(), s, request.getRequestId(), "recovery.refused",
          "A recovery request for your account was refused (" + refusal.rule
              + "). If this was not you, contact security.", null, request.getEventId(), requestChannels(s, request), now));
    }
    return out;
  }
}
