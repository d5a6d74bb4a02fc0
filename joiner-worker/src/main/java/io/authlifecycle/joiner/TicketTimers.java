package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.binding.IndependentChannels;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An unused ticket: the subject is reminded before it expires; at expiry it is invalidated and
 * the manager hears that a new verification is needed. Timers of a ticket no longer open do nothing.
 */
final class TicketTimers {

  private final Channel deliveryChannel;
  private final JoinerRecords records;

  TicketTimers(JoinerRules rules, JoinerRecords records) {
    this.deliveryChannel = rules.deliveryChannel();
    this.records = records;
  }

  /** A reminder tells the subject and is audited; the case itself does not change. */
  Decision<JoinerCase> reminder(JoinerCase state, TimerEntry timer, Instant now) {
    Optional<JoinerTicket> open = openTicket(state, timer);
    if (open.isEmpty()) {
      return Decision.none();
    }
    JoinerTicket ticket = open.get();
    SubjectNotification notice = records.toSubject(state, IndependentChannels.forReminder(state.getChannels()),
            JoinerRecords.NOTIFY_TICKET_REMINDER, "Your enrollment ticket expires at " + ticket.getExpiresAt()
                + ". Use it through " + deliveryChannel + " to set up your sign-in before then.",
            timer.getCausationId(), timer.getCorrelationId(), now)
        // One notification per reminder, so each of several reminders has its own id.
        .setEventId(Ids.derive(records.worker(), ticket.getTicketId(), timer.getKind()))
        .build();
    return Decision.<JoinerCase>none()
        .notify(notice)
        .audit(JoinerRecords.audit(state, JoinerRecords.TICKET_REMINDER, AuditOutcome.NOTIFIED, Severity.INFO,
                PolicyRefs.BINDING, timer.getCausationId(), timer.getCorrelationId())
            .setDetails(Map.of("ticketId", ticket.getTicketId(), "expiresAt", ticket.getExpiresAt().toString(),
                "before", timer.getAttributes().getOrDefault("before", ""), "notificationId", notice.getEventId())));
  }

  Decision<JoinerCase> expiry(JoinerCase state, TimerEntry timer, Instant now) {
    Optional<JoinerTicket> open = openTicket(state, timer);
    if (open.isEmpty()) {
      return Decision.none();
    }
    JoinerTicket ticket = open.get();
    JoinerCases.closeTicket(ticket, JoinerTicketStatus.EXPIRED, null);
    state.setPhase(JoinerPhase.TICKET_EXPIRED);
    // Timers have no event of their own: the ticket's HR event stays the cause, the due time its moment.
    AuthenticatorCommand command = records.invalidate(state, ticket, ticket.getHrEventId(), timer.getDueAt(),
        timer.getCorrelationId(), "onboarding ticket expired unused", deliveryChannel, now);
    SubjectNotification escalation = records.escalation(state, JoinerRecords.NOTIFY_TICKET_EXPIRED,
        "The enrollment ticket of " + state.getSubjectId() + " expired unused at " + ticket.getExpiresAt()
            + ". A new ticket needs a new identity verification event.",
        ticket.getHrEventId(), timer.getCorrelationId(), now).build();
    return records.cancelTicketTimers(Decision.storing(state), state.getSubjectId())
        .command(command)
        .notify(escalation)
        .audit(JoinerRecords.audit(state, JoinerRecords.TICKET_EXPIRED, AuditOutcome.EXPIRED, Severity.MEDIUM,
                PolicyRefs.INVALIDATION, ticket.getHrEventId(), timer.getCorrelationId())
            .setReason("TICKET_UNUSED")
            .setCommandIds(List.of(command.getCommandId()))
            .setDetails(Map.of("ticketId", ticket.getTicketId(), "expiresAt", ticket.getExpiresAt().toString())))
        .audit(JoinerRecords.audit(state, JoinerRecords.ESCALATED, AuditOutcome.ESCALATED, Severity.MEDIUM,
                PolicyRefs.BINDING, ticket.getHrEventId(), timer.getCorrelationId())
            .setReason("TICKET_UNUSED")
            .setDetails(Map.of("ticketId", ticket.getTicketId(), "notificationId", escalation.getEventId(),
                "recipient", escalation.getRecipient().name())));
  }

  private static Optional<JoinerTicket> openTicket(JoinerCase state, TimerEntry timer) {
    String ticketId = timer.getAttributes().get(JoinerDecisions.TICKET_ID_ATTRIBUTE);
    return ticketId == null ? Optional.empty()
        : JoinerCases.ticket(state, ticketId).filter(t -> t.getStatus() == JoinerTicketStatus.OPEN);
  }
}
