package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import io.authlifecycle.avro.state.LeaverRevocation;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The termination itself: one REVOKE_ALL (factors, backup codes, open tickets) and one
 * TERMINATE_SESSIONS with ids derived from the leaver event, the revocation recorded for
 * {@link FactDecisions} to track, and the owned service identities escalated (OWASP NHI1).
 */
final class Termination {

  private final LeaverRecords records;
  private final Duration confirmationDeadline;

  Termination(LeaverRecords records, Duration confirmationDeadline) {
    this.records = records;
    this.confirmationDeadline = confirmationDeadline;
  }

  /** Revokes every factor, backup code and open ticket and ends every session; tracks it until confirmed. */
  Decision<LeaverCaseState> revoke(LeaverCaseState state, LeaverRequest leaver, Instant now) {
    String subject = state.getSubjectId();
    boolean atOnce = leaver.getImmediate() || leaver.getForCause();
    Instant dueAt = atOnce || leaver.getEffectiveTime().isBefore(leaver.getEventTime())
        ? leaver.getEventTime() : leaver.getEffectiveTime();
    String reason = leaver.getForCause() ? "leaver for cause: revoke everything at once"
        : leaver.getImmediate() ? "immediate leaver: revoke everything at once" : "leaver effective: revoke everything";
    AuthenticatorCommand all = records.revokeAll(subject, leaver.getEventId(), dueAt, leaver.getCorrelationId(),
        "initial", reason, now);
    AuthenticatorCommand sessions = records.terminateSessions(subject, leaver.getEventId(), dueAt,
        leaver.getCorrelationId(), "initial", reason, now);
    List<String> pending = LeaverRecords.activeFactorIds(state);
    state.setPhase(LeaverPhase.TERMINATED);
    state.setTerminatedAt(now);
    state.setRevocation(LeaverRevocation.newBuilder()
        .setCausationId(leaver.getEventId()).setCorrelationId(leaver.getCorrelationId())
        .setHrEventTime(leaver.getEventTime()).setDueAt(dueAt).setRequestedAt(now)
        .setRevokeAllCommandIds(new ArrayList<>(List.of(all.getCommandId())))
        .setOtherCommandIds(new ArrayList<>(List.of(sessions.getCommandId())))
        .setPendingAuthenticatorIds(new ArrayList<>(pending))
        .setDeadlineMisses(0).setOverdue(false).build());
    Decision<LeaverCaseState> out = Decision.storing(state).command(all).command(sessions);
    out.schedule(subject, LeaverDecisions.DEADLINE_TIMER, now.plus(confirmationDeadline), leaver.getEventId(),
        leaver.getCorrelationId());
    boolean unknownSubject = !leaver.getSubjectKnown();
    out.audit(LeaverRecords.audit(subject, "leaver.revocation.requested", AuditOutcome.REQUESTED,
            leaver.getForCause() || unknownSubject ? Severity.MEDIUM : Severity.INFO,
            unknownSubject ? reason + " (a subject never seen before is revoked all the same)" : reason,
            leaver.getEventId(), leaver.getCorrelationId())
        .setCommandIds(List.of(all.getCommandId(), sessions.getCommandId()))
        .setDetails(LeaverRecords.details("effectiveTime", leaver.getEffectiveTime().toString(),
            "immediate", String.valueOf(leaver.getImmediate()), "forCause", String.valueOf(leaver.getForCause()),
            "subjectKnown", String.valueOf(!unknownSubject), "knownActiveFactors", String.valueOf(pending.size()),
            "revokeScope", "factors,backupCodes,openTickets")));
    for (String serviceIdentity : state.getOwnedServiceIdentities()) {
      out.audit(LeaverRecords.serviceIdentityOwnerLeft(subject, serviceIdentity, leaver.getEventId(),
          leaver.getCorrelationId()));
    }
    return out;
  }
}
