package io.authlifecycle.joiner;

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
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicket;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.Folded;
import io.authlifecycle.core.hr.Refusal;
import io.authlifecycle.core.policy.AssurancePolicy.VerificationOutcome;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A JOINER or REHIRE: an onboarding ticket limited to what policy allows, only on a fresh identity
 * verification at the level the subject needs; otherwise a refusal and a request for proofing.
 * Service identities (and identities of unknown type) are never given human MFA. What the HR fold
 * refused gets no ticket: a JOINER for a subject who has left, a REHIRE without a verification that
 * may reopen one, a hire record older than the latest HR event. A REHIRE also drops a
 * future-dated leaver's pending closing.
 */
final class HireDecisions {

  private final JoinerRules rules;
  private final JoinerRecords records;

  HireDecisions(JoinerRules rules, JoinerRecords records) {
    this.rules = rules;
    this.records = records;
  }

  /**
   * Decides on a hire event for the subject's working copy, whose standing the HR fold has already
   * moved ({@code folded}); the decision always stores it.
   */
  Decision<JoinerCase> onHire(JoinerCase state, WorkerEvent event, Folded folded, Instant now) {
    String correlation = JoinerRecords.hireCorrelationId(event.getSubjectId(), event.getEventId());
    Optional<Refusal> refusal = folded.refusal();
    if (refusal.isPresent()) {
      return switch (refusal.get()) {
        case JOINER_DOES_NOT_REOPEN -> terminated(state, event, correlation, now);
        case STALE_EVENT -> stale(state, event, correlation);
        default -> notReopened(state, event, refusal.get(), correlation, now);
      };
    }
    Decision<JoinerCase> out = decide(state, event, correlation, now);
    return event.getType() == WorkerEventType.REHIRE
        ? out.cancel(state.getSubjectId(), JoinerDecisions.LEAVER_EFFECTIVE_TIMER) : out;
  }

  private Decision<JoinerCase> decide(JoinerCase state, WorkerEvent event, String correlation, Instant now) {
    JoinerCases.takeHire(state, event, correlation);
    Decision<JoinerCase> out = Decision.storing(state);
    if (event.getIdentityType() != IdentityType.HUMAN) {
      return nonHuman(state, event, correlation, now, out);
    }
    IdentityVerification verification = event.getIdentityVerification();
    VerificationOutcome verdict = rules.policy().checkVerification(verification, JoinerCases.profile(state));
    if (verdict != VerificationOutcome.VERIFIED) {
      return refuse(state, event, verdict.name(), correlation, now, out);
    }
    if (JoinerCases.verificationUsed(state, verification.getVerificationId())) {
      return refuse(state, event, "VERIFICATION_ALREADY_USED", correlation, now, out);
    }
    return issue(state, event, verification, correlation, now, out);
  }

  private Decision<JoinerCase> issue(JoinerCase state, WorkerEvent event, IdentityVerification verification,
      String correlation, Instant now, Decision<JoinerCase> out) {
    supersedeOpenTicket(state, event, correlation, now, out);
    SubjectProfile profile = JoinerCases.profile(state);
    List<FactorType> allowed = rules.policy().allowedEnrollmentTypes(profile);
    Instant notBefore = event.getEffectiveTime().isAfter(now) ? event.getEffectiveTime() : now;
    Instant expiresAt = notBefore.plus(rules.ticketLifetime());
    String ticketId = records.ticketId(event.getEventId());
    EnrollmentTicket ticket = EnrollmentTicket.newBuilder()
        .setTicketId(ticketId)
        .setPurpose(TicketPurpose.ONBOARDING)
        .setAllowedFactorTypes(allowed)
        .setNotBefore(notBefore)
        .setExpiresAt(expiresAt)
        .setSingleUse(true)
        .setDeliveryChannel(rules.deliveryChannel())
        .build();
    AuthenticatorCommand command = Decisions.command(rules.worker(), CommandAction.ISSUE_ENROLLMENT_TICKET,
        event.getSubjectId(), event.getEventId(), event.getEventTime(), correlation, TicketPurpose.ONBOARDING.name(),
        event.getType() + " with identity verified at " + verification.getLevel() + " by " + verification.getMethod(),
        PolicyRefs.BINDING, now).setTicket(ticket).build();
    JoinerCases.addTicket(state, JoinerTicket.newBuilder().setTicketId(ticketId).setHrEventId(event.getEventId())
        .setHrEventTime(event.getEventTime()).setVerificationId(verification.getVerificationId())
        .setAllowedFactorTypes(allowed).setNotBefore(notBefore).setExpiresAt(expiresAt)
        .setStatus(JoinerTicketStatus.OPEN).setConsumedBy(null).build());
    JoinerCases.useVerification(state, verification.getVerificationId());
    state.setPhase(JoinerPhase.TICKET_OPEN);

    Map<String, String> details = new LinkedHashMap<>();
    details.put("ticketId", ticketId);
    details.put("purpose", TicketPurpose.ONBOARDING.name());
    details.put("allowedFactorTypes", allowed.stream().map(Enum::name).collect(Collectors.joining(",")));
    details.put("notBefore", notBefore.toString());
    details.put("expiresAt", expiresAt.toString());
    details.put("singleUse", "true");
    details.put("deliveryChannel", rules.deliveryChannel().name());
    details.put("verificationId", verification.getVerificationId());
    details.put("verificationMethod", verification.getMethod().name());
    details.put("verificationLevel", verification.getLevel().name());
    details.put("requiredIdentityLevel", rules.policy().requiredIdentityLevel(profile).name());
    details.put("requiredAssuranceLevel", rules.policy().requiredLevel(profile).name());
    out.command(command)
        .audit(JoinerRecords.audit(state, JoinerRecords.TICKET_ISSUED, AuditOutcome.REQUESTED, Severity.INFO,
                PolicyRefs.BINDING, event.getEventId(), correlation)
            .setCommandIds(List.of(command.getCommandId()))
            .setDetails(details));
    scheduleTicketTimers(state, ticketId, event.getEventId(), correlation, expiresAt, out);
    return out;
  }

  /** Reminders at each configured offset before expiry, then the expiry itself. */
  private void scheduleTicketTimers(JoinerCase state, String ticketId, String causationId, String correlation,
      Instant expiresAt, Decision<JoinerCase> out) {
    List<Duration> offsets = rules.reminderOffsets();
    for (int i = 0; i < offsets.size(); i++) {
      out.schedule(timer(state, JoinerDecisions.TICKET_REMINDER_TIMER + i, expiresAt.minus(offsets.get(i)), ticketId,
          causationId, correlation, Map.of("before", offsets.get(i).toString())));
    }
    out.schedule(timer(state, JoinerDecisions.TICKET_EXPIRY_TIMER, expiresAt, ticketId, causationId, correlation,
        Map.of()));
  }

  private static TimerEntry timer(JoinerCase state, String kind, Instant due, String ticketId, String causationId,
      String correlation, Map<String, String> extra) {
    Map<String, String> attributes = new LinkedHashMap<>(extra);
    attributes.put(JoinerDecisions.TICKET_ID_ATTRIBUTE, ticketId);
    return TimerEntry.newBuilder().setOwner(state.getSubjectId()).setKind(kind).setDueAt(due)
        .setCausationId(causationId).setCorrelationId(correlation).setAttributes(attributes).build();
  }

  /** One open ticket at a time: a fresh verification replaces the ticket still open. */
  private void supersedeOpenTicket(JoinerCase state, WorkerEvent event, String correlation, Instant now,
      Decision<JoinerCase> out) {
    JoinerCases.openTicket(state).ifPresent(old -> {
      JoinerCases.closeTicket(old, JoinerTicketStatus.SUPERSEDED, null);
      records.cancelTicketTimers(out, state.getSubjectId());
      AuthenticatorCommand command = records.invalidate(state, old, event.getEventId(), event.getEventTime(),
          correlation, "superseded by a ticket on a newer verification", rules.deliveryChannel(), now);
      out.command(command)
          .audit(JoinerRecords.audit(state, JoinerRecords.TICKET_SUPERSEDED, AuditOutcome.CANCELLED, Severity.INFO,
                  PolicyRefs.INVALIDATION, event.getEventId(), correlation)
              .setReason("a newer identity verification replaces the open ticket")
              .setCommandIds(List.of(command.getCommandId()))
              .setDetails(Map.of("ticketId", old.getTicketId(), "supersededBy", records.ticketId(event.getEventId()))));
    });
  }

  private Decision<JoinerCase> refuse(JoinerCase state, WorkerEvent event, String reason, String correlation,
      Instant now, Decision<JoinerCase> out) {
    SubjectProfile profile = JoinerCases.profile(state);
    if (JoinerCases.openTicket(state).isEmpty() && state.getPhase() != JoinerPhase.ENROLLED) {
      state.setPhase(JoinerPhase.AWAITING_VERIFICATION);
    }
    IdentityVerification verification = event.getIdentityVerification();
    String required = rules.policy().requiredIdentityLevel(profile).name();
    String message = "No enrollment ticket for " + event.getSubjectId() + " (" + reason + "): arrange in-person or "
        + "remote identity proofing at " + required + " or above; a ticket follows a new verification event.";
    List<SubjectNotification> notices = records.proofingRequest(state, message, event.getEventId(), correlation, now);
    notices.forEach(out::notify);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("requiredIdentityLevel", required);
    details.put("verificationId", verification == null ? "none" : verification.getVerificationId());
    details.put("verificationMethod", verification == null ? "none" : String.valueOf(verification.getMethod()));
    details.put("verificationLevel", verification == null ? "none" : String.valueOf(verification.getLevel()));
    details.put("notificationIds", notices.stream().map(SubjectNotification::getEventId).collect(Collectors.joining(",")));
    JoinerCases.openTicket(state).ifPresent(t -> details.put("openTicketId", t.getTicketId()));
    return out.audit(JoinerRecords.audit(state, JoinerRecords.REFUSED, AuditOutcome.REFUSED, Severity.MEDIUM,
            PolicyRefs.BINDING, event.getEventId(), correlation)
        .setReason(reason)
        .setDetails(details));
  }

  /**
   * A JOINER for someone who has left: HR's record is wrong, or someone is trying to bring a closed
   * identity back. Never a ticket on doubt: only a REHIRE (with a fresh verification) reopens.
   */
  private Decision<JoinerCase> terminated(JoinerCase state, WorkerEvent event, String correlation, Instant now) {
    String message = "No enrollment ticket for " + event.getSubjectId() + ": a JOINER arrived for a subject who has "
        + "left. If they are returning, HR sends a REHIRE with a fresh identity verification.";
    return Decision.storing(state)
        .notify(records.toHelpDesk(state, JoinerRecords.NOTIFY_PROOFING_NEEDED, message, event.getEventId(),
            correlation, now).build())
        .audit(JoinerRecords.audit(state, JoinerRecords.REFUSED, AuditOutcome.REFUSED, Severity.HIGH,
                PolicyRefs.INVALIDATION, event.getEventId(), correlation)
            .setReason("SUBJECT_TERMINATED")
            .setDetails(Map.of("eventType", event.getType().name(), "reopenedBy", WorkerEventType.REHIRE.name())));
  }

  /**
   * A REHIRE the HR fold did not let reopen the terminated subject: no ticket, and the manager and
   * help desk are asked for a verification made after the subject left, recent enough to count.
   */
  private Decision<JoinerCase> notReopened(JoinerCase state, WorkerEvent event, Refusal refusal, String correlation,
      Instant now) {
    HrStanding standing = state.getStanding();
    SubjectProfile profile = JoinerCases.profile(state);
    String required = rules.policy().requiredIdentityLevel(profile).name();
    String message = "No enrollment ticket for " + event.getSubjectId() + " (" + refusal + "): a returning employee "
        + "needs an identity verification at " + required + " or above, made after they left and at most "
        + rules.standing().maxVerificationAge().toDays() + " days old; a ticket follows a REHIRE carrying it.";
    List<SubjectNotification> notices = records.proofingRequest(state, message, event.getEventId(), correlation, now);
    IdentityVerification verification = event.getIdentityVerification();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("requiredIdentityLevel", required);
    details.put("verificationId", verification == null ? "none" : verification.getVerificationId());
    details.put("verificationLevel", verification == null ? "none" : String.valueOf(verification.getLevel()));
    details.put("verifiedAt", verification == null ? "none" : String.valueOf(verification.getVerifiedAt()));
    details.put("terminatedAt", String.valueOf(standing.getTerminatedAt()));
    details.put("maxVerificationAge", rules.standing().maxVerificationAge().toString());
    details.put("notificationIds", notices.stream().map(SubjectNotification::getEventId).collect(Collectors.joining(",")));
    Decision<JoinerCase> out = Decision.storing(state);
    notices.forEach(out::notify);
    return out.audit(JoinerRecords.audit(state, JoinerRecords.REFUSED, AuditOutcome.REFUSED, Severity.MEDIUM,
            PolicyRefs.BINDING, event.getEventId(), correlation)
        .setReason(refusal.name())
        .setDetails(details));
  }

  /** A hire record older than the latest HR event applied: it changes nothing, and gets no ticket. */
  private Decision<JoinerCase> stale(JoinerCase state, WorkerEvent event, String correlation) {
    return Decision.storing(state).audit(JoinerRecords.audit(state, JoinerRecords.REFUSED, AuditOutcome.REFUSED,
            Severity.LOW, PolicyRefs.BINDING, event.getEventId(), correlation)
        .setReason(Refusal.STALE_EVENT.name())
        .setDetails(Map.of("eventTime", event.getEventTime().toString(),
            "latestHrEventId", String.valueOf(state.getStanding().getLastEventId()),
            "latestHrEventTime", String.valueOf(state.getStanding().getLastEventTime()))));
  }

  /** Human MFA is not for workloads (OWASP NHI4): refuse, and close any ticket HR's earlier data opened. */
  private Decision<JoinerCase> nonHuman(JoinerCase state, WorkerEvent event, String correlation, Instant now,
      Decision<JoinerCase> out) {
    boolean service = event.getIdentityType() == IdentityType.SERVICE;
    JoinerCases.openTicket(state).ifPresent(open -> {
      JoinerCases.closeTicket(open, JoinerTicketStatus.SUPERSEDED, null);
      records.cancelTicketTimers(out, state.getSubjectId());
      out.command(records.invalidate(state, open, event.getEventId(), event.getEventTime(), correlation,
          "subject is not a verified human identity", rules.deliveryChannel(), now));
    });
    state.setPhase(JoinerPhase.NON_HUMAN);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("identityType", event.getIdentityType().name());
    details.put("guidance", "use workload identity with short-lived credentials, not human MFA");
    details.put("relatedPolicyRef", PolicyRefs.NHI_LONG_LIVED);
    out.audit(JoinerRecords.audit(state, JoinerRecords.NHI_REFUSED, AuditOutcome.REFUSED,
            service ? Severity.MEDIUM : Severity.HIGH, PolicyRefs.NHI_WORKLOAD_IDENTITY, event.getEventId(), correlation)
        .setReason(service ? "SERVICE_IDENTITY" : "IDENTITY_TYPE_UNKNOWN")
        .setCommandIds(out.commands().stream().map(AuthenticatorCommand::getCommandId).toList())
        .setDetails(details));
    if (!service) {
      // HR sent a person-or-workload record without saying which: someone has to correct it.
      out.notify(records.escalation(state, JoinerRecords.NOTIFY_PROOFING_NEEDED, "No enrollment for "
          + event.getSubjectId() + ": HR did not say whether this is a person or a service identity; correct the "
          + "record, then verify the person's identity.", event.getEventId(), correlation, now).build());
    }
    return out;
  }
}
