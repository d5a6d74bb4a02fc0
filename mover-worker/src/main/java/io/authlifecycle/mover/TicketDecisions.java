package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverRebindCase;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.MoverTicket;
import io.authlifecycle.avro.state.MoverTicketReason;
import io.authlifecycle.avro.state.MoverTicketStatus;
import io.authlifecycle.core.binding.IndependentChannels;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.mover.MoverRecords.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The mover's REBIND tickets, the one decider on bindings made under them: a binding under an
 * open ticket of this worker, inside its window and of a type the ticket and today's policy allow,
 * is the replacement (the ticket is spent and closed at the IdP, the subject told on an independent
 * channel); any other binding under a REBIND id is revoked and audited HIGH (a ticket used twice,
 * expired, not yet valid, never issued, a type not allowed). At expiry an unused ticket is
 * invalidated, and while a role change's grace still runs a fresh one is issued with a reminder.
 */
final class TicketDecisions {

  private final MoverRules rules;
  private final MoverRecords records;

  TicketDecisions(MoverRules rules, MoverRecords records) {
    this.rules = rules;
    this.records = records;
  }

  /** A binding whose ticket id names a REBIND ticket: this worker decides on it. */
  void onBound(MoverSubject state, MoverFactor factor, AuthenticatorBound fact, Decision<MoverSubject> out, Instant now) {
    MoverTicket ticket = MoverSubjects.ticket(state, fact.getTicketId());
    if (ticket == null) {
      refuse(state, factor, fact, null, "TICKET_NOT_ISSUED", "mover.binding.refused", out, now);
      return;
    }
    if (ticket.getStatus() == MoverTicketStatus.USED) {
      if (!fact.getAuthenticatorId().equals(ticket.getUsedBy())) {
        refuse(state, factor, fact, ticket, "TICKET_ALREADY_USED", "mover.ticket.reuse", out, now);
      }
      return;
    }
    String violation = violation(state, ticket, fact);
    if (ticket.getStatus() == MoverTicketStatus.OPEN && !"TICKET_EXPIRED".equals(violation)
        && !"TICKET_NOT_YET_VALID".equals(violation)) {
      // Single use: the first binding under an open ticket spends it, standing or not.
      spend(state, ticket, fact, out, now);
    }
    if (violation != null) {
      refuse(state, factor, fact, ticket, violation, "mover.binding.refused", out, now);
      return;
    }
    accept(state, factor, fact, ticket, out, now);
  }

  /** A binding under one of its tickets on a device already lost: the device rule revokes it, the ticket is spent all the same. */
  void spentOnBlockedDevice(MoverSubject state, AuthenticatorBound fact, Decision<MoverSubject> out, Instant now) {
    MoverTicket ticket = MoverSubjects.ticket(state, fact.getTicketId());
    if (ticket != null && ticket.getStatus() == MoverTicketStatus.OPEN) {
      spend(state, ticket, fact, out, now);
    }
  }

  /** Why a binding under one of this worker's tickets may not stand, or null if it may. */
  private String violation(MoverSubject state, MoverTicket ticket, AuthenticatorBound fact) {
    if (ticket.getStatus() != MoverTicketStatus.OPEN) {
      return "TICKET_" + ticket.getStatus().name();
    }
    if (fact.getEventTime().isBefore(ticket.getNotBefore())) {
      return "TICKET_NOT_YET_VALID";
    }
    if (!fact.getEventTime().isBefore(ticket.getExpiresAt())) {
      return "TICKET_EXPIRED";
    }
    if (!ticket.getAllowedFactorTypes().contains(fact.getFactorType()) || state.getProfile() == null
        || !rules.policy().qualifies(fact.getFactorType(), MoverSubjects.view(state))) {
      return "FACTOR_TYPE_NOT_ALLOWED";
    }
    return null;
  }

  /** The ticket is used up and closed at the IdP. */
  private void spend(MoverSubject state, MoverTicket ticket, AuthenticatorBound fact, Decision<MoverSubject> out,
      Instant now) {
    ticket.setStatus(MoverTicketStatus.USED);
    ticket.setUsedBy(fact.getAuthenticatorId());
    out.command(records.invalidate(state, ticket, new Cause(fact.getEventId(), fact.getEventTime(),
        ticket.getCorrelationId()), "REBIND ticket used by " + fact.getAuthenticatorId(), now));
  }

  private void accept(MoverSubject state, MoverFactor factor, AuthenticatorBound fact, MoverTicket ticket,
      Decision<MoverSubject> out, Instant now) {
    Cause cause = new Cause(fact.getEventId(), fact.getEventTime(), ticket.getCorrelationId());
    List<Channel> channels = IndependentChannels.forBinding(MoverSubjects.channels(state), fact.getFactorType(),
        fact.getDeviceId());
    records.notify(out, state, channels.isEmpty() ? List.of(Channel.WORK_EMAIL) : channels, "factor.bound",
        "A " + fact.getFactorType() + " authenticator was added to your account at " + fact.getEventTime()
            + " with your re-enrollment ticket. If this wasn't you, use the 'this wasn't me' link at once.",
        Ids.derive(records.worker(), fact.getEventId(), "not-me"), cause, now);
    MoverRebindCase open = state.getRebind();
    out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.rebind.replacement-bound", AuditOutcome.RECORDED,
        Severity.INFO, PolicyRefs.BINDING, PolicyRefs.CSF_PROOFED_AND_BOUND, cause, "ticketId", ticket.getTicketId(),
        "ticketStatus", ticket.getStatus(), "reason", ticket.getReason(),
        "awaitingRevocation", open == null ? Collections.emptySet() : open.getGraceUntil().keySet()), factor)
        .setCommandIds(commandIds(out)));
  }

  /** Revokes a binding that may not stand under a REBIND id; a HIGH audit, since someone held the ticket or forged its use. */
  private void refuse(MoverSubject state, MoverFactor factor, AuthenticatorBound fact, MoverTicket ticket, String why,
      String action, Decision<MoverSubject> out, Instant now) {
    String correlation = ticket == null ? "rebind:" + state.getSubjectId() + ":" + fact.getTicketId()
        : ticket.getCorrelationId();
    Cause cause = new Cause(fact.getEventId(), fact.getEventTime(), correlation);
    String ref = "FACTOR_TYPE_NOT_ALLOWED".equals(why) && state.getProfile() != null
        ? rules.policy().refusalRef(fact.getFactorType(), MoverSubjects.view(state))
        : "TICKET_ALREADY_USED".equals(why) ? PolicyRefs.BINDING_CODE : PolicyRefs.BINDING;
    records.change(out, state, factor, CommandAction.REVOKE_AUTHENTICATOR, cause, action + ": " + why, ref,
        Severity.HIGH, now);
    AuditEvent.Builder audit = MoverRecords.about(MoverRecords.audit(state, action, AuditOutcome.REFUSED, Severity.HIGH,
        ref, PolicyRefs.CSF_PROOFED_AND_BOUND, cause, "ticketId", fact.getTicketId(),
        "ticketStatus", ticket == null ? "unknown" : ticket.getStatus(),
        "firstUsedBy", ticket == null ? "none" : String.valueOf(ticket.getUsedBy())), factor)
        .setReason(why).setCommandIds(commandIds(out));
    out.audit(audit);
  }

  // --- expiry ---

  /** The earliest expiry of an open ticket, or null. */
  Instant nextDue(MoverSubject state) {
    return state.getTickets().stream().filter(t -> t.getStatus() == MoverTicketStatus.OPEN)
        .map(MoverTicket::getExpiresAt).min(Instant::compareTo).orElse(null);
  }

  /** Every open ticket whose lifetime is over is invalidated; a role change's, while its grace runs, is re-issued. */
  void fire(MoverSubject state, Decision<MoverSubject> out, Instant now) {
    for (MoverTicket ticket : new ArrayList<>(state.getTickets())) {
      if (ticket.getStatus() != MoverTicketStatus.OPEN || ticket.getExpiresAt().isAfter(now)) {
        continue;
      }
      ticket.setStatus(MoverTicketStatus.EXPIRED);
      Cause cause = new Cause("ticket-expiry:" + ticket.getTicketId(), ticket.getExpiresAt(), ticket.getCorrelationId());
      AuthenticatorCommand close = records.invalidate(state, ticket, cause, "REBIND ticket expired unused", now);
      out.command(close);
      out.audit(MoverRecords.audit(state, "mover.ticket.expired", AuditOutcome.EXPIRED, Severity.INFO,
          PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED, cause, "ticketId", ticket.getTicketId(),
          "reason", ticket.getReason(), "expiresAt", ticket.getExpiresAt())
          .setReason("an unused REBIND ticket is closed at the IdP at its expiry").setCommandIds(List.of(close.getCommandId())));
      reissue(state, ticket, cause, out, now);
    }
  }

  /** While the grace runs and factors still wait for their replacement, a fresh ticket replaces the expired one. */
  private void reissue(MoverSubject state, MoverTicket expired, Cause cause, Decision<MoverSubject> out, Instant now) {
    MoverRebindCase open = state.getRebind();
    if (expired.getReason() != MoverTicketReason.ROLE_CHANGE || state.getTerminatedAt() != null || open == null
        || !expired.getTicketId().equals(open.getTicketId())) {
      return;
    }
    Instant graceEnds = open.getGraceUntil().values().stream().max(Instant::compareTo).orElse(null);
    if (graceEnds == null || !graceEnds.isAfter(now) || state.getProfile() == null) {
      return;
    }
    List<FactorType> allowed = rules.policy().allowedEnrollmentTypes(MoverSubjects.view(state));
    if (allowed.isEmpty()) {
      return;
    }
    Cause again = new Cause("rebind-reissue:" + expired.getTicketId(), expired.getExpiresAt(), open.getCorrelationId());
    String ticketId = records.ticket(out, state, MoverTicketReason.ROLE_CHANGE, allowed, rules.rebindTicketLifetime(),
        again, "REBIND ticket re-issued: the last one expired unused and the grace runs until " + graceEnds,
        PolicyRefs.BINDING, now);
    open.setTicketId(ticketId);
    List<Channel> reach = IndependentChannels.forReminder(MoverSubjects.channels(state));
    records.notify(out, state, reach.isEmpty() ? List.of(Channel.WORK_EMAIL) : reach, "factor.replacement-reminder", "Your new role still needs a stronger sign-in factor. A new enrollment ticket is "
            + "waiting in the portal until " + now.plus(rules.rebindTicketLifetime()) + "; your current factor(s) will be "
            + "removed at " + graceEnds + ".", again, now);
  }

  private static List<String> commandIds(Decision<MoverSubject> out) {
    return out.commands().stream().map(AuthenticatorCommand::getCommandId).toList();
  }
}
