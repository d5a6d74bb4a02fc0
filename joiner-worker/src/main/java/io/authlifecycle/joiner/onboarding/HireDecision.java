package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.AssurancePolicy.VerificationOutcome;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A joiner or rehire: an onboarding ticket limited to what policy allows, only on a fresh identity
 * verification at the level the subject needs; otherwise a refusal and a request for proofing.
 * Service identities (and identities of unknown type) are never given human MFA.
 */
final class HireDecision {

  private final Drafts drafts;
  private final AssurancePolicy policy;
  private final JoinerConfig config;

  HireDecision(Drafts drafts, AssurancePolicy policy, JoinerConfig config) {
    this.drafts = drafts;
    this.policy = policy;
    this.config = config;
  }

  /** The ticket id: derived from the HR event, so a replay gives the same ticket. */
  static String ticketId(String worker, String hrEventId) {
    return Ids.derive(worker, hrEventId, "enrollment-ticket", TicketPurpose.ONBOARDING.name());
  }

  static String correlationId(String subjectId, String hrEventId) {
    return "joiner:" + subjectId + ":" + hrEventId;
  }

  Outcome decide(OnboardingCase onboarding, WorkerEvent event, Instant now) {
    String correlation = correlationId(event.getSubjectId(), event.getEventId());
    if (event.getType() == WorkerEventType.JOINER && onboarding.phase() == JoinerPhase.CLOSED) {
      return terminated(onboarding, event, correlation, now);
    }
    onboarding.takeProfile(event, correlation);
    Outcome out = Outcome.storing(onboarding);
    if (event.getIdentityType() != IdentityType.HUMAN) {
      return nonHuman(onboarding, event, correlation, now, out);
    }
    SubjectProfile profile = onboarding.profile();
    IdentityVerification verification = event.getIdentityVerification();
    VerificationOutcome verdict = policy.checkVerification(verification, profile);
    if (verdict != VerificationOutcome.VERIFIED) {
      return refuse(onboarding, event, verdict.name(), correlation, now, out);
    }
    if (onboarding.verificationUsed(verification.getVerificationId())) {
      return refuse(onboarding, event, "VERIFICATION_ALREADY_USED", correlation, now, out);
    }
    return issue(onboarding, event, verification, correlation, now, out);
  }

  private Outcome issue(OnboardingCase onboarding, WorkerEvent event, IdentityVerification verification,
      String correlation, Instant now, Outcome out) {
    supersedeOpenTicket(onboarding, event, correlation, now, out);
    SubjectProfile profile = onboarding.profile();
    List<FactorType> allowed = policy.allowedEnrollmentTypes(profile);
    Instant notBefore = event.getEffectiveTime().isAfter(now) ? event.getEffectiveTime() : now;
    Instant expiresAt = notBefore.plus(config.ticketLifetime());
    String ticketId = ticketId(drafts.worker(), event.getEventId());
    EnrollmentTicket ticket = EnrollmentTicket.newBuilder()
        .setTicketId(ticketId)
        .setPurpose(TicketPurpose.ONBOARDING)
        .setAllowedFactorTypes(allowed)
        .setNotBefore(notBefore)
        .setExpiresAt(expiresAt)
        .setSingleUse(true)
        .setDeliveryChannel(config.deliveryChannel())
        .build();
    AuthenticatorCommand command = Decisions.command(drafts.worker(), CommandAction.ISSUE_ENROLLMENT_TICKET,
        event.getSubjectId(), event.getEventId(), event.getEventTime(), correlation, TicketPurpose.ONBOARDING.name(),
        event.getType() + " with identity verified at " + verification.getLevel() + " by " + verification.getMethod(),
        PolicyRefs.BINDING, now).setTicket(ticket).build();
    onboarding.addTicket(JoinerTicket.newBuilder().setTicketId(ticketId).setHrEventId(event.getEventId())
        .setHrEventTime(event.getEventTime()).setVerificationId(verification.getVerificationId())
        .setAllowedFactorTypes(allowed).setNotBefore(notBefore).setExpiresAt(expiresAt)
        .setStatus(JoinerTicketStatus.OPEN).setConsumedBy(null).build());
    onboarding.useVerification(verification.getVerificationId());
    onboarding.phase(JoinerPhase.TICKET_OPEN);

    Map<String, String> details = new LinkedHashMap<>();
    details.put("ticketId", ticketId);
    details.put("purpose", TicketPurpose.ONBOARDING.name());
    details.put("allowedFactorTypes", allowed.stream().map(Enum::name).collect(Collectors.joining(",")));
    details.put("notBefore", notBefore.toString());
    details.put("expiresAt", expiresAt.toString());
    details.put("singleUse", "true");
    details.put("deliveryChannel", config.deliveryChannel().name());
    details.put("verificationId", verification.getVerificationId());
    details.put("verificationMethod", verification.getMethod().name());
    details.put("verificationLevel", verification.getLevel().name());
    details.put("requiredIdentityLevel", policy.requiredIdentityLevel(profile).name());
    details.put("requiredAssuranceLevel", policy.requiredLevel(profile).name());
    out.command(command)
        .audit(drafts.audit(onboarding, Actions.TICKET_ISSUED, AuditOutcome.REQUESTED, Severity.INFO,
            PolicyRefs.BINDING, event.getEventId(), correlation)
            .setCommandIds(List.of(command.getCommandId()))
            .setDetails(details));
    scheduleTicketTimers(onboarding, ticketId, event.getEventId(), correlation, expiresAt, out);
    return out;
  }

  /** Reminders at each configured offset before expiry, then the expiry itself. */
  private void scheduleTicketTimers(OnboardingCase onboarding, String ticketId, String causationId,
      String correlation, Instant expiresAt, Outcome out) {
    List<Duration> offsets = config.reminderOffsets();
    for (int i = 0; i < offsets.size(); i++) {
      out.schedule(timer(onboarding, Actions.TIMER_TICKET_REMINDER + i, expiresAt.minus(offsets.get(i)), ticketId,
          causationId, correlation, Map.of("before", offsets.get(i).toString())));
    }
    out.schedule(timer(onboarding, Actions.TIMER_TICKET_EXPIRY, expiresAt, ticketId, causationId, correlation, Map.of()));
  }

  private static TimerEntry timer(OnboardingCase onboarding, String kind, Instant due, String ticketId,
      String causationId, String correlation, Map<String, String> extra) {
    Map<String, String> attributes = new LinkedHashMap<>(extra);
    attributes.put(Actions.TIMER_TICKET_ID, ticketId);
    return TimerEntry.newBuilder().setOwner(onboarding.subjectId()).setKind(kind).setDueAt(due)
        .setCausationId(causationId).setCorrelationId(correlation).setAttributes(attributes).build();
  }

  /** One open ticket at a time: a fresh verification replaces the ticket still open. */
  private void supersedeOpenTicket(OnboardingCase onboarding, WorkerEvent event, String correlation, Instant now,
      Outcome out) {
    onboarding.openTicket().ifPresent(old -> {
      onboarding.closeTicket(old, JoinerTicketStatus.SUPERSEDED, null);
      out.cancelTimers(Actions.TICKET_TIMERS);
      AuthenticatorCommand command = drafts.invalidate(onboarding, old, event.getEventId(), event.getEventTime(),
          correlation, "superseded by a ticket on a newer verification", config.deliveryChannel(), now);
      out.command(command)
          .audit(drafts.audit(onboarding, Actions.TICKET_SUPERSEDED, AuditOutcome.CANCELLED, Severity.INFO,
                  PolicyRefs.INVALIDATION, event.getEventId(), correlation)
              .setReason("a newer identity verification replaces the open ticket")
              .setCommandIds(List.of(command.getCommandId()))
              .setDetails(Map.of("ticketId", old.getTicketId(), "supersededBy", ticketId(drafts.worker(), event.getEventId()))));
    });
  }

  private Outcome refuse(OnboardingCase onboarding, WorkerEvent event, String reason, String correlation,
      Instant now, Outcome out) {
    SubjectProfile profile = onboarding.profile();
    if (onboarding.openTicket().isEmpty() && onboarding.phase() != JoinerPhase.ENROLLED) {
      onboarding.phase(JoinerPhase.AWAITING_VERIFICATION);
    }
    IdentityVerification verification = event.getIdentityVerification();
    String required = policy.requiredIdentityLevel(profile).name();
    String message = "No enrollment ticket for " + event.getSubjectId() + " (" + reason + "): arrange in-person or "
        + "remote identity proofing at " + required + " or above; a ticket follows a new verification event.";
    List<SubjectNotification> notices =
        drafts.proofingRequest(onboarding, message, event.getEventId(), correlation, now);
    notices.forEach(out::notify);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("requiredIdentityLevel", required);
    details.put("verificationId", verification == null ? "none" : verification.getVerificationId());
    details.put("verificationMethod", verification == null ? "none" : String.valueOf(verification.getMethod()));
    details.put("verificationLevel", verification == null ? "none" : String.valueOf(verification.getLevel()));
    details.put("notificationIds", notices.stream().map(SubjectNotification::getEventId).collect(Collectors.joining(",")));
    onboarding.openTicket().ifPresent(t -> details.put("openTicketId", t.getTicketId()));
    return out.audit(drafts.audit(onboarding, Actions.REFUSED, AuditOutcome.REFUSED, Severity.MEDIUM,
            PolicyRefs.BINDING, event.getEventId(), correlation)
        .setReason(reason)
        .setDetails(details));
  }

  /**
   * A JOINER for someone who has left: HR's record is wrong, or someone is trying to bring a closed
   * identity back. Never a ticket on doubt: only a REHIRE (with a fresh verification) reopens.
   */
  private Outcome terminated(OnboardingCase onboarding, WorkerEvent event, String correlation, Instant now) {
    String message = "No enrollment ticket for " + event.getSubjectId() + ": a JOINER arrived for a subject who has "
        + "left. If they are returning, HR sends a REHIRE with a fresh identity verification.";
    return Outcome.storing(onboarding)
        .notify(drafts.toHelpDesk(onboarding, Actions.NOTIFY_PROOFING_NEEDED, message, event.getEventId(), correlation,
            now).build())
        .audit(drafts.audit(onboarding, Actions.REFUSED, AuditOutcome.REFUSED, Severity.HIGH, PolicyRefs.INVALIDATION,
                event.getEventId(), correlation)
            .setReason("SUBJECT_TERMINATED")
            .setDetails(Map.of("eventType", event.getType().name(), "reopenedBy", WorkerEventType.REHIRE.name())));
  }

  /** Human MFA is not for workloads (OWASP NHI4): refuse, and close any ticket HR's earlier data opened. */
  private Outcome nonHuman(OnboardingCase onboarding, WorkerEvent event, String correlation, Instant now,
      Outcome out) {
    boolean service = event.getIdentityType() == IdentityType.SERVICE;
    onboarding.openTicket().ifPresent(open -> {
      onboarding.closeTicket(open, JoinerTicketStatus.SUPERSEDED, null);
      out.cancelTimers(Actions.TICKET_TIMERS);
      out.command(drafts.invalidate(onboarding, open, event.getEventId(), event.getEventTime(), correlation,
          "subject is not a verified human identity", config.deliveryChannel(), now));
    });
    onboarding.phase(JoinerPhase.NON_HUMAN);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("identityType", event.getIdentityType().name());
    details.put("guidance", "use workload identity with short-lived credentials, not human MFA");
    details.put("relatedPolicyRef", PolicyRefs.NHI_LONG_LIVED);
    out.audit(drafts.audit(onboarding, Actions.NHI_REFUSED, AuditOutcome.REFUSED,
            service ? Severity.MEDIUM : Severity.HIGH, PolicyRefs.NHI_WORKLOAD_IDENTITY, event.getEventId(), correlation)
        .setReason(service ? "SERVICE_IDENTITY" : "IDENTITY_TYPE_UNKNOWN")
        .setCommandIds(out.commands().stream().map(AuthenticatorCommand::getCommandId).toList())
        .setDetails(details));
    if (!service) {
      // HR sent a person-or-workload record without saying which: someone has to correct it.
      out.notify(drafts.escalation(onboarding, Actions.NOTIFY_PROOFING_NEEDED, "No enrollment for "
          + event.getSubjectId() + ": HR did not say whether this is a person or a service identity; correct the "
          + "record, then verify the person's identity.", event.getEventId(), correlation, now).build());
    }
    return out;
  }
}
