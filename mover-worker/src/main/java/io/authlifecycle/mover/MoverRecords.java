package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.MoverTicket;
import io.authlifecycle.avro.state.MoverTicketReason;
import io.authlifecycle.avro.state.MoverTicketStatus;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records the mover writes, each with its audit draft: factor commands (which also mark the
 * factor as requested, so later decisions see it), enrollment tickets, session termination,
 * notifications and recovery requests. They are added to the decision in the order decided.
 */
final class MoverRecords {

  /** Why: the causing event (or due time), and the lifecycle case it belongs to. */
  record Cause(String causationId, Instant causationTime, String correlationId) {}

  private final String worker;

  MoverRecords(String worker) {
    this.worker = worker;
  }

  String worker() {
    return worker;
  }

  /** Asks the IdP to change one factor (revoke, expire, suspend, resume), marks it and audits the request. */
  void change(Decision<MoverSubject> out, MoverSubject state, MoverFactor factor, CommandAction action, Cause cause,
      String reason, String policyRef, Severity severity, Instant now) {
    String id = factor.getAuthenticatorId();
    AuthenticatorCommand command = command(state, action, id, cause, reason, policyRef, now).setAuthenticatorId(id).build();
    out.command(command);
    MoverRequest request = switch (action) {
      case REVOKE_AUTHENTICATOR -> MoverRequest.REVOKE;
      case EXPIRE_AUTHENTICATOR -> MoverRequest.EXPIRE;
      case SUSPEND_AUTHENTICATOR -> MoverRequest.SUSPEND;
      case RESUME_AUTHENTICATOR -> MoverRequest.RESUME;
      default -> throw new IllegalArgumentException(action + " does not change one factor");
    };
    MoverSubjects.request(factor, request, command.getCommandId(), now);
    if (MoverSubjects.gone(factor) && state.getRebind() != null) {
      state.getRebind().getGraceUntil().remove(id);
    }
    int[] ocsf = Ocsf.classAndActivity(action);
    AuditEvent.Builder audit = about(audit(state, "mover.factor." + verb(action) + "-requested", AuditOutcome.REQUESTED,
        severity, policyRef, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause), factor)
        .setReason(reason).setCommandIds(List.of(command.getCommandId()));
    detail(audit, "ocsf.class_uid", ocsf[0]);
    detail(audit, "ocsf.activity_id", ocsf[1]);
    detail(audit, "ocsf.type_uid", ocsf[0] * 100 + ocsf[1]);
    if (factor.getDeviceId() != null) {
      detail(audit, "deviceId", factor.getDeviceId());
    }
    out.audit(audit);
  }

  /**
   * Issues one single-use REBIND ticket, delivered through the IdP portal, records it in the state
   * (so its use is checked and it is invalidated at expiry) and audits it; returns its id.
   */
  String ticket(Decision<MoverSubject> out, MoverSubject state, MoverTicketReason why, List<FactorType> allowed,
      Duration lifetime, Cause cause, String reason, String policyRef, Instant now) {
    TicketPurpose purpose = TicketPurpose.REBIND;
    String ticketId = TicketIds.derive(purpose, worker, cause.causationId(), "ticket", purpose.name());
    Instant expiresAt = now.plus(lifetime);
    EnrollmentTicket ticket = EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(purpose)
        .setAllowedFactorTypes(List.copyOf(allowed)).setNotBefore(now).setExpiresAt(expiresAt).setSingleUse(true)
        .setDeliveryChannel(Channel.IDP_PORTAL).build();
    AuthenticatorCommand command = command(state, CommandAction.ISSUE_ENROLLMENT_TICKET, purpose.name(), cause, reason,
        policyRef, now).setTicket(ticket).build();
    out.command(command);
    MoverSubjects.addTicket(state, MoverTicket.newBuilder().setTicketId(ticketId).setReason(why)
        .setCausationId(cause.causationId()).setCausationTime(cause.causationTime()).setCorrelationId(cause.correlationId())
        .setAllowedFactorTypes(List.copyOf(allowed)).setNotBefore(now).setExpiresAt(expiresAt)
        .setStatus(MoverTicketStatus.OPEN).setUsedBy(null).build());
    out.audit(audit(state, "mover.ticket.issue-requested", AuditOutcome.REQUESTED, Severity.INFO, policyRef,
        PolicyRefs.CSF_PROOFED_AND_BOUND, cause, "ticketId", ticketId, "purpose", purpose, "allowedFactorTypes", allowed,
        "expiresAt", expiresAt).setReason(reason).setCommandIds(List.of(command.getCommandId())));
    return ticketId;
  }

  /** Closes one of this worker's tickets at the IdP, naming it with the terms it was issued with. */
  AuthenticatorCommand invalidate(MoverSubject state, MoverTicket ticket, Cause cause, String reason, Instant now) {
    return command(state, CommandAction.INVALIDATE_TICKET, ticket.getTicketId(), cause, reason, PolicyRefs.INVALIDATION,
        now)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticket.getTicketId()).setPurpose(TicketPurpose.REBIND)
            .setAllowedFactorTypes(List.copyOf(ticket.getAllowedFactorTypes())).setNotBefore(ticket.getNotBefore())
            .setExpiresAt(ticket.getExpiresAt()).setSingleUse(true).setDeliveryChannel(Channel.IDP_PORTAL).build())
        .build();
  }

  void terminateSessions(Decision<MoverSubject> out, MoverSubject state, String discriminator, Cause cause,
      String reason, String policyRef, Severity severity, Instant now) {
    AuthenticatorCommand command = command(state, CommandAction.TERMINATE_SESSIONS, discriminator, cause, reason,
        policyRef, now).build();
    out.command(command);
    out.audit(audit(state, "mover.sessions.terminate-requested", AuditOutcome.REQUESTED, severity, policyRef,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).setReason(reason).setCommandIds(List.of(command.getCommandId())));
  }

  /** Tells the subject on {@code channels}, and audits that it did. */
  void notify(Decision<MoverSubject> out, MoverSubject state, List<Channel> channels, String topic, String message,
      Cause cause, Instant now) {
    notify(out, state, channels, topic, message, null, cause, now);
  }

  /** Tells the subject on {@code channels}, with a "this wasn't me" reference if given, and audits that it did. */
  void notify(Decision<MoverSubject> out, MoverSubject state, List<Channel> channels, String topic, String message,
      String notMeRef, Cause cause, Instant now) {
    out.notify(Decisions.notification(worker, state.getSubjectId(), RecipientRole.SUBJECT, List.copyOf(channels), topic,
        message, cause.causationId(), cause.correlationId(), now).setNotMeRef(notMeRef).build());
    out.audit(audit(state, "mover.subject.notified", AuditOutcome.NOTIFIED, Severity.INFO,
        PolicyRefs.ACCOUNT_NOTIFICATIONS, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "topic", topic, "channels", channels));
  }

  /** Files a recovery request for the subject (re-binding through approval), and audits it. */
  void recovery(Decision<MoverSubject> out, MoverSubject state, List<String> lost, Cause cause, String comment,
      Instant now) {
    String requestId = Ids.derive(worker, cause.causationId(), "recovery-request");
    out.send(Topics.SYSTEM_REQUESTS, state.getSubjectId(), RecoveryRequest.newBuilder()
        .setEventId(requestId).setEventTime(now).setRequestId(requestId).setKind(RecoveryRequestKind.OPEN)
        .setSubjectId(state.getSubjectId()).setChannel(RecoveryChannel.SYSTEM).setReason(RecoveryReason.DEVICE_LOST)
        .setRequesterId(worker).setLostAuthenticatorIds(List.copyOf(lost)).setCausationId(cause.causationId())
        .setComment(comment).build());
    out.audit(audit(state, "mover.recovery.requested", AuditOutcome.ESCALATED, Severity.MEDIUM,
        PolicyRefs.ACCOUNT_RECOVERY, PolicyRefs.CSF_LEAST_PRIVILEGE, cause, "requestId", requestId,
        "lostAuthenticatorIds", lost).setReason(comment));
  }

  private AuthenticatorCommand.Builder command(MoverSubject state, CommandAction action, String discriminator,
      Cause cause, String reason, String policyRef, Instant now) {
    return Decisions.command(worker, action, state.getSubjectId(), cause.causationId(), cause.causationTime(),
        cause.correlationId(), discriminator, reason, policyRef, now);
  }

  /** An audit draft with its cause, one control reference and details given as key, value, key, value... */
  static AuditEvent.Builder audit(MoverSubject state, String action, AuditOutcome outcome, Severity severity,
      String policyRef, String control, Cause cause, Object... details) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < details.length; i += 2) {
      map.put(String.valueOf(details[i]), String.valueOf(details[i + 1]));
    }
    return Decisions.audit(state.getSubjectId(), action, outcome, severity, policyRef, List.of(control))
        .setCausationId(cause.causationId())
        .setCorrelationId(cause.correlationId())
        .setDetails(map);
  }

  /** Names the factor an audit draft is about, with its OCSF factor type. */
  static AuditEvent.Builder about(AuditEvent.Builder audit, MoverFactor factor) {
    audit.setAuthenticatorId(factor.getAuthenticatorId()).setFactorType(factor.getFactorType());
    return detail(audit, "ocsf.auth_factor_type_id", Ocsf.factorTypeId(factor.getFactorType()));
  }

  static AuditEvent.Builder detail(AuditEvent.Builder audit, String key, Object value) {
    audit.getDetails().put(key, String.valueOf(value));
    return audit;
  }

  private static String verb(CommandAction action) {
    return switch (action) {
      case REVOKE_AUTHENTICATOR -> "revoke";
      case EXPIRE_AUTHENTICATOR -> "expire";
      case SUSPEND_AUTHENTICATOR -> "suspend";
      default -> "resume";
    };
  }
}
