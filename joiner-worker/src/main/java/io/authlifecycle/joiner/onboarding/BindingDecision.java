package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A binding the IdP reports. Through an open ticket of this worker, inside its window and of a
 * type it allows: recorded, the ticket consumed, the subject told on an independent channel.
 * Anything else while the subject is onboarding is revoked: a ticket used twice, a type the
 * ticket or policy does not allow, a ticket outside its window, no ticket at all.
 */
final class BindingDecision {

  private final Drafts drafts;
  private final AssurancePolicy policy;
  private final SecondFactor secondFactor;

  BindingDecision(Drafts drafts, AssurancePolicy policy, SecondFactor secondFactor) {
    this.drafts = drafts;
    this.policy = policy;
    this.secondFactor = secondFactor;
  }

  Outcome bound(OnboardingCase onboarding, AuthenticatorBound bound, Instant now) {
    Optional<JoinerTicket> ticket = bound.getTicketId() == null ? Optional.empty() : onboarding.ticket(bound.getTicketId());
    if (ticket.isPresent()) {
      return throughTicket(onboarding, ticket.get(), bound, now);
    }
    if (onboarding.phase() == JoinerPhase.NON_HUMAN) {
      return revoke(onboarding, bound, Actions.NHI_REFUSED, "HUMAN_FACTOR_ON_NON_HUMAN_IDENTITY",
          PolicyRefs.NHI_WORKLOAD_IDENTITY, onboarding.correlationId(), now);
    }
    if (onboarding.inOnboarding()) {
      return revoke(onboarding, bound, Actions.BINDING_WITHOUT_TICKET,
          bound.getTicketId() == null ? "NO_TICKET" : "TICKET_NOT_ISSUED_BY_JOINER", PolicyRefs.BINDING,
          onboarding.correlationId(), now);
    }
    if (onboarding.phase() == JoinerPhase.ENROLLED) {
      // A further factor added after onboarding: not this worker's binding, but it counts towards the second factor.
      onboarding.remember(bound.getEventId());
      onboarding.addFactor(bound, true);
      return secondFactor.reconsider(onboarding, bound.getEventId(), now, Outcome.storing(onboarding));
    }
    return Outcome.none();
  }

  Outcome revoked(OnboardingCase onboarding, AuthenticatorRevoked revoked, Instant now) {
    if (!onboarding.deactivate(revoked.getAuthenticatorId())) {
      return Outcome.none();
    }
    onboarding.remember(revoked.getEventId());
    return secondFactor.reconsider(onboarding, revoked.getEventId(), now, Outcome.storing(onboarding));
  }

  private Outcome throughTicket(OnboardingCase onboarding, JoinerTicket ticket, AuthenticatorBound bound, Instant now) {
    String correlation = HireDecision.correlationId(onboarding.subjectId(), ticket.getHrEventId());
    if (ticket.getStatus() == JoinerTicketStatus.CONSUMED) {
      if (bound.getAuthenticatorId().equals(ticket.getConsumedBy())) {
        return Outcome.none(); // the same binding reported again under a new event id
      }
      return revoke(onboarding, bound, Actions.TICKET_REUSE, "TICKET_ALREADY_USED", PolicyRefs.BINDING_CODE,
          correlation, now, Severity.HIGH, Map.of("firstUsedBy", String.valueOf(ticket.getConsumedBy())));
    }
    if (ticket.getStatus() != JoinerTicketStatus.OPEN) {
      return revoke(onboarding, bound, Actions.POLICY_VIOLATION, "TICKET_" + ticket.getStatus().name(),
          PolicyRefs.BINDING, correlation, now);
    }
    String violation = violation(onboarding, ticket, bound);
    onboarding.closeTicket(ticket, JoinerTicketStatus.CONSUMED, bound.getAuthenticatorId());
    Outcome out = Outcome.storing(onboarding).cancelTimers(Actions.TICKET_TIMERS);
    if (violation != null) {
      // The single use is spent at the IdP: the subject now needs a new verification, so the manager hears of it.
      onboarding.phase(JoinerPhase.POLICY_VIOLATION);
      String policyRef = violation.equals("FACTOR_TYPE_NOT_ALLOWED")
          ? policy.refusalRef(bound.getFactorType(), onboarding.profile()) : PolicyRefs.BINDING;
      revokeInto(out, onboarding, bound, Actions.POLICY_VIOLATION, violation, policyRef, correlation, now,
          Severity.HIGH, Map.of("allowedFactorTypes", join(ticket)));
      SubjectNotification escalation = drafts.escalation(onboarding, Actions.NOTIFY_POLICY_VIOLATION,
          "The onboarding ticket of " + onboarding.subjectId() + " was used to bind a " + bound.getFactorType()
              + " authenticator (" + violation + "); it was revoked. A new identity verification is needed for a new ticket.",
          bound.getEventId(), correlation, now).build();
      return out.notify(escalation)
          .audit(drafts.audit(onboarding, Actions.ESCALATED, AuditOutcome.ESCALATED, Severity.MEDIUM, policyRef,
                  bound.getEventId(), correlation)
              .setReason(violation)
              .setDetails(Map.of("notificationId", escalation.getEventId(), "recipient", escalation.getRecipient().name())));
    }
    return accept(onboarding, ticket, bound, correlation, now, out);
  }

  /** Why a binding through an open ticket may not stand, or null if it may. */
  private String violation(OnboardingCase onboarding, JoinerTicket ticket, AuthenticatorBound bound) {
    if (bound.getEventTime().isBefore(ticket.getNotBefore())) {
      return "TICKET_NOT_YET_VALID";
    }
    if (!bound.getEventTime().isBefore(ticket.getExpiresAt())) {
      return "TICKET_EXPIRED";
    }
    // The ticket's list, and today's policy for the subject: both must allow the type.
    if (!ticket.getAllowedFactorTypes().contains(bound.getFactorType())
        || !policy.qualifies(bound.getFactorType(), onboarding.profile())) {
      return "FACTOR_TYPE_NOT_ALLOWED";
    }
    return null;
  }

  private Outcome accept(OnboardingCase onboarding, JoinerTicket ticket, AuthenticatorBound bound, String correlation,
      Instant now, Outcome out) {
    onboarding.remember(bound.getEventId());
    onboarding.addFactor(bound, true);
    onboarding.phase(JoinerPhase.ENROLLED);
    List<Channel> channels = IndependentChannels.forBinding(onboarding.record().getChannels(), bound.getFactorType(),
        bound.getDeviceId());
    SubjectNotification notice = drafts.toSubject(onboarding, channels, Actions.NOTIFY_FACTOR_BOUND,
        "A " + bound.getFactorType() + " authenticator was added to your account at " + bound.getEventTime()
            + ". If this wasn't you, use the 'this wasn't me' link at once.",
        bound.getEventId(), correlation, now)
        .setNotMeRef(Ids.derive(drafts.worker(), bound.getEventId(), "not-me"))
        .build();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("ticketId", ticket.getTicketId());
    details.put("ticketStatus", JoinerTicketStatus.CONSUMED.name());
    details.put("deviceId", bound.getDeviceId() == null ? "none" : bound.getDeviceId());
    details.put("notificationId", notice.getEventId());
    details.put("notificationRecipient", notice.getRecipient().name());
    details.put("notificationChannels", notice.getChannels().stream().map(Enum::name).reduce((a, b) -> a + "," + b).orElse(""));
    out.notify(notice)
        .audit(drafts.audit(onboarding, Actions.FACTOR_BOUND, AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.BINDING,
                bound.getEventId(), correlation)
            .setAuthenticatorId(bound.getAuthenticatorId())
            .setFactorType(bound.getFactorType())
            .setDetails(details));
    return secondFactor.reconsider(onboarding, bound.getEventId(), now, out);
  }

  private Outcome revoke(OnboardingCase onboarding, AuthenticatorBound bound, String action, String reason,
      String policyRef, String correlation, Instant now) {
    return revoke(onboarding, bound, action, reason, policyRef, correlation, now, Severity.HIGH, Map.of());
  }

  private Outcome revoke(OnboardingCase onboarding, AuthenticatorBound bound, String action, String reason,
      String policyRef, String correlation, Instant now, Severity severity, Map<String, String> extra) {
    return revokeInto(Outcome.storing(onboarding), onboarding, bound, action, reason, policyRef, correlation, now,
        severity, extra);
  }

  /** Fail towards revocation: the factor is recorded as inactive and the IdP told to remove it. */
  private Outcome revokeInto(Outcome out, OnboardingCase onboarding, AuthenticatorBound bound, String action,
      String reason, String policyRef, String correlation, Instant now, Severity severity, Map<String, String> extra) {
    onboarding.remember(bound.getEventId());
    onboarding.addFactor(bound, false);
    AuthenticatorCommand command = drafts.revoke(bound, correlation, action + ": " + reason, policyRef, now);
    Map<String, String> details = new LinkedHashMap<>(extra);
    details.put("ticketId", bound.getTicketId() == null ? "none" : bound.getTicketId());
    details.put("phase", onboarding.phase().name());
    return out.command(command)
        .audit(drafts.audit(onboarding, action, AuditOutcome.REFUSED, severity, policyRef, bound.getEventId(), correlation)
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
