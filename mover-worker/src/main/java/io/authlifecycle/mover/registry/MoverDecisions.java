package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.WorkerEvent;
import java.time.Instant;

/**
 * The mover's decisions over one subject's registry view, in plain Java: an input record or a
 * due timer in, the steps to emit out, the subject updated in place. Duplicates (an event id
 * already decided) change nothing and emit nothing.
 */
public final class MoverDecisions {

  private final MoverRules rules;
  private final FactRecorder facts;
  private final RoleChange roles;
  private final DeviceIncidents devices;
  private final FactorClock clock;

  public MoverDecisions(MoverRules rules) {
    this.rules = rules;
    this.roles = new RoleChange(rules);
    this.devices = new DeviceIncidents(rules);
    this.facts = new FactRecorder(rules, devices, roles);
    this.clock = new FactorClock(rules);
  }

  public MoverRules rules() {
    return rules;
  }

  /** Decides one input; {@code eventId} is the record's id, {@code input} one of the mover's contracts. */
  public Outcome decide(Subject subject, String eventId, Object input, Instant now) {
    Outcome out = new Outcome(rules, now);
    if (subject.seen(eventId)) {
      return out.viewUnchanged();
    }
    if (input instanceof AuthenticatorUsed fact && facts.withinResolution(subject, fact)) {
      return out.viewUnchanged();
    }
    if (input instanceof WorkerEvent event) {
      roles.workerEvent(subject, event, out);
    } else if (input instanceof DeviceEvent event) {
      devices.deviceEvent(subject, event, out);
    } else if (input instanceof AuthenticatorBound fact) {
      facts.bound(subject, fact, out);
    } else if (input instanceof AuthenticatorUsed fact) {
      facts.used(subject, fact, out);
    } else if (input instanceof AuthenticatorRevoked fact) {
      facts.revoked(subject, fact, out);
    } else if (input instanceof AuthenticatorSuspended fact) {
      facts.suspended(subject, fact, out);
    } else if (input instanceof AuthenticatorResumed fact) {
      facts.resumed(subject, fact, out);
    } else if (input instanceof CommandApplied fact) {
      facts.applied(subject, fact);
    } else if (input instanceof CommandFailed fact) {
      facts.failed(subject, fact, out);
    } else {
      throw new IllegalArgumentException("the mover does not decide on " + input.getClass().getSimpleName());
    }
    roles.closeIfDone(subject, out);
    subject.remember(eventId, rules.recentEventIds());
    return out;
  }

  /** The subject's timer came due: expiry, staleness and grace periods that are due now. */
  public Outcome due(Subject subject, Instant now) {
    Outcome out = new Outcome(rules, now);
    clock.fire(subject, out);
    roles.closeIfDone(subject, out);
    return out;
  }

  /** When the subject's one timer should next fire, or null for none. */
  public Instant nextDue(Subject subject) {
    return clock.nextDue(subject);
  }
}
