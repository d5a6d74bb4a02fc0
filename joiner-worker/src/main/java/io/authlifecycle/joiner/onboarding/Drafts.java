package io.authlifecycle.joiner.onboarding;

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
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The joiner's commands, audit drafts and notifications, filled the same way by every decision. */
final class Drafts {

  /** Onboarding decisions are about proofing and binding (CSF PR.AA-02). */
  static final List<String> PROOFED_AND_BOUND = List.of(PolicyRefs.CSF_PROOFED_AND_BOUND);

  private final String worker;

  Drafts(String worker) {
    this.worker = worker;
  }

  String worker() {
    return worker;
  }

  AuditEvent.Builder audit(OnboardingCase onboarding, String action, AuditOutcome outcome, Severity severity,
      String policyRef, String causationId, String correlationId) {
    return Decisions.audit(onboarding.subjectId(), action, outcome, severity, policyRef, PROOFED_AND_BOUND)
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
  AuthenticatorCommand invalidate(OnboardingCase onboarding, JoinerTicket ticket, String causationId,
      Instant causationTime, String correlationId, String reason, Channel deliveryChannel, Instant now) {
    return Decisions.command(worker, CommandAction.INVALIDATE_TICKET, onboarding.subjectId(), causationId,
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
  List<SubjectNotification> proofingRequest(OnboardingCase onboarding, String message, String causationId,
      String correlationId, Instant now) {
    List<SubjectNotification> out = new ArrayList<>();
    String managerId = onboarding.record().getManagerId();
    if (managerId != null && !managerId.isBlank()) {
      out.add(toManager(onboarding, managerId, Actions.NOTIFY_PROOFING_NEEDED, message, causationId, correlationId, now)
          .build());
    }
    out.add(toHelpDesk(onboarding, Actions.NOTIFY_PROOFING_NEEDED, message, causationId, correlationId, now).build());
    return out;
  }

  /** Escalates to the manager, or to the help desk when HR names no manager. */
  SubjectNotification.Builder escalation(OnboardingCase onboarding, String topic, String message, String causationId,
      String correlationId, Instant now) {
    String managerId = onboarding.record().getManagerId();
    return managerId == null || managerId.isBlank()
        ? toHelpDesk(onboarding, topic, message, causationId, correlationId, now)
        : toManager(onboarding, managerId, topic, message, causationId, correlationId, now);
  }

  /** Tells the subject on the given channels; with none usable, the escalation recipient is told instead. */
  SubjectNotification.Builder toSubject(OnboardingCase onboarding, List<Channel> channels, String topic,
      String message, String causationId, String correlationId, Instant now) {
    if (channels.isEmpty()) {
      return escalation(onboarding, topic, message, causationId, correlationId, now);
    }
    return Decisions.notification(worker, onboarding.subjectId(), RecipientRole.SUBJECT, channels, topic, message,
        causationId, correlationId, now);
  }

  private SubjectNotification.Builder toManager(OnboardingCase onboarding, String managerId, String topic,
      String message, String causationId, String correlationId, Instant now) {
    return Decisions.notification(worker, onboarding.subjectId(), RecipientRole.MANAGER, List.of(Channel.WORK_EMAIL),
        topic, message, causationId, correlationId, now).setRecipientId(managerId);
  }

  SubjectNotification.Builder toHelpDesk(OnboardingCase onboarding, String topic, String message,
      String causationId, String correlationId, Instant now) {
    return Decisions.notification(worker, onboarding.subjectId(), RecipientRole.HELP_DESK, List.of(Channel.HELP_DESK),
        topic, message, causationId, correlationId, now);
  }
}
