package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.LeaverRevocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tracks a requested revocation until the IdP confirms it: a {@code CommandApplied} for the
 * REVOKE_ALL, or an {@code AuthenticatorRevoked} for every factor known when it was requested.
 * A missed deadline is escalated and the REVOKE_ALL re-issued once; a failure is an incident.
 */
final class Completion {

  static final String REISSUE = "reissue-1";

  private final LeaverCase leaverCase;

  Completion(LeaverCase leaverCase) {
    this.leaverCase = leaverCase;
  }

  Outcome onApplied(CommandApplied applied, Instant now) {
    LeaverRevocation revocation = leaverCase.state().getRevocation();
    if (revocation == null || !revocation.getRevokeAllCommandIds().contains(applied.getCommandId())) {
      return Outcome.none();
    }
    List<String> touched = new ArrayList<>(revocation.getPendingAuthenticatorIds());
    touched.addAll(applied.getAuthenticatorIds());
    leaverCase.factors().markRevoked(touched, applied.getEventTime());
    return complete(applied.getEventId(), "CommandApplied " + applied.getCommandId()
        + (applied.getDryRun() ? " (dry run)" : ""), now);
  }

  Outcome onRevoked(AuthenticatorRevoked revoked, Instant now) {
    boolean wasActive = leaverCase.factors().markRevoked(List.of(revoked.getAuthenticatorId()), revoked.getEventTime());
    LeaverRevocation revocation = leaverCase.state().getRevocation();
    if (revocation == null || !revocation.getPendingAuthenticatorIds().remove(revoked.getAuthenticatorId())) {
      return wasActive ? new Outcome().caseChanged() : Outcome.none();
    }
    if (!revocation.getPendingAuthenticatorIds().isEmpty()) {
      return new Outcome().caseChanged();
    }
    return complete(revoked.getEventId(), "AuthenticatorRevoked for every known factor", now);
  }

  Outcome onFailed(CommandFailed failed) {
    LeaverRevocation revocation = leaverCase.state().getRevocation();
    if (revocation == null || !(revocation.getRevokeAllCommandIds().contains(failed.getCommandId())
        || revocation.getOtherCommandIds().contains(failed.getCommandId()))) {
      return Outcome.none();
    }
    return new Outcome().caseChanged().audit(LeaverRecords.audit(leaverCase.subjectId(), "leaver.revocation.failed",
            AuditOutcome.FAILED, Severity.HIGH, "the IdP could not apply a leaver's " + failed.getAction()
                + ": the former employee may still hold a working factor or session; still tracking",
            failed.getEventId(), revocation.getCorrelationId())
        .setCommandIds(List.of(failed.getCommandId()))
        .setDetails(LeaverCase.details("action", failed.getAction().name(), "error", failed.getError(),
            "permanent", String.valueOf(failed.getPermanent()), "attempts", String.valueOf(failed.getAttempts()))));
  }

  /** The confirmation deadline passed: escalate, and re-issue the REVOKE_ALL the first time. */
  Outcome onDeadline(String causationId, Instant now) {
    LeaverRevocation revocation = leaverCase.state().getRevocation();
    if (revocation == null || !revocation.getCausationId().equals(causationId)) {
      return Outcome.none();
    }
    Duration deadline = leaverCase.rules().confirmationDeadline();
    int misses = revocation.getDeadlineMisses() + 1;
    revocation.setDeadlineMisses(misses);
    revocation.setOverdue(true);
    Outcome out = new Outcome().caseChanged();
    String waited = String.valueOf(Duration.between(revocation.getRequestedAt(), now).toMillis());
    if (misses == 1) {
      AuthenticatorCommand reissued = leaverCase.records().revokeAll(leaverCase.subjectId(), revocation.getCausationId(),
          revocation.getDueAt(), revocation.getCorrelationId(), REISSUE,
          "leaver revocation not confirmed within " + deadline + ": re-issued once", now);
      revocation.getRevokeAllCommandIds().add(reissued.getCommandId());
      out.command(reissued);
      out.schedule(LeaverCase.DEADLINE_TIMER, now.plus(deadline), revocation.getCausationId(),
          revocation.getCorrelationId());
      return out.audit(overdue(revocation, Severity.HIGH, "no confirmation from the IdP within " + deadline
              + ": REVOKE_ALL re-issued, still waiting")
          .setCommandIds(List.of(reissued.getCommandId()))
          .setDetails(LeaverCase.details("deadline", deadline.toString(), "waitedMillis", waited,
              "deadlineMisses", String.valueOf(misses), "reissued", "true")));
    }
    return out.audit(overdue(revocation, Severity.CRITICAL, "still no confirmation after the re-issued REVOKE_ALL: "
            + "revoke by hand at the IdP; still waiting")
        .setCommandIds(List.copyOf(revocation.getRevokeAllCommandIds()))
        .setDetails(LeaverCase.details("deadline", deadline.toString(), "waitedMillis", waited,
            "deadlineMisses", String.valueOf(misses), "reissued", "true")));
  }

  private AuditEvent.Builder overdue(LeaverRevocation revocation, Severity severity, String reason) {
    return LeaverRecords.audit(leaverCase.subjectId(), "leaver.revocation.overdue", AuditOutcome.ESCALATED, severity,
        reason, revocation.getCausationId(), revocation.getCorrelationId());
  }

  private Outcome complete(String confirmingEventId, String confirmedBy, Instant now) {
    LeaverRevocation revocation = leaverCase.state().getRevocation();
    leaverCase.state().setRevocation(null);
    List<String> commandIds = new ArrayList<>(revocation.getRevokeAllCommandIds());
    commandIds.addAll(revocation.getOtherCommandIds());
    return new Outcome().caseChanged().cancel(LeaverCase.DEADLINE_TIMER)
        .audit(LeaverRecords.audit(leaverCase.subjectId(), "leaver.completed", AuditOutcome.COMPLETED, Severity.INFO,
                "the IdP confirmed the leaver's revocation", confirmingEventId, revocation.getCorrelationId())
            .setCommandIds(commandIds)
            .setDetails(LeaverCase.details(
                "elapsedMillis", String.valueOf(Duration.between(revocation.getHrEventTime(), now).toMillis()),
                "elapsedSinceDueMillis", String.valueOf(Duration.between(revocation.getDueAt(), now).toMillis()),
                "confirmedBy", confirmedBy, "leaverEventId", revocation.getCausationId(),
                "deadlineMisses", String.valueOf(revocation.getDeadlineMisses()))));
  }
}
