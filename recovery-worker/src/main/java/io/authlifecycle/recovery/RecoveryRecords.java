package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The records every recovery decision builds the same way: audit drafts, notifications, approval requests, timers. */
final class RecoveryRecords {

  /** Timer kinds; the request id follows the colon, one timer per (subject, kind). */
  static final String DEADLINE = "recovery.deadline:";
  static final String COOLING_OFF = "recovery.cooling-off:";
  static final String TICKET_EXPIRY = "recovery.ticket-expiry:";
  static final String UNLOCK = "recovery.unlock";

  private RecoveryRecords() {}

  static String correlationId(String subjectId, String requestId) {
    return "recovery:" + subjectId + ":" + requestId;
  }

  static String notMeRef(String worker, String subjectId, String requestId) {
    return "notme-" + Ids.derive(worker, "not-me", subjectId, requestId);
  }

  /** An audit draft about one request: correlation, causation, reason and the request id in the details. */
  static AuditEvent.Builder audit(String subjectId, String requestId, String action, AuditOutcome outcome,
      Severity severity, String policyRef, String reason, String causationId, List<String> controlRefs) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("requestId", requestId);
    return Decisions.audit(subjectId, action, outcome, severity, policyRef, controlRefs)
        .setReason(reason)
        .setCausationId(causationId)
        .setCorrelationId(correlationId(subjectId, requestId))
        .setDetails(details);
  }

  static AuditEvent.Builder detail(AuditEvent.Builder draft, String key, String value) {
    Map<String, String> details = new LinkedHashMap<>(draft.getDetails());
    details.put(key, value);
    return draft.setDetails(details);
  }

  static List<String> controls(String... refs) {
    return List.of(refs);
  }

  /**
   * A message to the subject on every registered channel but those the case's lost device or
   * factors may reach, with the "this wasn't me" reference, and its NOTIFIED audit (4.2.3, 4.6). Ids derive from (cause, topic, request) so a decision
   * touching several cases sends one message per case.
   */
  static Decision<RecoverySubject> notifySubject(String worker, RecoverySubject subject, String requestId, String topic,
      String message, String notMeRef, String causationId, Instant now) {
    return notifySubject(worker, subject, requestId, topic, message, notMeRef, causationId,
        RecoverySubjects.caseChannels(subject, requestId), now);
  }

  /** The same, on the given channels only; with none of them left, the work mailbox, which the organisation holds. */
  static Decision<RecoverySubject> notifySubject(String worker, RecoverySubject subject, String requestId, String topic,
      String message, String notMeRef, String causationId, List<Channel> on, Instant now) {
    String subjectId = subject.getSubjectId();
    List<Channel> channels = on.isEmpty() ? List.of(Channel.WORK_EMAIL) : List.copyOf(on);
    SubjectNotification notification = Decisions.notification(worker, subjectId, RecipientRole.SUBJECT, channels, topic,
            message, causationId, correlationId(subjectId, requestId), now)
        .setEventId(Ids.derive(worker, causationId, topic, requestId))
        .setNotMeRef(notMeRef)
        .build();
    AuditEvent.Builder audit = audit(subjectId, requestId, "recovery.subject-notified", AuditOutcome.NOTIFIED, Severity.INFO,
        PolicyRefs.RECOVERY_NOTIFICATION, topic, causationId, controls(PolicyRefs.CSF_CREDENTIALS_MANAGED));
    detail(audit, "notificationId", notification.getEventId());
    detail(audit, "channels", channels.toString());
    return Decision.<RecoverySubject>none().notify(notification).audit(audit);
  }

  /**
   * The current approval state of a case, for approvers' tooling, as a decision sends it, with the
   * nonce approvals sign, and what an approver weighs: the subject's role, the evidence, the factors on record.
   */
  static Decision<RecoverySubject> approvalRequest(String worker, RecoverySubject s, RecoveryCase c, ApprovalStatus status,
      String causationId, Instant now) {
    String subjectId = s.getSubjectId();
    ApprovalRequested request = ApprovalRequested.newBuilder()
        .setEventId(Ids.derive(worker, causationId, "approval-request", c.getRequestId(), status.name(),
            String.valueOf(c.getApprovals().size())))
        .setEventTime(now)
        .setRequestId(c.getRequestId())
        .setSubjectId(subjectId)
        .setRequesterId(c.getRequesterId())
        .setChannel(RecoveryChannel.valueOf(c.getChannel()))
        .setReason(RecoveryReason.valueOf(c.getReason()))
        .setPrivileged(c.getPrivileged())
        .setQuorum(c.getQuorum())
        .setIneligibleApprovers(new ArrayList<>(c.getIneligibleApprovers()))
        .setDeadline(c.getDeadline())
        .setLostAuthenticatorIds(new ArrayList<>(c.getLostAuthenticatorIds()))
        .setPolicyRef(PolicyRefs.CSF_LEAST_PRIVILEGE)
        .setStatus(status)
        .setApprovedBy(new ArrayList<>(c.getApprovals()))
        .setNonce(c.getNonce())
        .setOpenedAt(c.getOpenedAt())
        .setRequesterSubjectId(c.getRequesterSubjectId())
        .setSubjectRole(s.getRole())
        .setEvidence(new ArrayList<>(c.getEvidence()))
        .setFactorsOnRecord(s.getFactors().stream().map(f -> f.getAuthenticatorId() + " (" + f.getFactorType()
            + (f.getSuspended() ? ", suspended" : "") + ")").collect(java.util.stream.Collectors.toCollection(ArrayList::new)))
        .build();
    return Decision.<RecoverySubject>none().send(Topics.APPROVAL_REQUESTS, subjectId, request);
  }

  /** A timer of the subject; {@code kind} is one of the constants above, completed by the request id if any. */
  static TimerEntry timer(String subjectId, String kind, String requestId, Instant dueAt, String causationId) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (requestId != null) {
      attributes.put("requestId", requestId);
    }
    return TimerEntry.newBuilder().setOwner(subjectId).setKind(requestId == null ? kind : kind + requestId)
        .setDueAt(dueAt).setCausationId(causationId)
        .setCorrelationId(requestId == null ? "recovery:" + subjectId : correlationId(subjectId, requestId))
        .setAttributes(attributes).build();
  }
}
