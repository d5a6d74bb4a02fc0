package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.hr.Proofing;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The joiner's commands, audit drafts, notifications and timer cancels, filled the same way by
 * every decision, and the names of its audit actions and notification topics.
 */
final class JoinerRecords {

  static final String TICKET_ISSUED = "enrollment.ticket.issued";
  static final String TICKET_SUPERSEDED = "enrollment.ticket.superseded";
  static final String REFUSED = "enrollment.refused";
  static final String NHI_REFUSED = "nhi.human.mfa.refused";
  static final String FACTOR_BOUND = "enrollment.factor.bound";
  static final String TICKET_REUSE = "ticket.reuse";
  static final String POLICY_VIOLATION = "enrollment.policy.violation";
  static final String BINDING_WITHOUT_TICKET = "enrollment.binding.without.ticket";
  static final String TICKET_REMINDER = "enrollment.ticket.reminder";
  static final String TICKET_EXPIRED = "enrollment.ticket.expired";
  static final String ESCALATED = "enrollment.escalated";
  static final String SECOND_FACTOR_REMINDER = "enrollment.second.factor.reminder";
  static final String SECOND_FACTOR_BOUND = "enrollment.second.factor.bound";
  static final String CASE_CLOSED = "enrollment.case.closed";
  static final String BINDING_ACCEPTED = "binding.accepted";
  static final String BINDING_POLICY_VIOLATION = "binding.policy.violation";

  static final String NOTIFY_PROOFING_NEEDED = Proofing.TOPIC;
  static final String NOTIFY_FACTOR_BOUND = "factor.bound";
  static final String NOTIFY_TICKET_REMINDER = "enrollment.ticket.reminder";
  static final String NOTIFY_TICKET_EXPIRED = "enrollment.ticket.expired";
  static final String NOTIFY_POLICY_VIOLATION = "enrollment.policy.violation";
  static final String NOTIFY_SECOND_FACTOR = "factor.second.reminder";
  static final String NOTIFY_FACTOR_REMOVED = "factor.removed";

  /** Onboarding decisions are about proofing and binding (CSF PR.AA-02). */
  static final List<String> PROOFED_AND_BOUND = List.of(PolicyRefs.CSF_PROOFED_AND_BOUND);

  /** Reminder kinds cancelled beyond the configured count: a shorter list after a configuration change leaves none behind. */
  static final int SPARE_REMINDER_KINDS = 8;

  private final String worker;
  private final List<String> ticketTimerKinds;

  JoinerRecords(JoinerRules rules) {
    this.worker = rules.worker();
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < rules.reminderOffsets().size() + SPARE_REMINDER_KINDS; i++) {
      kinds.add(JoinerDecisions.TICKET_REMINDER_TIMER + i);
    }
    kinds.add(JoinerDecisions.TICKET_EXPIRY_TIMER);
    this.ticketTimerKinds = List.copyOf(kinds);
  }

  String worker() {
    return worker;
  }

  /** The ticket id: derived from the HR event, so a replay gives the same ticket; it names its purpose. */
  String ticketId(String hrEventId) {
    return TicketIds.derive(TicketPurpose.ONBOARDING, worker, hrEventId, "enrollment-ticket", TicketPurpose.ONBOARDING.name());
  }

  /** The correlation id of everything that follows from one hire event. */
  static String hireCorrelationId(String subjectId, String hrEventId) {
    return "joiner:" + subjectId + ":" + hrEventId;
  }

  /**
   * Cancels every ticket timer of the subject kind by kind, with point lookups: a prefix scan on a
   * RocksDB store walks every deleted key that compaction has not removed yet.
   */
  Decision<JoinerCase> cancelTicketTimers(Decision<JoinerCase> out, String subjectId) {
    ticketTimerKinds.forEach(kind -> out.cancel(subjectId, kind));
    return out;
  }

  static AuditEvent.Builder audit(JoinerCase state, String action, AuditOutcome outcome, Severity severity,
      String policyRef, String causationId, String correlationId) {
    return Decisions.audit(state.getSubjectId(), action, outcome, severity, policyRef, PROOFED_AND_BOUND)
        .setCausationId(causationId)
        .setCorrelationId(correlationId);
  }

  /** Revokes one bound authenticator; the id is derived from the binding fact. */
  AuthenticatorCommand revoke(AuthenticatorBound bound, String correlationId, String reason, String policyRef,
      Instant now) {
    return Decisions.command(worker, CommandAction.REVOKE_AUTHENTICATOR, bound.getSubjectId(), bound.getEventId(),
        bound.getEventTime(), correlationId, bound.getAuthenticatorId(), reason, policyRef, now)
        .setAuthenticatorId(bound.getAuthenticatorId())
        .build();
  }

  /** Invalidates an onboarding ticket; the command names it through the ticket field, with the terms it was issued with. */
  AuthenticatorCommand invalidate(JoinerCase state, JoinerTicket ticket, String causationId, Instant causationTime,
      String correlationId, String reason, Channel deliveryChannel, Instant now) {
    return Decisions.command(worker, CommandAction.INVALIDATE_TICKET, state.getSubjectId(), causationId,
        causationTime, correlationId, ticket.getTicketId(), reason, PolicyRefs.INVALIDATION, now)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticket.getTicketId()).setPurpose(TicketPurpose.ONBOARDING)
            .setAllowedFactorTypes(ticket.getAllowedFactorTypes()).setNotBefore(ticket.getNotBefore())
            .setExpiresAt(ticket.getExpiresAt()).setSingleUse(true).setDeliveryChannel(deliveryChannel).build())
        .build();
  }

  /**
   * Asks for identity proofing: the help desk always (it runs in-person and remote proofing), the
   * manager as well when HR names one.
   */
  List<SubjectNotification> proofingRequest(JoinerCase state, String message, String causationId,
      String correlationId, Instant now) {
    return Proofing.request(worker, state.getSubjectId(), state.getManagerId(), message, causationId, correlationId, now);
  }

  /** Escalates to the manager, or to the help desk when HR names no manager. */
  SubjectNotification.Builder escalation(JoinerCase state, String topic, String message, String causationId,
      String correlationId, Instant now) {
    String managerId = state.getManagerId();
    return managerId == null || managerId.isBlank()
        ? toHelpDesk(state, topic, message, causationId, correlationId, now)
        : toManager(state, managerId, topic, message, causationId, correlationId, now);
  }

  /** Tells the subject on the given channels; with none usable, the escalation recipient is told instead. */
  SubjectNotification.Builder toSubject(JoinerCase state, List<Channel> channels, String topic, String message,
      String causationId, String correlationId, Instant now) {
    if (channels.isEmpty()) {
      return escalation(state, topic, message, causationId, correlationId, now);
    }
    return Decisions.notification(worker, state.getSubjectId(), RecipientRole.SUBJECT, channels, topic, message,
        causationId, correlationId, now);
  }

  SubjectNotification.Builder toHelpDesk(JoinerCase state, String topic, String message, String causationId,
      String correlationId, Instant now) {
    return Decisions.notification(worker, state.getSubjectId(), RecipientRole.HELP_DESK, List.of(Channel.HELP_DESK),
        topic, message, causationId, correlationId, now);
  }

  private SubjectNotification.Builder toManager(JoinerCase state, String managerId, String topic, String message,
      String causationId, String correlationId, Instant now) {
    return Decisions.notification(worker, state.getSubjectId(), RecipientRole.MANAGER, List.of(Channel.WORK_EMAIL),
        topic, message, causationId, correlationId, now).setRecipientId(managerId);
  }
}
