package io.authlifecycle.recovery;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.Proofing;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A lost device that left too little to re-bind: the mover's SYSTEM request has no evidence, so its
 * case waits for the help desk to proof the subject (AWAITING_PROOFING) instead of being refused.
 * The request with evidence that follows takes it over (SUPERSEDED, its losses carried into the new
 * case); unproofed, it expires at {@code recovery.proofing.deadline}.
 */
final class ProofingDecisions {

  static final String REQUESTED = "recovery.proofing.requested";
  static final String EXPIRED = "recovery.proofing.expired";
  static final String CANCELLED = "recovery.proofing.cancelled";

  private ProofingDecisions() {}

  /** Opens the waiting case, asks the help desk (and the manager) to proof the subject, and tells the subject. */
  static Decision<RecoverySubject> await(RecoveryRules rules, RecoverySubject s, RecoveryRequest request,
      EvidenceCheck.Verdict evidence, Instant now) {
    String subjectId = s.getSubjectId();
    String requestId = request.getRequestId();
    String causationId = request.getEventId();
    RecoveryCase c = RecoveryCase.newBuilder()
        .setRequestId(requestId)
        .setRequestEventId(request.getEventId())
        .setRequestTime(request.getEventTime())
        .setOpenedAt(now)
        .setRequesterId(request.getRequesterId())
        .setChannel(request.getChannel().name())
        .setReason(request.getReason().name())
        .setPrivileged(s.getPrivileged())
        .setQuorum(rules.quorum(s.getPrivileged()))
        .setIneligibleApprovers(new ArrayList<>(List.of(subjectId)))
        .setDeadline(now.plus(rules.proofingDeadline()))
        .setLostAuthenticatorIds(new ArrayList<>(request.getLostAuthenticatorIds()))
        .setLostChannels(new ArrayList<>(RecoverySubjects.lostChannels(s, request)))
        .setNotMeRef(RecoveryRecords.notMeRef(rules.worker(), subjectId, requestId))
        .setStatus(RecoveryCaseStatus.AWAITING_PROOFING)
        // No nonce: approvals are asked of the request with evidence that takes this case over.
        .setNonce(null)
        .build();
    RecoverySubjects.addCase(s, c);
    String message = "Recovery for " + subjectId + " (request " + requestId + "): a lost device left too little to "
        + "re-bind. Proof the subject's identity in person or remotely, then file a signed help-desk recovery request "
        + "with that evidence before " + c.getDeadline() + ".";
    List<SubjectNotification> asked = Proofing.request(rules.worker(), subjectId, s.getStanding().getManagerId(), message,
        causationId, RecoveryRecords.correlationId(subjectId, requestId), now);
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, requestId, REQUESTED, AuditOutcome.ESCALATED,
        Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "a lost device left too little to re-bind; the case waits for "
            + "identity proofing by the help desk (" + evidence.reason() + ")", causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND, PolicyRefs.CSF_CREDENTIALS_MANAGED));
    RecoveryRecords.detail(audit, "channel", c.getChannel());
    RecoveryRecords.detail(audit, "requesterId", c.getRequesterId());
    RecoveryRecords.detail(audit, "deadline", c.getDeadline().toString());
    RecoveryRecords.detail(audit, "level", evidence.level().name());
    RecoveryRecords.detail(audit, "lostAuthenticatorIds", String.join(",", c.getLostAuthenticatorIds()));
    RecoveryRecords.detail(audit, "notificationIds", String.join(",", asked.stream().map(SubjectNotification::getEventId).toList()));
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none()
        .schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.DEADLINE, requestId, c.getDeadline(), causationId))
        .audit(audit);
    asked.forEach(out::notify);
    return out.add(RecoveryRecords.notifySubject(rules.worker(), s, requestId, REQUESTED,
        "A device of yours was reported lost and your remaining sign-in factors are not enough to re-enroll. Contact "
            + "the help desk to prove your identity before " + c.getDeadline() + ". If this was not you, cancel with "
            + "reference " + c.getNotMeRef() + ".", c.getNotMeRef(), causationId, now));
  }

  /** Another system request while one waits: its losses join the waiting case; no second case, no second ask. */
  static Decision<RecoverySubject> join(RecoverySubject s, RecoveryCase waiting, RecoveryRequest request) {
    waiting.setLostAuthenticatorIds(union(waiting.getLostAuthenticatorIds(), request.getLostAuthenticatorIds()));
    waiting.setLostChannels(union(waiting.getLostChannels(), RecoverySubjects.lostChannels(s, request)));
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), waiting.getRequestId(), "recovery.proofing.joined",
        AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY, "system request " + request.getRequestId()
            + " joined the case already waiting for identity proofing", request.getEventId(),
        RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED));
    RecoveryRecords.detail(audit, "joinedRequestId", request.getRequestId());
    RecoveryRecords.detail(audit, "lostAuthenticatorIds", String.join(",", waiting.getLostAuthenticatorIds()));
    return Decision.<RecoverySubject>none().audit(audit);
  }

  /** The accepted request {@code by} took the waiting case over; the waiting case closes with a link to it. */
  static Decision<RecoverySubject> supersede(RecoverySubject s, RecoveryCase waiting, String by, String causationId,
      Instant now) {
    waiting.setSupersededBy(by);
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), waiting.getRequestId(), "recovery.superseded",
        AuditOutcome.COMPLETED, Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY, "identity proofed: request " + by
            + " carries the evidence and takes the case over", causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND));
    return CaseClosures.close(s, waiting, RecoveryCaseStatus.SUPERSEDED, "superseded by request " + by, now)
        .audit(RecoveryRecords.detail(audit, "supersededBy", by));
  }

  /** The proofing deadline passed with no request with evidence: the case expires, the subject and the help desk told. */
  static Decision<RecoverySubject> expire(RecoveryRules rules, RecoverySubject s, RecoveryCase c, TimerEntry timer,
      Instant now) {
    String subjectId = s.getSubjectId();
    String requestId = c.getRequestId();
    String causationId = timer.getCausationId();
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, requestId, EXPIRED, AuditOutcome.EXPIRED, Severity.MEDIUM,
        PolicyRefs.ACCOUNT_RECOVERY, "no help-desk request with evidence before the proofing deadline " + c.getDeadline(),
        causationId, RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND));
    return CaseClosures.close(s, c, RecoveryCaseStatus.EXPIRED, "not proofed before " + c.getDeadline(), now)
        .audit(audit)
        .add(helpDesk(rules, s, c, EXPIRED, "Recovery request " + requestId + " for " + subjectId + " expired: no "
            + "signed help-desk request with proofing evidence arrived before " + c.getDeadline() + ".", causationId, now))
        .add(RecoveryRecords.notifySubject(rules.worker(), s, requestId, EXPIRED, "Your account recovery after the "
            + "lost device expired: your identity was not proofed before " + c.getDeadline() + ". Contact the help desk "
            + "to start again.", c.getNotMeRef(), causationId, now));
  }

  /** The help desk's queue entry for the subject, which the help desk no longer needs to work on or must know of. */
  static Decision<RecoverySubject> helpDesk(RecoveryRules rules, RecoverySubject s, RecoveryCase c, String topic,
      String message, String causationId, Instant now) {
    String subjectId = s.getSubjectId();
    return Decision.<RecoverySubject>none().notify(Decisions.notification(rules.worker(), subjectId,
        RecipientRole.HELP_DESK, List.of(Channel.HELP_DESK), topic, message, causationId,
        RecoveryRecords.correlationId(subjectId, c.getRequestId()), now).build());
  }

  private static <T> List<T> union(List<T> first, Iterable<T> second) {
    Set<T> all = new LinkedHashSet<>(first);
    second.forEach(all::add);
    return new ArrayList<>(all);
  }
}
