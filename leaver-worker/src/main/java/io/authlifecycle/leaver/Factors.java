package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.LeaverAuthenticator;
import io.authlifecycle.avro.state.LeaverPhase;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The record of every authenticator bound to the subject (revoked ones too, 63B-4 4.1), and the
 * anomaly decision: a factor bound to a terminated subject is revoked at once with its sessions.
 */
final class Factors {

  private final LeaverCase leaverCase;

  Factors(LeaverCase leaverCase) {
    this.leaverCase = leaverCase;
  }

  Outcome onBound(AuthenticatorBound bound, Instant now) {
    Outcome out = new Outcome().caseChanged();
    List<LeaverAuthenticator> known = leaverCase.state().getAuthenticators();
    known.removeIf(a -> a.getAuthenticatorId().equals(bound.getAuthenticatorId()));
    known.add(LeaverAuthenticator.newBuilder().setAuthenticatorId(bound.getAuthenticatorId())
        .setFactorType(bound.getFactorType()).setBoundAt(bound.getEventTime()).setBoundEventId(bound.getEventId())
        .setRevokedAt(null).build());
    if (leaverCase.state().getPhase() != LeaverPhase.TERMINATED) {
      return out;
    }
    String subject = leaverCase.subjectId();
    String correlation = leaverCase.correlationId();
    String reason = "authenticator bound to a terminated subject: revoked at once";
    AuthenticatorCommand revoke = leaverCase.records().revokeAuthenticator(subject, bound.getAuthenticatorId(),
        bound.getEventId(), bound.getEventTime(), correlation, reason, now);
    AuthenticatorCommand sessions = leaverCase.records().terminateSessions(subject, bound.getEventId(),
        bound.getEventTime(), correlation, bound.getAuthenticatorId(), reason, now);
    out.command(revoke).command(sessions);
    out.audit(LeaverRecords.audit(subject, "factor.bound.after.termination", AuditOutcome.ANOMALY, Severity.HIGH,
            reason, bound.getEventId(), correlation)
        .setAuthenticatorId(bound.getAuthenticatorId())
        .setFactorType(bound.getFactorType())
        .setCommandIds(List.of(revoke.getCommandId(), sessions.getCommandId()))
        .setDetails(LeaverCase.details("boundAt", bound.getEventTime().toString(),
            "terminatedAt", String.valueOf(leaverCase.state().getTerminatedAt()),
            "deviceId", String.valueOf(bound.getDeviceId()), "ticketId", String.valueOf(bound.getTicketId()))));
    return out;
  }

  /** Ids of the known factors not yet revoked, in binding order. */
  List<String> activeIds() {
    return leaverCase.state().getAuthenticators().stream().filter(a -> a.getRevokedAt() == null)
        .map(LeaverAuthenticator::getAuthenticatorId).toList();
  }

  /** Marks factors revoked; returns whether any was known and still active. */
  boolean markRevoked(Collection<String> ids, Instant at) {
    boolean any = false;
    for (LeaverAuthenticator a : leaverCase.state().getAuthenticators()) {
      if (a.getRevokedAt() == null && ids.contains(a.getAuthenticatorId())) {
        a.setRevokedAt(at);
        any = true;
      }
    }
    return any;
  }
}
