package io.authlifecycle.recovery;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end of an approved recovery: when the cooling-off passes uncancelled, revoke what the
 * request reported lost and issue one short-lived, single-use RECOVERY ticket; then record the
 * ticket's use or expiry.
 */
public final class RecoveryCompletion {

  private RecoveryCompletion() {}

  public static void coolingOffEnded(RecoveryRules rules, SubjectState subject, String requestId, TimerEntry timer,
      Effects fx, Instant now) {
    Optional<RecoveryCase> found = subject.findCase(requestId);
    if (found.isEmpty() || found.get().getStatus() != RecoveryCaseStatus.COOLING_OFF) {
      return;
    }
    RecoveryCase c = found.get();
    String causationId = timer.getCausationId();
    // A subject whose standing changed during the wait (and no leaver said so) still gets nothing.
    SubjectState.Standing standing = subject.standing(now);
    List<FactorType> allowed = rules.policy().allowedEnrollmentTypes(subject.profile());
    if (standing != SubjectState.Standing.ELIGIBLE || subject.lockedAt(now) || allowed.isEmpty()) {
      String why = standing != SubjectState.Standing.ELIGIBLE ? "subject is no longer eligible (" + standing + ")"
          : subject.lockedAt(now) ? "subject is locked for recovery" : "policy allows no factor type for the subject";
      CaseClosures.cancel(rules, subject, c, fx, why, PolicyRefs.ACCOUNT_RECOVERY, causationId, now);
      return;
    }
    String correlationId = CaseRecords.correlationId(subject.subjectId(), requestId);
    List<String> commandIds = new ArrayList<>();
    for (String lost : c.getLostAuthenticatorIds()) {
      AuthenticatorCommand revoke = Decisions.command(rules.worker(), CommandAction.REVOKE_AUTHENTICATOR, subject.subjectId(),
              c.getRequestEventId(), c.getRequestTime(), correlationId, lost,
              "reported lost in recovery request " + requestId, PolicyRefs.LOSS_THEFT, now)
          .setAuthenticatorId(lost).build();
      fx.command(revoke);
      commandIds.add(revoke.getCommandId());
      fx.audit(CaseRecords.audit(subject.subjectId(), requestId, "recovery.factor-revocation.requested", AuditOutcome.REQUESTED,
              Severity.MEDIUM, PolicyRefs.LOSS_THEFT, "reported lost in recovery request " + requestId, causationId,
              CaseRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED))
          .setAuthenticatorId(lost).setFactorType(subject.factor(lost).map(f -> f.getFactorType()).orElse(null))
          .setCommandIds(List.of(revoke.getCommandId())));
    }
    Instant expiresAt = now.plus(rules.ticketLifetime());
    String ticketId = Ids.derive(rules.worker(), c.getRequestEventId(), "recovery-ticket");
    EnrollmentTicket ticket = EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(TicketPurpose.RECOVERY)
        .setAllowedFactorTypes(allowed).setNotBefore(now).setExpiresAt(expiresAt).setSingleUse(true)
        .setDeliveryChannel(rules.ticketChannel()).build();
    AuthenticatorCommand issue = Decisions.command(rules.worker(), CommandAction.ISSUE_ENROLLMENT_TICKET, subject.subjectId(),
            c.getRequestEventId(), c.getRequestTime(), correlationId, TicketPurpose.RECOVERY.name(),
            "recovery approved by " + String.join(", ", c.getApprovals()) + "; cooling-off ended uncancelled",
            PolicyRefs.ACCOUNT_RECOVERY, now)
        .setTicket(ticket).build();
    fx.command(issue);
    commandIds.add(issue.getCommandId());

    c.setStatus(RecoveryCaseStatus.COMPLETED);
    c.setClosedAt(now);
    c.setCloseReason("recovery ticket issued");
    c.setTicketId(ticketId);
    c.setTicketExpiresAt(expiresAt);
    fx.schedule(CaseRecords.timer(subject.subjectId(), CaseRecords.TICKET_EXPIRY, requestId, expiresAt, causationId));

    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), requestId, "recovery.completed", AuditOutcome.COMPLETED,
        Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "RECOVERY ticket issued after " + c.getApprovals().size()
            + " approvals and the cooling-off", causationId,
        CaseRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND, PolicyRefs.CSF_LEAST_PRIVILEGE))
        .setCommandIds(commandIds);
    CaseRecords.detail(audit, "ticketId", ticketId);
    CaseRecords.detail(audit, "ticketExpiresAt", expiresAt.toString());
    CaseRecords.detail(audit, "allowedFactorTypes", allowed.toString());
    CaseRecords.detail(audit, "approvers", String.join(",", c.getApprovals()));
    fx.audit(audit);
    CaseRecords.notifySubject(fx, rules.worker(), subject.subjectId(), subject.channels(), requestId, "recovery.completed",
        "Your account recovery was completed: a single-use enrollment ticket valid until " + expiresAt
            + " was issued. If this was not you, contact security at once with reference " + c.getNotMeRef() + ".",
        c.getNotMeRef(), causationId, now);
  }

  /** A binding that used a recovery ticket consumes it. */
  public static void factorBound(SubjectState subject, AuthenticatorBound bound, Effects fx) {
    if (bound.getTicketId() == null) {
      return;
    }
    for (RecoveryCase c : subject.cases()) {
      if (bound.getTicketId().equals(c.getTicketId()) && !c.getTicketUsed()) {
        c.setTicketUsed(true);
        fx.cancelTimer(CaseRecords.TICKET_EXPIRY + c.getRequestId());
        fx.audit(CaseRecords.audit(subject.subjectId(), c.getRequestId(), "recovery.ticket.used", AuditOutcome.COMPLETED,
                Severity.INFO, PolicyRefs.BINDING_CODE, "RECOVERY ticket used to bind " + bound.getFactorType(),
                bound.getEventId(), CaseRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND))
            .setAuthenticatorId(bound.getAuthenticatorId()).setFactorType(bound.getFactorType()));
      }
    }
  }

  /** The ticket's lifetime ended unused. */
  public static void ticketExpired(SubjectState subject, String requestId, TimerEntry timer, Effects fx) {
    Optional<RecoveryCase> found = subject.findCase(requestId);
    if (found.isEmpty() || found.get().getTicketUsed() || found.get().getTicketId() == null) {
      return;
    }
    fx.audit(CaseRecords.detail(CaseRecords.audit(subject.subjectId(), requestId, "recovery.ticket.expired", AuditOutcome.EXPIRED,
            Severity.LOW, PolicyRefs.BINDING_CODE, "RECOVERY ticket expired unused", timer.getCausationId(),
            CaseRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED)), "ticketId", found.get().getTicketId()));
  }
}
