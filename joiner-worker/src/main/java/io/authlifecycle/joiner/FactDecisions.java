package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.core.binding.BindingOwner;
import io.authlifecycle.core.binding.IndependentChannels;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IdP facts on a subject with a case. The joiner decides on every binding of a living subject but
 * those made under another issuer's ticket ({@link BindingOwner}), which it only records. A binding
 * through an open ticket of this worker, inside its window and of a type it allows: recorded, the
 * ticket consumed and closed at the IdP, the subject told on an independent channel. Anything else
 * while the subject is onboarding is revoked: a ticket used twice, a type the ticket or policy does
 * not allow, a ticket outside its window, no ticket at all. Once enrolled, a binding without a
 * ticket stands if today's policy allows its type (the subject is told), and is revoked if not.
 * Bindings after enrollment and revocations move the second-factor reminder ({@link SecondFactor}).
 */
final class FactDecisions {

  private final AssurancePolicy policy;
  private final Channel deliveryChannel;
  private final JoinerRecords records;
  private final SecondFactor secondFactor;

  FactDecisions(JoinerRules rules, JoinerRecords records, SecondFactor secondFactor) {
    this.policy = rules.policy();
    this.deliveryChannel = rules.deliveryChannel();
    this.records = records;
    this.secondFactor = secondFactor;
  }

  Decision<JoinerCase> onBound(JoinerCase state, AuthenticatorBound bound, Instant now) {
    if (BindingOwner.of(bound) != BindingOwner.JOINER) {
      // The ticket's issuer decides on it; the factor still counts towards the second one.
      if (state.getPhase() == JoinerPhase.CLOSED || JoinerCases.inOnboarding(state)) {
        return Decision.none();
      }
      JoinerCases.addFactor(state, bound, true);
      return secondFactor.reconsider(state, bound.getEventId(), now, Decision.storing(state));
    }
    Optional<JoinerTicket> ticket = bound.getTicketId() == null ? Optional.empty()
        : JoinerCases.ticket(state, bound.getTicketId());
    if (ticket.isPresent()) {
      return throughTicket(state, ticket.get(), bound, now);
    }
    if (state.getPhase() == JoinerPhase.NON_HUMAN) {
      return revoke(state, bound, JoinerRecords.NHI_REFUSED, "HUMAN_FACTOR_ON_NON_HUMAN_IDENTITY",
          PolicyRefs.NHI_WORKLOAD_IDENTITY, JoinerCases.correlationId(state), now);
    }
    if (JoinerCases.inOnboarding(state)) {
      return revoke(state, bound, JoinerRecords.BINDING_WITHOUT_TICKET,
          bound.getTicketId() == null ? "NO_TICKET" : "TICKET_NOT_ISSUED_BY_JOINER", PolicyRefs.BINDING,
          JoinerCases.correlationId(state), now);
    }
    if (state.getPhase() == JoinerPhase.ENROLLED) {
      return afterEnrollment(state, bound, now);
    }
    return Decision.none();
  }

  /** A further factor without a ticket of this worker: it stands if today's policy allows its type (4.1.2.1). */
  private Decision<JoinerCase> afterEnrollment(JoinerCase state, AuthenticatorBound bound, Instant now) {
    String correlation = JoinerCases.correlationId(state);
    if (JoinerCases.activeFactor(state, bound.getAuthenticatorId())) {
      return Decision.none(); // the same binding reported again under a new event id
    }
    SubjectProfile profile = JoinerCases.profile(state);
    if (!policy.qualifies(bound.getFactorType(), profile)) {
      String policyRef = policy.refusalRef(bound.getFactorType(), profile);
      Decision<JoinerCase> out = revoke(state, bound, JoinerRecords.BINDING_POLICY_VIOLATION, "FACTOR_TYPE_NOT_ALLOWED",
          policyRef, correlation, now, Severity.HIGH, Map.of("role", String.valueOf(state.getRole()),
              "privileged", String.valueOf(state.getPrivileged())));
      // The subject hears of it on a channel the refused factor cannot reach: it may not have been them.
      SubjectNotification notice = records.toSubject(state, IndependentChannels.forBinding(state.getChannels(),
              bound.getFactorType(), bound.getDeviceId()), JoinerRecords.NOTIFY_FACTOR_REMOVED,
              "A " + bound.getFactorType() + " authenticator added to your account at " + bound.getEventTime()
                  + " was removed: your role does not allow that kind of authenticator. If this wasn't you, contact security.",
              bound.getEventId(), correlation, now).build();
      return out.notify(notice);
    }
    return accept(state, null, bound, correlation, now, Decision.storing(state));
  }

  Decision<JoinerCase> onRevoked(JoinerCase state, AuthenticatorRevoked revoked, Instant now) {
    if (!JoinerCases.deactivate(state, revoked.getAuthenticatorId())) {
      return Decision.none();
    }
    return secondFactor.reconsider(state, revoked.getEventId(), now, Decision.storing(state));
  }

  private Decision<JoinerCase> throughTicket(JoinerCase state, JoinerTicket ticket, AuthenticatorBound bound,
      Instant now) {
    String correlation = JoinerRecords.hireCorrelationId(state.getSubjectId(), ticket.getHrEventId());
    if (ticket.getStatus() == JoinerTicketStatus.CONSUMED) {
      if (bound.getAuthenticatorId().equals(ticket.getConsumedBy())) {
        return Decision.none(); // the same binding reported again under a new event id
      }
      return revoke(state, bound, JoinerRecords.TICKET_REUSE, "TICKET_ALREADY_USED", PolicyRefs.BINDING_CODE,
          correlation, now, Severity.HIGH, Map.of("firstUsedBy", String.valueOf(ticket.getConsumedBy())));
    }
    if (ticket.getStatus() != JoinerTicketStatus.OPEN) {
      return revoke(state, bound, JoinerRecords.POLICY_VIOLATION, "TICKET_" + ticket.getStatus().name(),
          PolicyRefs.BINDING, correlation, now);
    }
    String violation = violation(state, ticket, bound);
    JoinerCases.closeTicket(ticket, JoinerTicketStatus.CONSUMED, bound.getAuthenticatorId());
    Decision<JoinerCase> out = records.cancelTicketTimers(Decision.storing(state), state.getSubjectId());
    // Single use: the joiner closes the ticket at the IdP as soon as a binding has spent it.
    AuthenticatorCommand close = records.invalidate(state, ticket, bound.getEventId(), bound.getEventTime(),
        correlation, "onboarding ticket used by " + bound.getAuthenticatorId(), deliveryChannel, now);
    if (violation != null) {
      // The single use is spent at the IdP: the subject now needs a new verification, so the manager hears of it.
      state.setPhase(JoinerPhase.POLICY_VIOLATION);
      String policyRef = violation.equals("FACTOR_TYPE_NOT_ALLOWED")
          ? policy.refusalRef(bound.getFactorType(), JoinerCases.profile(state)) : PolicyRefs.BINDING;
      revokeInto(out, state, bound, JoinerRecords.POLICY_VIOLATION, violation, policyRef, correlation, now,
          Severity.HIGH, Map.of("allowedFactorTypes", join(ticket)));
      out.command(close);
      SubjectNotification escalation = records.escalation(state, JoinerRecords.NOTIFY_POLICY_VIOLATION,
          "The onboarding ticket of " + state.getSubjectId() + " was used to bind a " + bound.getFactorType()
              + " authenticator (" + violation + "); it was revoked. A new identity verification is needed for a new ticket.",
          bound.getEventId(), correlation, now).build();
      return out.notify(escalation)
          .audit(JoinerRecords.audit(state, JoinerRecords.ESCALATED, AuditOutcome.ESCALATED, Severity.MEDIUM, policyRef,
                  bound.getEventId(), correlation)
              .setReason(violation)
              .setDetails(Map.of("notificationId", escalation.getEventId(), "recipient", escalation.getRecipient().name())));
    }
    return accept(state, ticket, bound, correlation, now, out.command(close));
  }

  /** Why a binding through an open ticket may not stand, or null if it may. */
  private String violation(JoinerCase state, JoinerTicket ticket, AuthenticatorBound bound) {
    if (bound.getEventTime().isBefore(ticket.getNotBefore())) {
      return "TICKET_NOT_YET_VALID";
    }
    if (!bound.getEventTime().isBefore(ticket.getExpiresAt())) {
      return "TICKET_EXPIRED";
    }
    // The ticket's list, and today's policy for the subject: both must allow the type.
    if (!ticket.getAllowedFactorTypes().contains(bound.getFactorType())
        || !policy.qualifies(bound.getFactorType(), JoinerCases.profile(state))) {
      return "FACTOR_TYPE_NOT_ALLOWED";
    }
    return null;
  }

  /** Records an accepted binding (through {@code ticket}, or with none after enrollment) and tells the subject. */
  private Decision<JoinerCase> accept(JoinerCase state, JoinerTicket ticket, AuthenticatorBound bound,
      String correlation, Instant now, Decision<JoinerCase> out) {
    JoinerCases.addFactor(state, bound, true);
    state.setPhase(JoinerPhase.ENROLLED);
    List<Channel> channels = IndependentChannels.forBinding(state.getChannels(), bound.getFactorType(),
        bound.getDeviceId());
    SubjectNotification notice = records.toSubject(state, channels, JoinerRecords.NOTIFY_FACTOR_BOUND,
            "A " + bound.getFactorType() + " authenticator was added to your account at " + bound.getEventTime()
                + ". If this wasn't you, use the 'this wasn't me' link at once.",
            bound.getEventId(), correlation, now)
        .setNotMeRef(Ids.derive(records.worker(), bound.getEventId(), "not-me"))
        .build();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("ticketId", ticket == null ? "none" : ticket.getTicketId());
    if (ticket != null) {
      details.put("ticketStatus", JoinerTicketStatus.CONSUMED.name());
    }
    details.put("deviceId", bound.getDeviceId() == null ? "none" : bound.getDeviceId());
    details.put("notificationId", notice.getEventId());
    details.put("notificationRecipient", notice.getRecipient().name());
    details.put("notificationChannels", String.join(",", notice.getChannels().stream().map(Enum::name).toList()));
    out.notify(notice)
        .audit(JoinerRecords.audit(state, ticket == null ? JoinerRecords.BINDING_ACCEPTED : JoinerRecords.FACTOR_BOUND,
                AuditOutcome.RECORDED, Severity.INFO,
                PolicyRefs.BINDING, bound.getEventId(), correlation)
            .setAuthenticatorId(bound.getAuthenticatorId())
            .setFactorType(bound.getFactorType())
            .setCommandIds(out.commands().stream().map(AuthenticatorCommand::getCommandId).toList())
            .setDetails(details));
    return secondFactor.reconsider(state, bound.getEventId(), now, out);
  }

  private Decision<JoinerCase> revoke(JoinerCase state, AuthenticatorBound bound, String action, String reason,
      String policyRef, String correlation, Instant now) {
    return revoke(state, bound, action, reason, policyRef, correlation, now, Severity.HIGH, Map.of());
  }

  private Decision<JoinerCase> revoke(JoinerCase state, AuthenticatorBound bound, String action, String reason,
      String policyRef, String correlation, Instant now, Severity severity, Map<String, String> extra) {
    return revokeInto(Decision.storing(state), state, bound, action, reason, policyRef, correlation, now, severity,
        extra);
  }

  /** Fail towards revocation: the factor is recorded as inactive and the IdP told to remove it. */
  private Decision<JoinerCase> revokeInto(Decision<JoinerCase> out, JoinerCase state, AuthenticatorBound bound,
      String action, String reason, String policyRef, String correlation, Instant now, Severity severity,
      Map<String, String> extra) {
    JoinerCases.addFactor(state, bound, false);
    AuthenticatorCommand command = records.revoke(bound, correlation, action + ": " + reason, policyRef, now);
    Map<String, String> details = new LinkedHashMap<>(extra);
    details.put("ticketId", bound.getTicketId() == null ? "none" : bound.getTicketId());
    details.put("phase", state.getPhase().name());
    return out.command(command)
        .audit(JoinerRecords.audit(state, action, AuditOutcome.REFUSED, severity, policyRef, bound.getEventId(),
                correlation)
            .setReason(reason)
            .setAuthenticatorId(bound.getAuthenticatorId())
            .setFactorType(bound.getFactorType())
            .setCommandIds(List.of(command.getCommandId()))
            .setDetails(details));
  }

  private static String join(JoinerTicket ticket) {
    return String.join(",", ticket.getAllowedFactorTypes().stream().map(Enum::name).toList());
  }
}
