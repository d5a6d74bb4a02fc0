package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.mover.registry.Factor.Request;
import io.authlifecycle.mover.registry.Factor.Status;
import io.authlifecycle.mover.registry.Step.Cause;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps the registry true to the IdP's facts: bound, used, revoked, suspended, resumed and the
 * outcome of this worker's commands. A fact about a factor the registry never saw is recorded
 * (and audited), never dropped; a revoked factor is kept, with the time it was revoked.
 */
final class FactRecorder {

  private final MoverRules rules;
  private final DeviceIncidents devices;
  private final RoleChange roles;

  FactRecorder(MoverRules rules, DeviceIncidents devices, RoleChange roles) {
    this.rules = rules;
    this.devices = devices;
    this.roles = roles;
  }

  void bound(Subject subject, AuthenticatorBound fact, Outcome out) {
    Factor factor = subject.record(fact.getAuthenticatorId(), fact.getFactorType(), out.now());
    factor.seenBound = true;
    factor.type = fact.getFactorType();
    if (fact.getDeviceId() != null) {
      factor.deviceId = fact.getDeviceId();
    }
    if (factor.boundAt == null || fact.getEventTime().isAfter(factor.boundAt)) {
      factor.boundAt = fact.getEventTime();
    }
    if (!Objects.equals(factor.expiresAt, fact.getExpiresAt())) {
      // A renewal: the reminders start over for the new expiry time.
      factor.expiresAt = fact.getExpiresAt();
      factor.expiryRemindersSent = 0;
    }
    if (factor.gone()) {
      return;
    }
    if (factor.deviceId != null) {
      DeviceMark mark = subject.devices.get(factor.deviceId);
      if (mark != null && mark.blocks(fact.getEventTime())) {
        devices.bindingOnBlockedDevice(subject, factor, mark, out);
        return;
      }
      if (mark != null && mark.noncompliant() && factor.usable()) {
        devices.bindingOnNoncompliantDevice(subject, factor, mark, out);
      }
    }
    roles.bindingDuringRebind(subject, factor, fact, out);
  }

  /**
   * A use of an active factor, with no staleness reminder open, within the use resolution of its
   * recorded last activity: recording it would only move the last use forward by less than the
   * resolution, so it is not written (the hottest input, a store write and a changelog record each).
   * Repeating such a use decides the same, so its event id need not be remembered either.
   */
  boolean withinResolution(Subject subject, AuthenticatorUsed fact) {
    Factor factor = subject.factors.get(fact.getAuthenticatorId());
    return factor != null && factor.status == Status.ACTIVE && factor.staleReminderAt == null
        && fact.getEventTime().isBefore(factor.lastActivity().plus(rules.useResolution()));
  }

  void used(Subject subject, AuthenticatorUsed fact, Outcome out) {
    Factor factor = known(subject, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out);
    if (factor.lastUsedAt == null || fact.getEventTime().isAfter(factor.lastUsedAt)) {
      factor.lastUsedAt = fact.getEventTime();
    }
    if (factor.staleReminderAt != null && fact.getEventTime().isAfter(factor.staleReminderAt)) {
      factor.staleReminderAt = null;
    }
    Instant endedAt = factor.revokedAt != null ? factor.revokedAt : factor.expiredAt;
    if (endedAt != null && fact.getEventTime().isAfter(endedAt)) {
      out.audit("mover.factor.used-after-end", AuditOutcome.ANOMALY, Severity.HIGH, PolicyRefs.INVALIDATION,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, new Cause(fact.getEventId(), fact.getEventTime(), correlation(subject, factor)))
          .factor(factor).reason("the IdP reports a use after the factor was " + factor.status.name().toLowerCase())
          .detail("endedAt", endedAt);
    }
  }

  void revoked(Subject subject, AuthenticatorRevoked fact, Outcome out) {
    Factor factor = known(subject, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out);
    boolean expiry = factor.requested == Request.EXPIRE && fact.getCommandId() != null
        && fact.getCommandId().equals(factor.requestedCommandId);
    end(subject, factor, expiry ? Status.EXPIRED : Status.REVOKED, fact.getEventTime());
  }

  void suspended(Subject subject, AuthenticatorSuspended fact, Outcome out) {
    Factor factor = known(subject, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out);
    if (ended(factor)) {
      return;
    }
    factor.status = Status.SUSPENDED;
    factor.suspendedAt = fact.getEventTime();
    if (factor.requested == Request.SUSPEND) {
      factor.clearRequest();
    }
  }

  void resumed(Subject subject, AuthenticatorResumed fact, Outcome out) {
    Factor factor = known(subject, fact.getAuthenticatorId(), fact.getFactorType(), fact.getEventId(),
        fact.getEventTime(), out);
    if (ended(factor)) {
      return;
    }
    factor.status = Status.ACTIVE;
    factor.resumedAt = fact.getEventTime();
    factor.suspendedForNoncompliance = false;
    if (factor.requested == Request.RESUME) {
      factor.clearRequest();
    }
  }

  /** The IdP confirmed one of this worker's commands: the factor takes the state the command asked for. */
  void applied(Subject subject, CommandApplied fact) {
    for (Factor factor : subject.factors.values()) {
      if (!fact.getCommandId().equals(factor.requestedCommandId)) {
        continue;
      }
      switch (factor.requested) {
        case REVOKE -> end(subject, factor, Status.REVOKED, fact.getEventTime());
        case EXPIRE -> end(subject, factor, Status.EXPIRED, fact.getEventTime());
        case SUSPEND -> {
          factor.status = Status.SUSPENDED;
          factor.suspendedAt = fact.getEventTime();
          factor.clearRequest();
        }
        case RESUME -> {
          factor.status = Status.ACTIVE;
          factor.resumedAt = fact.getEventTime();
          factor.clearRequest();
        }
        default -> { }
      }
    }
  }

  /** The IdP could not apply one of this worker's commands: escalate; a permanent failure is no longer pending. */
  void failed(Subject subject, CommandFailed fact, Outcome out) {
    for (Factor factor : subject.factors.values()) {
      if (!fact.getCommandId().equals(factor.requestedCommandId)) {
        continue;
      }
      out.audit("mover.command.failed", AuditOutcome.FAILED, Severity.HIGH, PolicyRefs.INVALIDATION,
          PolicyRefs.CSF_CREDENTIALS_MANAGED, new Cause(fact.getEventId(), fact.getEventTime(), correlation(subject, factor)))
          .factor(factor).command(fact.getCommandId()).reason(fact.getError())
          .detail("action", fact.getAction()).detail("permanent", fact.getPermanent())
          .detail("attempts", fact.getAttempts());
      if (fact.getPermanent()) {
        factor.clearRequest();
      }
    }
  }

  /** The factor a fact is about; recorded and audited if the registry never heard of it. */
  private static Factor known(Subject subject, String authenticatorId, FactorType type, String eventId,
      Instant eventTime, Outcome out) {
    boolean unknown = !subject.factors.containsKey(authenticatorId);
    Factor factor = subject.record(authenticatorId, type, out.now());
    if (unknown) {
      out.audit("mover.factor.unknown-recorded", AuditOutcome.RECORDED, Severity.MEDIUM,
          PolicyRefs.AUTHENTICATOR_RECORD, PolicyRefs.CSF_CREDENTIALS_MANAGED,
          new Cause(eventId, eventTime, correlation(subject, factor))).factor(factor)
          .reason("a fact about an authenticator never seen bound; recorded");
    }
    return factor;
  }

  private static void end(Subject subject, Factor factor, Status status, Instant at) {
    factor.status = status;
    if (status == Status.EXPIRED) {
      factor.expiredAt = at;
    } else if (factor.revokedAt == null) {
      factor.revokedAt = at;
    }
    if (factor.requested != Request.NONE) {
      factor.clearRequest();
    }
    if (subject.rebind != null) {
      subject.rebind.graceUntil.remove(factor.id);
    }
  }

  private static boolean ended(Factor factor) {
    return factor.status == Status.REVOKED || factor.status == Status.EXPIRED;
  }

  private static String correlation(Subject subject, Factor factor) {
    return "registry:" + subject.id + ":" + factor.id;
  }
}
