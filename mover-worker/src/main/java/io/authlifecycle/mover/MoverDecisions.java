package io.authlifecycle.mover;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.Objects;

/**
 * The mover's decisions, {@code (state, input, now) → Decision}, with no Kafka types: HR events
 * ({@link HrDecisions}), device events ({@link DeviceDecisions}), IdP facts ({@link FactDecisions},
 * bindings under its REBIND tickets in {@link TicketDecisions}) and the subject's due timer
 * ({@link TimerDecisions}). Each works on a copy of the stored
 * {@link MoverSubject} and stores it; a factor use, most of the input, copies only the factor it
 * touches, and a use within the use resolution or a duplicate event id decides nothing.
 *
 * <p>A subject has one timer, never later than its earliest due time. A decision that brings the
 * due time forward moves it at once; one that only pushes it back (a use pushes staleness back)
 * leaves it, and when it fires with nothing due it is moved to the right time. That spares the
 * timer index four store writes and two changelog records on every factor use. The entry's
 * {@code scheduledDue} says where the timer is, so the index keeps no owner store for the mover.
 */
public final class MoverDecisions {

  /** The kind of the subject's one timer. */
  public static final String TIMER_KIND = "mover.next-due";

  private final MoverRules rules;
  private final HrDecisions hr;
  private final DeviceDecisions devices;
  private final FactDecisions facts;
  private final TimerDecisions timers;

  public MoverDecisions(MoverRules rules) {
    MoverRecords records = new MoverRecords(rules.worker());
    this.rules = rules;
    this.hr = new HrDecisions(rules, records);
    TicketDecisions tickets = new TicketDecisions(rules, records);
    this.devices = new DeviceDecisions(rules, records);
    this.facts = new FactDecisions(rules, devices, hr, tickets);
    this.timers = new TimerDecisions(rules, records, tickets);
  }

  /** Whether the subject whose stored state is {@code stored} already had this input decided. */
  public static boolean duplicate(MoverSubject stored, Object input) {
    return seen(stored, input);
  }

  /**
   * Seen under its source's key, or under the bare event id an earlier release remembered: an
   * input re-sent across an upgrade is still a duplicate (bare ids age out of the recent list).
   */
  private static boolean seen(MoverSubject stored, Object input) {
    return MoverSubjects.seen(stored, inputKey(input)) || MoverSubjects.seen(stored, eventId(input));
  }

  /** Decides one input for the subject whose stored state is {@code stored} (null if never seen). */
  public Decision<MoverSubject> decide(MoverSubject stored, String subjectId, Object input, Instant now) {
    if (seen(stored, input)) {
      return Decision.none();
    }
    Decision<MoverSubject> out = Decision.none();
    MoverSubject state;
    if (input instanceof AuthenticatorUsed fact) {
      if (facts.withinResolution(stored, fact)) {
        return out;
      }
      state = MoverSubjects.shallowCopy(subjectId, stored);
      facts.onUsed(state, fact, out, now);
    } else {
      state = MoverSubjects.open(subjectId, stored);
      if (!(input instanceof WorkerEvent)) {
        // Time first: a pending leaver whose effective time came stops the clock before the input is judged.
        hr.onTime(state, out, now);
      }
      if (input instanceof WorkerEvent event) {
        hr.onWorkerEvent(state, event, out, now);
      } else if (input instanceof DeviceEvent event) {
        devices.onDeviceEvent(state, event, out, now);
      } else if (input instanceof AuthenticatorBound fact) {
        facts.onBound(state, fact, out, now);
      } else if (input instanceof AuthenticatorRevoked fact) {
        facts.onRevoked(state, fact, out, now);
      } else if (input instanceof AuthenticatorSuspended fact) {
        facts.onSuspended(state, fact, out, now);
      } else if (input instanceof AuthenticatorResumed fact) {
        facts.onResumed(state, fact, out, now);
      } else if (input instanceof CommandApplied fact) {
        facts.onApplied(state, fact, out);
      } else {
        facts.onFailed(state, (CommandFailed) input, out);
      }
    }
    HrDecisions.closeIfDone(state, out);
    MoverSubjects.remember(state, inputKey(input), rules.recentEventIds());
    return keep(state, out);
  }

  /** The subject's timer came due: expiry, staleness and grace periods that are due now. */
  public Decision<MoverSubject> onTimer(MoverSubject stored, TimerEntry timer, Instant now) {
    if (stored == null) {
      return Decision.none();
    }
    MoverSubject state = MoverSubjects.open(timer.getOwner(), stored);
    state.setScheduledDue(null);
    Decision<MoverSubject> out = Decision.none();
    hr.onTime(state, out, now);
    timers.fire(state, out, now);
    HrDecisions.closeIfDone(state, out);
    return keep(state, out);
  }

  /** When the subject's one timer should next fire, or null for none. */
  public Instant nextDue(MoverSubject state) {
    return timers.nextDue(state);
  }

  /** Stores the state, with the timer moved to its next due time unless that only moved later. */
  private Decision<MoverSubject> keep(MoverSubject state, Decision<MoverSubject> out) {
    Instant next = timers.nextDue(state);
    Instant scheduled = state.getScheduledDue();
    boolean onlyLater = next != null && scheduled != null && next.isAfter(scheduled);
    if (!Objects.equals(next, scheduled) && !onlyLater) {
      // The registry entry knows where the timer is: the index needs no owner store to move it.
      if (next == null) {
        out.cancel(state.getSubjectId(), TIMER_KIND, scheduled);
      } else {
        out.reschedule(TimerEntry.newBuilder().setOwner(state.getSubjectId()).setKind(TIMER_KIND).setDueAt(next).build(),
            scheduled);
      }
      state.setScheduledDue(next);
    }
    return out.store(state);
  }

  /**
   * What an input is remembered by: its event id within its source. HR, the MDM and the IdP
   * gateway number their events independently, so an id seen from one says nothing about an event
   * of another. The prefixes are short because the subject's entry keeps the last
   * {@code mover.dedupe.recent-event-ids} of them.
   */
  private static String inputKey(Object input) {
    String source = input instanceof WorkerEvent ? "hr:" : input instanceof DeviceEvent ? "mdm:" : "idp:";
    return source + eventId(input);
  }

  private static String eventId(Object input) {
    if (input instanceof AuthenticatorUsed f) {
      return f.getEventId();
    } else if (input instanceof AuthenticatorBound f) {
      return f.getEventId();
    } else if (input instanceof WorkerEvent e) {
      return e.getEventId();
    } else if (input instanceof DeviceEvent e) {
      return e.getEventId();
    } else if (input instanceof AuthenticatorRevoked f) {
      return f.getEventId();
    } else if (input instanceof AuthenticatorSuspended f) {
      return f.getEventId();
    } else if (input instanceof AuthenticatorResumed f) {
      return f.getEventId();
    } else if (input instanceof CommandApplied f) {
      return f.getEventId();
    } else if (input instanceof CommandFailed f) {
      return f.getEventId();
    }
    throw new IllegalArgumentException("the mover does not decide on " + input.getClass().getSimpleName());
  }
}
