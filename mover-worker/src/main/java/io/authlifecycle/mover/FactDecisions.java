package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.MoverDevice;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.binding.BindingOwner;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.mover.MoverRecords.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the registry true to the IdP's facts: bound, used, revoked, suspended, resumed and the
 * outcome of this worker's commands. A fact about a factor the registry never saw is recorded
 * (and audited), never dropped; a revoked factor is kept, with the time it was revoked. A binding
 * on a device MDM has already reported goes to the device decisions, one during a role change's
 * re-bind is recorded as the replacement.
 */
final class FactDecisions {

  private final MoverRules rules;
  private final DeviceDecisions devices;
  private final HrDecisions hr;
  private final TicketDecisions tickets;

  FactDecisions(MoverRules rules, DeviceDecisions devices, HrDecisions hr, TicketDecisions tickets) {
    this.rules = rules;
    this.devices = devices;
    this.hr = hr;
    this.tickets = tickets;
  }

  void onBound(MoverSubject state, AuthenticatorBound fact, Decision<MoverSubject> out, Instant now) {
    MoverFactor factor = MoverSubjects.record(state, fact.getAuthenticatorId(), fact.getFactorType(), now);
    factor.setSeenBound(true);
    factor.setFactorType(fact.getFactorType());
    if (fact.getDeviceId() != null) {
      factor.setDeviceId(fact.getDeviceId());
    }
    if (fact.getDeviceAttribution() != DeviceAttribution.UNKNOWN) {
      factor.setDeviceAttribution(fact.getDeviceAttribution());
    }
    if (factor.getBoundAt() == null || fact.getEventTime().isAfter(factor.getBoundAt())) {
      factor.setBoundAt(fact.getEventTime());
    }
    if (!Objects.equals(factor.getExpiresAt(), fact.getExpiresAt())) {
      // A renewal: the reminders start over for the new expiry time.
      factor.setExpiresAt(fact.getExpiresAt());
      factor.setExpiryRemindersSent(0);
    }
    if (MoverSubjects.gone(factor) || state.getTerminatedAt() != null) {
      // After termination every binding is the leaver worker's to revoke: one decider per binding.
      return;
    }
    boolean underOwnTicket = BindingOwner.of(fact) == BindingOwner.MOVER;
    if (factor.getDeviceId() != null) {
      MoverDevice mark = MoverSubjects.device(state, factor.getDeviceId());
      if (mark != null && MoverSubjects.blocks(mark, fact.getEventTime())) {
        devices.bindingOnBlockedDevice(state, factor, mark, out, now);
        if (underOwnTicket) {
          tickets.spentOnBlockedDevice(state, fact, out, now);
        }
        return;
      }
      if (mark != null && MoverSubjects.noncompliant(mark) && MoverSubjects.usable(factor)) {
        devices.bindingOnNoncompliantDevice(state, factor, mark, out, now);
      }
    }
    if (underOwnTicket) {
      // A REBIND ticket is this worker's: it is the one decider on what is bound under it.
      tickets.onBound(state, factor, fact, out, now);
      return;
    }
    hr.bindingDuringRebind(state, factor, fact, out);
  }

  /**
   * A use of an active factor, with no staleness reminder open, within the use resolution of its
   * recorded last activity: recording it would only move the last use forward by less than the
   * resolution, so it is not written (the hottest input, a store write and a changelog record each).
   * Repeating such a use decides the same, so its event id need not be remembered either.
   */
  boolean withinResolution(MoverSubject stored, AuthenticatorUsed fact) {
    MoverFactor factor = stored == null ? null : MoverSubjects.factor(stored, fact.getAuthenticatorId());
    Instant horizon = factor == null ? null : useHorizon(factor, rules.useResolution());
    return horizon != null && fact.getEventTime().isBefore(horizon);
  }

  /**
   * A use of this factor before the returned time changes nothing worth writing; null when every use
   * must be recorded (the factor is not active, or was reminded stale).
   */
  static Instant useHorizon(MoverFactor factor, Duration resolution) {
    return factor.getStatus() == MoverFactorStatus.ACTIVE && factor.getStaleReminderAt() == null
        ? MoverSubjects.lastActivity(factor).plus(resolution) : null;
  }

  /**
   * A use worth recording, on a {@linkplain MoverSubjects#shallowCopy shallow copy} of the stored state:
   * the one factor it is about is copied before it changes, the rest of the registry is shared.
   */
  void onUsed(MoverSubject state, AuthenticatorUsed fact, Decision<MoverSubject> out, Instant now) {
    MoverFactor shared = MoverSubjects.factor(state, fact.getAuthenticatorId());
    if (shared != null) {
      MoverSubjects.own(state, shared);
    }
    MoverFactor factor = known(state, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out, now);
    if (factor.getLastUsedAt() == null || fact.getEventTime().isAfter(factor.getLastUsedAt())) {
      factor.setLastUsedAt(fact.getEventTime());
    }
    if (factor.getStaleReminderAt() != null && fact.getEventTime().isAfter(factor.getStaleReminderAt())) {
      factor.setStaleReminderAt(null);
    }
    Instant endedAt = factor.getRevokedAt() != null ? factor.getRevokedAt() : factor.getExpiredAt();
    if (endedAt != null && fact.getEventTime().isAfter(endedAt)) {
      out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.factor.used-after-end", AuditOutcome.ANOMALY,
          Severity.HIGH, PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED,
          new Cause(fact.getEventId(), fact.getEventTime(), correlation(state, factor)), "endedAt", endedAt), factor)
          .setReason("the IdP reports a use after the factor was " + factor.getStatus().name().toLowerCase()));
    }
  }

  void onRevoked(MoverSubject state, AuthenticatorRevoked fact, Decision<MoverSubject> out, Instant now) {
    MoverFactor factor = known(state, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out, now);
    boolean expiry = factor.getRequested() == MoverRequest.EXPIRE && fact.getCommandId() != null
        && fact.getCommandId().equals(factor.getRequestedCommandId());
    end(state, factor, expiry ? MoverFactorStatus.EXPIRED : MoverFactorStatus.REVOKED, fact.getEventTime());
  }

  void onSuspended(MoverSubject state, AuthenticatorSuspended fact, Decision<MoverSubject> out, Instant now) {
    MoverFactor factor = known(state, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out, now);
    if (MoverSubjects.ended(factor)) {
      return;
    }
    factor.setStatus(MoverFactorStatus.SUSPENDED);
    factor.setSuspendedAt(fact.getEventTime());
    if (factor.getRequested() == MoverRequest.SUSPEND) {
      MoverSubjects.clearRequest(factor);
    }
  }

  void onResumed(MoverSubject state, AuthenticatorResumed fact, Decision<MoverSubject> out, Instant now) {
    MoverFactor factor = known(state, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out, now);
    if (MoverSubjects.ended(factor)) {
      return;
    }
    factor.setStatus(MoverFactorStatus.ACTIVE);
    factor.setResumedAt(fact.getEventTime());
    factor.setSuspendedForNoncompliance(false);
    if (factor.getRequested() == MoverRequest.RESUME) {
      MoverSubjects.clearRequest(factor);
    }
  }

  /**
   * The IdP confirmed one of this worker's commands: the factor takes the state the command asked
   * for. A dry-run application (the gateway in shadow mode) changed nothing at the IdP: audited as
   * shadow, the factor keeps its state and its request stays pending.
   */
  void onApplied(MoverSubject state, CommandApplied fact, Decision<MoverSubject> out) {
    for (MoverFactor factor : state.getFactors()) {
      if (!fact.getCommandId().equals(factor.getRequestedCommandId())) {
        continue;
      }
      if (fact.getDryRun()) {
        out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.command.shadow", AuditOutcome.RECORDED,
            Severity.MEDIUM, PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED,
            new Cause(fact.getEventId(), fact.getEventTime(), correlation(state, factor)), "action", fact.getAction(),
            "shadow", true, "status", factor.getStatus()), factor)
            .setReason("the gateway applied the " + fact.getAction() + " in shadow mode (dry run): the factor is"
                + " unchanged at the IdP and stays " + factor.getStatus())
            .setCommandIds(List.of(fact.getCommandId())));
        continue;
      }
      switch (factor.getRequested()) {
        case REVOKE -> end(state, factor, MoverFactorStatus.REVOKED, fact.getEventTime());
        case EXPIRE -> end(state, factor, MoverFactorStatus.EXPIRED, fact.getEventTime());
        case SUSPEND -> {
          factor.setStatus(MoverFactorStatus.SUSPENDED);
          factor.setSuspendedAt(fact.getEventTime());
          MoverSubjects.clearRequest(factor);
        }
        case RESUME -> {
          factor.setStatus(MoverFactorStatus.ACTIVE);
          factor.setResumedAt(fact.getEventTime());
          MoverSubjects.clearRequest(factor);
        }
        default -> { }
      }
    }
  }

  /** The IdP could not apply one of this worker's commands: escalate; a permanent failure is no longer pending. */
  void onFailed(MoverSubject state, CommandFailed fact, Decision<MoverSubject> out) {
    for (MoverFactor factor : state.getFactors()) {
      if (!fact.getCommandId().equals(factor.getRequestedCommandId())) {
        continue;
      }
      out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.command.failed", AuditOutcome.FAILED, Severity.HIGH,
          PolicyRefs.INVALIDATION, PolicyRefs.CSF_CREDENTIALS_MANAGED,
          new Cause(fact.getEventId(), fact.getEventTime(), correlation(state, factor)), "action", fact.getAction(),
          "permanent", fact.getPermanent(), "attempts", fact.getAttempts()), factor)
          .setReason(fact.getError()).setCommandIds(List.of(fact.getCommandId())));
      if (fact.getPermanent()) {
        MoverSubjects.clearRequest(factor);
      }
    }
  }

  /** The factor a fact is about; recorded and audited if the registry never heard of it. */
  private static MoverFactor known(MoverSubject state, String authenticatorId, FactorType type, String eventId,
      Instant eventTime, Decision<MoverSubject> out, Instant now) {
    boolean unknown = MoverSubjects.factor(state, authenticatorId) == null;
    MoverFactor factor = MoverSubjects.record(state, authenticatorId, type, now);
    if (unknown) {
      out.audit(MoverRecords.about(MoverRecords.audit(state, "mover.factor.unknown-recorded", AuditOutcome.RECORDED,
          Severity.MEDIUM, PolicyRefs.AUTHENTICATOR_RECORD, PolicyRefs.CSF_CREDENTIALS_MANAGED,
          new Cause(eventId, eventTime, correlation(state, factor))), factor)
          .setReason("a fact about an authenticator never seen bound; recorded"));
    }
    return factor;
  }

  private static void end(MoverSubject state, MoverFactor factor, MoverFactorStatus status, Instant at) {
    factor.setStatus(status);
    if (status == MoverFactorStatus.EXPIRED) {
      factor.setExpiredAt(at);
    } else if (factor.getRevokedAt() == null) {
      factor.setRevokedAt(at);
    }
    if (factor.getRequested() != MoverRequest.NONE) {
      MoverSubjects.clearRequest(factor);
    }
    if (state.getRebind() != null) {
      state.getRebind().getGraceUntil().remove(factor.getAuthenticatorId());
    }
  }

  private static String correlation(MoverSubject state, MoverFactor factor) {
    return "registry:" + state.getSubjectId() + ":" + factor.getAuthenticatorId();
  }
}
