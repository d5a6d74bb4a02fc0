package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
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

  private final Drafts drafts;
  private final JoinerConfig config;

  TicketTimers(Drafts drafts, JoinerConfig config) {
    this.drafts = drafts;
    this.config = config;
  }

  Outcome reminder(OnboardingCase onboarding, TimerEntry timer, Instant now) {
    Optional<JoinerTicket> open = openTicket(onboarding, timer);
    if (open.isEmpty()) {
      return Outcome.none();
    }
    JoinerTicket ticket = open.get();
    SubjectNotification notice = drafts.toSubject(onboarding,
            IndependentChannels.forReminder(onboarding.record().getChannels()), Actions.NOTIFY_TICKET_REMINDER,
            "Your enrollment ticket expires at " + ticket.getExpiresAt() + ". Use it through "
                + config.deliveryChannel() + " to set up your sign-in before then.",
            timer.getCausationId(), timer.getCorrelationId(), now)
        // One notification per reminder, so each of several reminders has its own id.
        .setEventId(Ids.derive(drafts.worker(), ticket.getTicketId(), timer.getKind()))
        .build();
    return Outcome.emitting()
        .notify(notice)
        .audit(drafts.audit(onboarding, Actions.TICKET_REMINDER, AuditOutcome.NOTIFIED, Severity.INFO, PolicyRefs.BINDING,
                timer.getCausationId(), timer.getCorrelationId())
            .setDetails(Map.of("ticketId", ticket.getTicketId(), "expiresAt", ticket.getExpiresAt().toString(),
                "before", timer.getAttributes().getOrDefault("before", ""), "notificationId", notice.getEventId())));
  }

  Outcome expiry(OnboardingCase onboarding, TimerEntry timer, Instant now) {
    Optional<JoinerTicket> open = openTicket(onboarding, timer);
    if (open.isEmpty()) {
      return Outcome.none();
    }
    JoinerTicket ticket = open.get();
    onboarding.closeTicket(ticket, JoinerTicketStatus.EXPIRED, null);
    onboarding.phase(JoinerPhase.TICKET_EXPIRED);
    // Timers have no event of their own: the ticket's HR event stays the cause, the due time its moment.
    AuthenticatorCommand command = drafts.invalidate(onboarding, ticket, ticket.getHrEventId(), timer.getDueAt(),
        timer.getCorrelationId(), "onboarding ticket expired unused", config.deliveryChannel(), now);
    SubjectNotification escalation = drafts.escalation(onboarding, Actions.NOTIFY_TICKET_EXPIRED,
        "The enrollment ticket of " + onboarding.subjectId() + " expired unused at " + ticket.getExpiresAt()
            + ". A new ticket needs a new identity verification event.",
        ticket.getHrEventId(), timer.getCorrelationId(), now).build();
    return Outcome.storing(onboarding)
        .cancelTimers(Actions.TICKET_TIMERS)
        .command(command)
        .notify(escalation)
        .audit(drafts.audit(onboarding, Actions.TICKET_EXPIRED, AuditOutcome.EXPIRED, Severity.MEDIUM,
                PolicyRefs.INVALIDATION, ticket.getHrEventId(), timer.getCorrelationId())
            .setReason("TICKET_UNUSED")
            .setCommandIds(List.of(command.getCommandId()))
            .setDetails(Map.of("ticketId", ticket.getTicketId(), "expiresAt", ticket.getExpiresAt().toString())))
        .audit(drafts.audit(onboarding, Actions.ESCALATED, AuditOutcome.ESCALATED, Severity.MEDIUM,
                PolicyRefs.BINDING, ticket.getHrEventId(), timer.getCorrelationId())
            .setReason("TICKET_UNUSED")
            .setDetails(Map.of("ticketId", ticket.getTicketId(), "notificationId", escalation.getEventId(),
                "recipient", escalation.getRecipient().name())));
  }

  private static Optional<JoinerTicket> openTicket(OnboardingCase onboarding, TimerEntry timer) {
    String ticketId = timer.getAttributes().get(Actions.TIMER_TICKET_ID);
    return ticketId == null ? Optional.empty()
        : onboarding.ticket(ticketId).filter(t -> t.getStatus() == JoinerTicketStatus.OPEN);
  }
}
