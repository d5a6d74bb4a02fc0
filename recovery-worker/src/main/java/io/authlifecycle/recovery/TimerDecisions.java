package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.recovery.RecoverySubjects.Standing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subject's timers: a request without quorum by its deadline expires (a system case never
 * proofed by its deadline too, see {@link ProofingDecisions}); a cooling-off that
 * passes uncancelled revokes what the request reported lost and issues one short-lived, single-use
 * RECOVERY ticket (what follows is {@link TicketDecisions}'); a recovery lock runs out. A timer whose
 * case moved on decides nothing.
 */
final class TimerDecisions {

  private TimerDecisions() {}

  /** The approval deadline passed: a case still waiting for approvals expires. */
  static Decision<RecoverySubject> deadlinePassed(RecoveryRules rules, RecoverySubject s, String requestId,
      TimerEntry timer, Instant now) {
    Optional<RecoveryCase> found = RecoverySubjects.findCase(s, requestId);
    if (found.isPresent() && RecoverySubjects.awaitingProofing(found.get())) {
      return ProofingDecisions.expire(rules, s, found.get(), timer, now);
    }
    if (found.isEmpty() || found.get().getStatus() != RecoveryCaseStatus.AWAITING_APPROVAL) {
      return Decision.none();
    }
    RecoveryCase c = found.get();
    String subjectId = s.getSubjectId();
    String causationId = timer.getCausationId();
    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, requestId, "recovery.expired", AuditOutcome.EXPIRED,
        Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY,
        c.getApprovals().size() + " of " + c.getQuorum() + " approvals before the deadline " + c.getDeadline(),
        causationId, RecoveryRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    return CaseClosures.close(s, c, RecoveryCaseStatus.EXPIRED, "no quorum before " + c.getDeadline(), now)
        .add(RecoveryRecords.approvalRequest(rules.worker(), s, c, ApprovalStatus.EXPIRED, causationId, now))
        .audit(RecoveryRecords.detail(audit, "approvals", String.join(",", c.getApprovals())))
        .add(RecoveryRecords.notifySubject(rules.worker(), s, requestId, "recovery.expired",
            "The recovery request " + requestId + " for your account expired without the approvals it needed.",
            c.getNotMeRef(), causationId, now));
  }

  /** The cooling-off passed uncancelled: revoke what was reported lost and issue the RECOVERY ticket. */
  static Decision<RecoverySubject> coolingOffEnded(RecoveryRules rules, RecoverySubject s, String requestId,
      TimerEntry timer, Instant now) {
    Optional<RecoveryCase> found = RecoverySubjects.findCase(s, requestId);
    if (found.isEmpty() || found.get().getStatus() != RecoveryCaseStatus.COOLING_OFF) {
      return Decision.none();
    }
    RecoveryCase c = found.get();
    String subjectId = s.getSubjectId();
    String causationId = timer.getCausationId();
    // A subject whose standing changed during the wait (and no leaver said so) still gets nothing.
    Standing standing = RecoverySubjects.standing(s, now);
    boolean locked = RecoverySubjects.lockedAt(s, now);
    List<FactorType> allowed = rules.policy().allowedEnrollmentTypes(RecoverySubjects.profile(s));
    if (standing != Standing.ELIGIBLE || locked || allowed.isEmpty()) {
      String why = standing != Standing.ELIGIBLE ? "subject is no longer eligible (" + standing + ")"
          : locked ? "subject is locked for recovery" : "policy allows no factor type for the subject";
      return CaseClosures.cancel(rules, s, c, why, PolicyRefs.ACCOUNT_RECOVERY, causationId, now);
    }
    Decision<RecoverySubject> out = Decision.none();
    String correlationId = RecoveryRecords.correlationId(subjectId, requestId);
    List<String> commandIds = new ArrayList<>();
    for (String lost : c.getLostAuthenticatorIds()) {
      AuthenticatorCommand revoke = Decisions.command(rules.worker(), CommandAction.REVOKE_AUTHENTICATOR, subjectId,
              c.getRequestEventId(), c.getRequestTime(), correlationId, lost,
              "reported lost in recovery request " + requestId, PolicyRefs.LOSS_THEFT, now)
          .setAuthenticatorId(lost).build();
      commandIds.add(revoke.getCommandId());
      out.command(revoke).audit(RecoveryRecords.audit(subjectId, requestId, "recovery.factor-revocation.requested",
              AuditOutcome.REQUESTED, Severity.MEDIUM, PolicyRefs.LOSS_THEFT, "reported lost in recovery request " + requestId,
              causationId, RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED))
          .setAuthenticatorId(lost)
          .setFactorType(RecoverySubjects.factor(s, lost).map(RecoveryFactor::getFactorType).orElse(null))
          .setCommandIds(List.of(revoke.getCommandId())));
    }
    Instant expiresAt = now.plus(rules.ticketLifetime());
    String ticketId = TicketIds.derive(TicketPurpose.RECOVERY, rules.worker(), c.getRequestEventId(), "recovery-ticket");
    EnrollmentTicket ticket = EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(TicketPurpose.RECOVERY)
        .setAllowedFactorTypes(allowed).setNotBefore(now).setExpiresAt(expiresAt).setSingleUse(true)
        .setDeliveryChannel(rules.ticketChannel()).build();
    AuthenticatorCommand issue = Decisions.command(rules.worker(), CommandAction.ISSUE_ENROLLMENT_TICKET, subjectId,
            c.getRequestEventId(), c.getRequestTime(), correlationId, TicketPurpose.RECOVERY.name(),
            "recovery approved by " + String.join(", ", c.getApprovals()) + "; cooling-off ended uncancelled",
            PolicyRefs.ACCOUNT_RECOVERY, now)
        .setTicket(ticket).build();
    commandIds.add(issue.getCommandId());

    c.setStatus(RecoveryCaseStatus.COMPLETED);
    c.setClosedAt(now);
    c.setCloseReason("recovery ticket issued");
    c.setTicketId(ticketId);
    c.setTicketNotBefore(now);
    c.setTicketExpiresAt(expiresAt);
    c.setTicketAllowedFactorTypes(new ArrayList<>(allowed));

    AuditEvent.Builder audit = RecoveryRecords.audit(subjectId, requestId, "recovery.completed", AuditOutcome.COMPLETED,
        Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "RECOVERY ticket issued after " + c.getApprovals().size()
            + " approvals and the cooling-off", causationId,
        RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND, PolicyRefs.CSF_LEAST_PRIVILEGE))
        .setCommandIds(commandIds);
    RecoveryRecords.detail(audit, "ticketId", ticketId);
    RecoveryRecords.detail(audit, "ticketExpiresAt", expiresAt.toString());
    RecoveryRecords.detail(audit, "allowedFactorTypes", allowed.toString());
    RecoveryRecords.detail(audit, "approvers", String.join(",", c.getApprovals()));
    return out.command(issue)
        .schedule(RecoveryRecords.timer(subjectId, RecoveryRecords.TICKET_EXPIRY, requestId, expiresAt, causationId))
        .audit(audit)
        .add(RecoveryRecords.notifySubject(rules.worker(), s, requestId, "recovery.completed",
            "Your account recovery was completed: a single-use enrollment ticket valid until " + expiresAt
                + " was issued. If this was not you, contact security at once with reference " + c.getNotMeRef() + ".",
            c.getNotMeRef(), causationId, now));
  }

  /** The recovery lock ran out. */
  static Decision<RecoverySubject> unlock(RecoverySubject s, TimerEntry timer, Instant now) {
    if (s.getLockedUntil() == null || now.isBefore(s.getLockedUntil())) {
      return Decision.none();
    }
    s.setLockedUntil(null);
    return Decision.<RecoverySubject>none().audit(Decisions.audit(s.getSubjectId(), "recovery.unlocked",
            AuditOutcome.RECORDED, Severity.INFO, PolicyRefs.ACCOUNT_RECOVERY,
            RecoveryRecords.controls(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason("recovery lock period ended").setCausationId(timer.getCausationId())
        .setCorrelationId(timer.getCorrelationId()));
  }
}
