package io.authlifecycle.recovery;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.binding.IndependentChannels;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RECOVERY ticket after it is issued. The recovery worker is the one decider on bindings made
 * under it: the first binding inside its window, of a type today's policy allows, stands (the
 * ticket is spent and closed at the IdP, the subject told on an independent channel); a second
 * binding under a used ticket, one after expiry or after the subject disowned the recovery, or
 * under a RECOVERY id no case issued, is revoked and audited HIGH. An unused ticket is invalidated
 * at its expiry. A "this wasn't me" after the recovery completed ends it all: the ticket closed,
 * what was bound under it revoked, the sessions ended.
 */
final class TicketDecisions {

  private TicketDecisions() {}

  /** A binding whose ticket id names a RECOVERY ticket, on {@code s} (a working copy). */
  static Decision<RecoverySubject> onBound(RecoveryRules rules, RecoverySubject s, AuthenticatorBound bound, Instant now) {
    Optional<RecoveryCase> found = s.getCases().stream()
        .filter(c -> bound.getTicketId().equals(c.getTicketId())).findFirst();
    if (found.isEmpty()) {
      return refuse(rules, s, null, bound, "recovery.binding.refused", "TICKET_NOT_ISSUED", now);
    }
    RecoveryCase c = found.get();
    if (c.getTicketUsed()) {
      return c.getTicketBoundAuthenticatorIds().contains(bound.getAuthenticatorId()) ? Decision.none()
          : refuse(rules, s, c, bound, "recovery.ticket.reuse", "TICKET_ALREADY_USED", now);
    }
    if (c.getStatus() == RecoveryCaseStatus.DISOWNED) {
      return refuse(rules, s, c, bound, "recovery.binding.refused", "RECOVERY_DISOWNED", now);
    }
    if (c.getTicketExpiresAt() == null || !bound.getEventTime().isBefore(c.getTicketExpiresAt())) {
      return refuse(rules, s, c, bound, "recovery.binding.refused", "TICKET_EXPIRED", now);
    }
    if (c.getTicketNotBefore() != null && bound.getEventTime().isBefore(c.getTicketNotBefore())) {
      return refuse(rules, s, c, bound, "recovery.binding.refused", "TICKET_NOT_YET_VALID", now);
    }
    // Single use: the first binding inside the window spends the ticket, standing or not.
    c.setTicketUsed(true);
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none()
        .cancel(s.getSubjectId(), RecoveryRecords.TICKET_EXPIRY + c.getRequestId())
        .command(invalidate(rules, s, c, bound.getEventId(), bound.getEventTime(),
            "RECOVERY ticket used by " + bound.getAuthenticatorId(), now));
    boolean allowed = c.getTicketAllowedFactorTypes().contains(bound.getFactorType())
        && rules.policy().qualifies(bound.getFactorType(), RecoverySubjects.profile(s));
    if (!allowed) {
      return out.add(refuse(rules, s, c, bound, "recovery.binding.refused", "FACTOR_TYPE_NOT_ALLOWED", now));
    }
    List<String> boundIds = new ArrayList<>(c.getTicketBoundAuthenticatorIds());
    boundIds.add(bound.getAuthenticatorId());
    c.setTicketBoundAuthenticatorIds(boundIds);
    AuditEvent.Builder used = RecoveryRecords.audit(s.getSubjectId(), c.getRequestId(), "recovery.ticket.used",
            AuditOutcome.COMPLETED, Severity.INFO, PolicyRefs.BINDING_CODE, "RECOVERY ticket used to bind "
                + bound.getFactorType() + "; the ticket is closed", bound.getEventId(),
            RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND))
        .setAuthenticatorId(bound.getAuthenticatorId()).setFactorType(bound.getFactorType())
        .setCommandIds(out.commands().stream().map(AuthenticatorCommand::getCommandId).toList());
    RecoveryRecords.detail(used, "ticketId", c.getTicketId());
    List<Channel> channels = IndependentChannels.forBinding(RecoverySubjects.caseChannels(s, c.getRequestId()),
        bound.getFactorType(), bound.getDeviceId());
    return out.audit(used).add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "factor.bound",
        "A " + bound.getFactorType() + " authenticator was added to your account at " + bound.getEventTime()
            + " with your recovery ticket. If this wasn't you, cancel it now with reference " + c.getNotMeRef() + ".",
        c.getNotMeRef(), bound.getEventId(), channels, now));
  }

  /** The ticket's lifetime ended unused: it is closed at the IdP. */
  static Decision<RecoverySubject> expired(RecoveryRules rules, RecoverySubject s, String requestId, TimerEntry timer,
      Instant now) {
    Optional<RecoveryCase> found = RecoverySubjects.findCase(s, requestId);
    if (found.isEmpty() || found.get().getTicketUsed() || found.get().getTicketId() == null
        || found.get().getStatus() == RecoveryCaseStatus.DISOWNED) {
      return Decision.none();
    }
    RecoveryCase c = found.get();
    AuthenticatorCommand close = invalidate(rules, s, c, timer.getCausationId(), timer.getDueAt(),
        "RECOVERY ticket expired unused", now);
    return Decision.<RecoverySubject>none().command(close).audit(RecoveryRecords.detail(RecoveryRecords.audit(
            s.getSubjectId(), requestId, "recovery.ticket.expired", AuditOutcome.EXPIRED, Severity.LOW,
            PolicyRefs.BINDING_CODE, "RECOVERY ticket expired unused; closed at the IdP", timer.getCausationId(),
            RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setCommandIds(List.of(close.getCommandId())), "ticketId", c.getTicketId()));
  }

  /**
   * The subject says a completed recovery was not them: whoever recovered the account is put out
   * again. The ticket is closed, everything bound under it revoked, every session ended (4.2.3, 4.6).
   */
  static Decision<RecoverySubject> disown(RecoveryRules rules, RecoverySubject s, RecoveryCase c, String causationId,
      Instant causationTime, String requesterId, Instant now) {
    String subjectId = s.getSubjectId();
    String correlationId = RecoveryRecords.correlationId(subjectId, c.getRequestId());
    c.setStatus(RecoveryCaseStatus.DISOWNED);
    c.setDisownedAt(now);
    c.setCloseReason("the subject said the recovery was not them");
    Decision<RecoverySubject> out = Decision.<RecoverySubject>none()
        .cancel(subjectId, RecoveryRecords.TICKET_EXPIRY + c.getRequestId())
        .command(invalidate(rules, s, c, causationId, causationTime, "recovery disowned by the subject", now));
    for (String bound : c.getTicketBoundAuthenticatorIds()) {
      AuthenticatorCommand revoke = Decisions.command(rules.worker(), CommandAction.REVOKE_AUTHENTICATOR, subjectId,
          causationId, causationTime, correlationId, bound, "bound under a recovery the subject disowned",
          PolicyRefs.ACCOUNT_NOTIFICATIONS, now).setAuthenticatorId(bound).build();
      out.command(revoke).audit(RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.factor-revocation.requested",
              AuditOutcome.REQUESTED, Severity.HIGH, PolicyRefs.ACCOUNT_NOTIFICATIONS,
              "bound under a recovery the subject disowned", causationId,
              RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED))
          .setAuthenticatorId(bound).setCommandIds(List.of(revoke.getCommandId())));
    }
    out.command(Decisions.command(rules.worker(), CommandAction.TERMINATE_SESSIONS, subjectId, causationId,
        causationTime, correlationId, c.getRequestId(), "recovery disowned by the subject",
        PolicyRefs.ACCOUNT_NOTIFICATIONS, now).build());
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, c.getRequestId(), "recovery.disowned",
            AuditOutcome.ESCALATED, Severity.HIGH, PolicyRefs.ACCOUNT_NOTIFICATIONS,
            "the subject said the completed recovery was not them: ticket closed, "
                + c.getTicketBoundAuthenticatorIds().size() + " factor(s) bound under it revoked, sessions ended",
            causationId, RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED, PolicyRefs.CSF_LEAST_PRIVILEGE))
        .setCommandIds(out.commands().stream().map(AuthenticatorCommand::getCommandId).toList());
    RecoveryRecords.detail(audit, "requesterId", requesterId);
    RecoveryRecords.detail(audit, "ticketId", String.valueOf(c.getTicketId()));
    RecoveryRecords.detail(audit, "revoked", String.join(",", c.getTicketBoundAuthenticatorIds()));
    return out.audit(audit).add(RecoveryRecords.notifySubject(rules.worker(), s, c.getRequestId(), "recovery.disowned",
        "You told us the recovery of your account was not you: the factors added with it were removed and every "
            + "session was ended. Contact the help desk to confirm your identity.", null, causationId, now));
  }

  /** Revokes a binding that may not stand under a RECOVERY id. */
  private static Decision<RecoverySubject> refuse(RecoveryRules rules, RecoverySubject s, RecoveryCase c,
      AuthenticatorBound bound, String action, String why, Instant now) {
    String requestId = c == null ? "none" : c.getRequestId();
    AuthenticatorCommand revoke = Decisions.command(rules.worker(), CommandAction.REVOKE_AUTHENTICATOR, s.getSubjectId(),
        bound.getEventId(), bound.getEventTime(), RecoveryRecords.correlationId(s.getSubjectId(), requestId),
        bound.getAuthenticatorId(), action + ": " + why, PolicyRefs.BINDING_CODE, now)
        .setAuthenticatorId(bound.getAuthenticatorId()).build();
    AuditEvent.Builder audit = RecoveryRecords.audit(s.getSubjectId(), requestId, action, AuditOutcome.REFUSED,
            Severity.HIGH, PolicyRefs.BINDING_CODE, why, bound.getEventId(),
            RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND))
        .setAuthenticatorId(bound.getAuthenticatorId()).setFactorType(bound.getFactorType())
        .setCommandIds(List.of(revoke.getCommandId()));
    RecoveryRecords.detail(audit, "ticketId", bound.getTicketId());
    if (c != null) {
      RecoveryRecords.detail(audit, "firstUsedBy", String.join(",", c.getTicketBoundAuthenticatorIds()));
    }
    return Decision.<RecoverySubject>none().command(revoke).audit(audit);
  }

  /** Closes the case's ticket at the IdP, naming it with the terms it was issued with. */
  private static AuthenticatorCommand invalidate(RecoveryRules rules, RecoverySubject s, RecoveryCase c,
      String causationId, Instant causationTime, String reason, Instant now) {
    Instant expiresAt = c.getTicketExpiresAt();
    Instant notBefore = c.getTicketNotBefore() != null ? c.getTicketNotBefore() : expiresAt.minus(rules.ticketLifetime());
    return Decisions.command(rules.worker(), CommandAction.INVALIDATE_TICKET, s.getSubjectId(), causationId,
            causationTime, RecoveryRecords.correlationId(s.getSubjectId(), c.getRequestId()), c.getTicketId(), reason,
            PolicyRefs.INVALIDATION, now)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(c.getTicketId()).setPurpose(TicketPurpose.RECOVERY)
            .setAllowedFactorTypes(new ArrayList<>(c.getTicketAllowedFactorTypes())).setNotBefore(notBefore)
            .setExpiresAt(expiresAt).setSingleUse(true).setDeliveryChannel(rules.ticketChannel()).build())
        .build();
  }
}
