package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.LeaverAuthenticator;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRevocation;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * IdP facts on a leaver case. Every bound authenticator is recorded (revoked ones too, 63B-4 4.1);
 * one bound to a terminated subject is revoked at once with its sessions. A requested revocation
 * is tracked until the IdP confirms both halves: the REVOKE_ALL (its {@code CommandApplied}, or an
 * {@code AuthenticatorRevoked} for every factor known when it was requested) and the
 * TERMINATE_SESSIONS (its {@code CommandApplied}). A dry-run application confirms nothing. A missed
 * deadline is escalated and what is unconfirmed re-issued once; a failure is an incident.
 */
final class FactDecisions {

  static final String REISSUE = "reissue-1";

  private final LeaverRecords records;
  private final Duration confirmationDeadline;

  FactDecisions(LeaverRecords records, Duration confirmationDeadline) {
    this.records = records;
    this.confirmationDeadline = confirmationDeadline;
  }

  Decision<LeaverCaseState> onBound(LeaverCaseState state, AuthenticatorBound bound, Instant now) {
    Decision<LeaverCaseState> out = Decision.storing(state);
    List<LeaverAuthenticator> known = state.getAuthenticators();
    known.removeIf(a -> a.getAuthenticatorId().equals(bound.getAuthenticatorId()));
    known.add(LeaverAuthenticator.newBuilder().setAuthenticatorId(bound.getAuthenticatorId())
        .setFactorType(bound.getFactorType()).setBoundAt(bound.getEventTime()).setBoundEventId(bound.getEventId())
        .setRevokedAt(null).build());
    if (state.getPhase() != LeaverPhase.TERMINATED) {
      return out;
    }
    String subject = state.getSubjectId();
    String correlation = LeaverRecords.correlationId(state);
    String reason = "authenticator bound to a terminated subject: revoked at once";
    AuthenticatorCommand revoke = records.revokeAuthenticator(subject, bound.getAuthenticatorId(),
        bound.getEventId(), bound.getEventTime(), correlation, reason, now);
    AuthenticatorCommand sessions = records.terminateSessions(subject, bound.getEventId(),
        bound.getEventTime(), correlation, bound.getAuthenticatorId(), reason, now);
    return out.command(revoke).command(sessions)
        .audit(LeaverRecords.audit(subject, "factor.bound.after.termination", AuditOutcome.ANOMALY, Severity.HIGH,
                reason, bound.getEventId(), correlation)
            .setAuthenticatorId(bound.getAuthenticatorId())
            .setFactorType(bound.getFactorType())
            .setCommandIds(List.of(revoke.getCommandId(), sessions.getCommandId()))
            .setDetails(LeaverRecords.details("boundAt", bound.getEventTime().toString(),
                "terminatedAt", String.valueOf(state.getTerminatedAt()),
                "deviceId", String.valueOf(bound.getDeviceId()), "ticketId", String.valueOf(bound.getTicketId()))));
  }

  /**
   * The IdP applied one of the case's commands. A dry-run application (the gateway in shadow mode)
   * changed nothing at the IdP: it is audited as shadow and confirms nothing. The case completes
   * only when both the REVOKE_ALL and the TERMINATE_SESSIONS are confirmed.
   */
  Decision<LeaverCaseState> onApplied(LeaverCaseState state, CommandApplied applied, Instant now) {
    LeaverRevocation revocation = state.getRevocation();
    boolean revokeAll = revocation != null && revocation.getRevokeAllCommandIds().contains(applied.getCommandId());
    boolean sessions = revocation != null && revocation.getOtherCommandIds().contains(applied.getCommandId());
    if (!revokeAll && !sessions) {
      return Decision.none();
    }
    if (applied.getDryRun()) {
      return Decision.storing(state).audit(LeaverRecords.audit(state.getSubjectId(), "leaver.revocation.shadow",
              AuditOutcome.RECORDED, Severity.MEDIUM, "the gateway applied the " + applied.getAction()
                  + " in shadow mode (dry run): nothing changed at the IdP, so the leaver is not confirmed",
              applied.getEventId(), revocation.getCorrelationId())
          .setCommandIds(List.of(applied.getCommandId()))
          .setDetails(LeaverRecords.details("action", applied.getAction().name(), "shadow", "true")));
    }
    if (revokeAll) {
      List<String> touched = new ArrayList<>(revocation.getPendingAuthenticatorIds());
      touched.addAll(applied.getAuthenticatorIds());
      markRevoked(state, touched, applied.getEventTime());
      revocation.getPendingAuthenticatorIds().clear();
      revocation.setRevokeAllConfirmed(true);
    } else {
      revocation.setSessionsConfirmed(true);
    }
    return completeIfConfirmed(state, applied.getEventId(), "CommandApplied " + applied.getCommandId(), now);
  }

  Decision<LeaverCaseState> onRevoked(LeaverCaseState state, AuthenticatorRevoked revoked, Instant now) {
    boolean wasActive = markRevoked(state, List.of(revoked.getAuthenticatorId()), revoked.getEventTime());
    LeaverRevocation revocation = state.getRevocation();
    if (revocation == null || !revocation.getPendingAuthenticatorIds().remove(revoked.getAuthenticatorId())) {
      return wasActive ? Decision.storing(state) : Decision.none();
    }
    if (!revocation.getPendingAuthenticatorIds().isEmpty()) {
      return Decision.storing(state);
    }
    revocation.setRevokeAllConfirmed(true);
    return completeIfConfirmed(state, revoked.getEventId(), "AuthenticatorRevoked for every known factor", now);
  }

  /** Completes the case once both halves are confirmed; until then it is tracked (and its deadline stands). */
  private static Decision<LeaverCaseState> completeIfConfirmed(LeaverCaseState state, String confirmingEventId,
      String confirmedBy, Instant now) {
    LeaverRevocation revocation = state.getRevocation();
    if (!revocation.getRevokeAllConfirmed() || !revocation.getSessionsConfirmed()) {
      return Decision.storing(state);
    }
    return complete(state, confirmingEventId, confirmedBy, now);
  }

  Decision<LeaverCaseState> onFailed(LeaverCaseState state, CommandFailed failed) {
    LeaverRevocation revocation = state.getRevocation();
    if (revocation == null || !(revocation.getRevokeAllCommandIds().contains(failed.getCommandId())
        || revocation.getOtherCommandIds().contains(failed.getCommandId()))) {
      return Decision.none();
    }
    return Decision.storing(state).audit(LeaverRecords.audit(state.getSubjectId(), "leaver.revocation.failed",
            AuditOutcome.FAILED, Severity.HIGH, "the IdP could not apply a leaver's " + failed.getAction()
                + ": the former employee may still hold a working factor or session; still tracking",
            failed.getEventId(), revocation.getCorrelationId())
        .setCommandIds(List.of(failed.getCommandId()))
        .setDetails(LeaverRecords.details("action", failed.getAction().name(), "error", failed.getError(),
            "permanent", String.valueOf(failed.getPermanent()), "attempts", String.valueOf(failed.getAttempts()))));
  }

  /** The confirmation deadline passed: escalate, and re-issue the REVOKE_ALL the first time. */
  Decision<LeaverCaseState> onDeadline(LeaverCaseState state, String causationId, Instant now) {
    LeaverRevocation revocation = state.getRevocation();
    if (revocation == null || !revocation.getCausationId().equals(causationId)) {
      return Decision.none();
    }
    String subject = state.getSubjectId();
    int misses = revocation.getDeadlineMisses() + 1;
    revocation.setDeadlineMisses(misses);
    revocation.setOverdue(true);
    Decision<LeaverCaseState> out = Decision.storing(state);
    String waited = String.valueOf(Duration.between(revocation.getRequestedAt(), now).toMillis());
    if (misses == 1) {
      // Re-issue, once, whichever half the IdP has not confirmed.
      List<AuthenticatorCommand> reissued = new ArrayList<>();
      String why = "leaver revocation not confirmed within " + confirmationDeadline + ": re-issued once";
      if (!revocation.getRevokeAllConfirmed()) {
        AuthenticatorCommand all = records.revokeAll(subject, revocation.getCausationId(), revocation.getDueAt(),
            revocation.getCorrelationId(), REISSUE, why, now);
        revocation.getRevokeAllCommandIds().add(all.getCommandId());
        reissued.add(all);
      }
      if (!revocation.getSessionsConfirmed()) {
        AuthenticatorCommand sessions = records.terminateSessions(subject, revocation.getCausationId(),
            revocation.getDueAt(), revocation.getCorrelationId(), REISSUE, why, now);
        revocation.getOtherCommandIds().add(sessions.getCommandId());
        reissued.add(sessions);
      }
      reissued.forEach(out::command);
      out.schedule(subject, LeaverDecisions.DEADLINE_TIMER, now.plus(confirmationDeadline), revocation.getCausationId(),
          revocation.getCorrelationId());
      return out.audit(overdue(subject, revocation, Severity.HIGH, "no confirmation from the IdP within "
              + confirmationDeadline + ": " + String.join(" and ", reissued.stream().map(c -> c.getAction().name())
                  .toList()) + " re-issued, still waiting")
          .setCommandIds(reissued.stream().map(AuthenticatorCommand::getCommandId).toList())
          .setDetails(LeaverRecords.details("deadline", confirmationDeadline.toString(), "waitedMillis", waited,
              "deadlineMisses", String.valueOf(misses), "reissued", "true",
              "revokeAllConfirmed", String.valueOf(revocation.getRevokeAllConfirmed()),
              "sessionsConfirmed", String.valueOf(revocation.getSessionsConfirmed()))));
    }
    List<String> unconfirmed = new ArrayList<>();
    if (!revocation.getRevokeAllConfirmed()) {
      unconfirmed.addAll(revocation.getRevokeAllCommandIds());
    }
    if (!revocation.getSessionsConfirmed()) {
      unconfirmed.addAll(revocation.getOtherCommandIds());
    }
    return out.audit(overdue(subject, revocation, Severity.CRITICAL, "still no confirmation after the re-issued "
            + "commands: revoke and end the sessions by hand at the IdP; still waiting")
        .setCommandIds(unconfirmed)
        .setDetails(LeaverRecords.details("deadline", confirmationDeadline.toString(), "waitedMillis", waited,
            "deadlineMisses", String.valueOf(misses), "reissued", "true")));
  }

  private static AuditEvent.Builder overdue(String subject, LeaverRevocation revocation, Severity severity, String reason) {
    return LeaverRecords.audit(subject, "leaver.revocation.overdue", AuditOutcome.ESCALATED, severity,
        reason, revocation.getCausationId(), revocation.getCorrelationId());
  }

  private static Decision<LeaverCaseState> complete(LeaverCaseState state, String confirmingEventId,
      String confirmedBy, Instant now) {
    LeaverRevocation revocation = state.getRevocation();
    state.setRevocation(null);
    List<String> commandIds = new ArrayList<>(revocation.getRevokeAllCommandIds());
    commandIds.addAll(revocation.getOtherCommandIds());
    return Decision.storing(state).cancel(state.getSubjectId(), LeaverDecisions.DEADLINE_TIMER)
        .audit(LeaverRecords.audit(state.getSubjectId(), "leaver.completed", AuditOutcome.COMPLETED, Severity.INFO,
                "the IdP confirmed the leaver's revocation", confirmingEventId, revocation.getCorrelationId())
            .setCommandIds(commandIds)
            .setDetails(LeaverRecords.details(
                "elapsedMillis", String.valueOf(Duration.between(revocation.getHrEventTime(), now).toMillis()),
                "elapsedSinceDueMillis", String.valueOf(Duration.between(revocation.getDueAt(), now).toMillis()),
                "confirmedBy", confirmedBy, "leaverEventId", revocation.getCausationId(),
                "deadlineMisses", String.valueOf(revocation.getDeadlineMisses()))));
  }

  /** Marks factors revoked; returns whether any was known and still active. */
  private static boolean markRevoked(LeaverCaseState state, List<String> ids, Instant at) {
    boolean any = false;
    for (LeaverAuthenticator a : state.getAuthenticators()) {
      if (a.getRevokedAt() == null && ids.contains(a.getAuthenticatorId())) {
        a.setRevokedAt(at);
        any = true;
      }
    }
    return any;
  }
}
