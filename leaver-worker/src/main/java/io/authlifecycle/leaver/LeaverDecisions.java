package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import io.authlifecycle.avro.state.LeaverRevocation;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.hr.Standings;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The leaver worker's decisions, {@code (state, input, now) → Decision}, with no Kafka types: HR
 * events, read through lifecycle-core's one HR fold, schedule, reschedule, cancel or carry out the
 * revocation ({@link HrDecisions}); facts
 * confirm it or raise factors bound after termination ({@link FactDecisions}); timers make a
 * scheduled leaver effective or escalate an unconfirmed revocation. Each decision works on a copy
 * of the stored state and stores it when it changed.
 */
public final class LeaverDecisions {

  /** The timer that makes a future-dated leaver effective. */
  public static final String EFFECTIVE_TIMER = "leaver.effective";
  /** The timer by which the IdP must have confirmed the revocation. */
  public static final String DEADLINE_TIMER = "leaver.deadline";
  /** How many recent inputs (topic and event id) a case remembers to recognise duplicates. */
  static final int RECENT_EVENT_IDS = 64;

  private final HrDecisions hr;
  private final FactDecisions facts;

  public LeaverDecisions(String worker, Duration confirmationDeadline, StandingRules standingRules) {
    LeaverRecords records = new LeaverRecords(worker);
    this.hr = new HrDecisions(new Termination(records, confirmationDeadline), standingRules);
    this.facts = new FactDecisions(records, confirmationDeadline);
  }

  /** The decisions of a worker, with the rules its settings give. */
  public static LeaverDecisions from(WorkerContext worker) {
    return new LeaverDecisions(worker.name(), worker.get(LeaverSettings.CONFIRMATION_DEADLINE), StandingRules.from(worker));
  }

  /** Whether {@link #decide} acts on this kind of record at all; for any other kind it decides nothing. */
  public static boolean concerns(Object input) {
    return eventId(input) != null;
  }

  /** Decides on one input for the subject whose stored case is {@code stored} (null if never seen). */
  public Decision<LeaverCaseState> decide(LeaverCaseState stored, String subjectId, Object input, Instant now) {
    if (eventId(input) == null) {
      return Decision.none();
    }
    // Keyed by topic too: an IdP fact reusing an HR event's id must not suppress the HR event.
    String inputKey = Ids.inputKey((SpecificRecord) input);
    if (stored != null && stored.getRecentEventIds().contains(inputKey)) {
      return Decision.none();
    }
    LeaverCaseState state = open(subjectId, stored);
    if (input instanceof WorkerEvent e) {
      Decision<LeaverCaseState> out = hr.onWorkerEvent(state, stored != null, e, now);
      remember(state, inputKey);
      return out;
    }
    // Time first: a pending leaver whose effective time came is revoked before the fact is judged.
    Decision<LeaverCaseState> out = state.getStanding().getPhase() == HrPhase.LEAVE_PENDING
        && Standings.terminated(state.getStanding(), now) ? hr.onTime(state, now) : Decision.none();
    Decision<LeaverCaseState> fact;
    if (input instanceof AuthenticatorBound b) {
      fact = facts.onBound(state, b, now);
    } else if (input instanceof AuthenticatorRevoked r) {
      fact = facts.onRevoked(state, r, now);
    } else if (input instanceof CommandApplied a) {
      fact = facts.onApplied(state, a, now);
    } else {
      fact = facts.onFailed(state, (CommandFailed) input);
    }
    out.add(fact);
    if (out.state().isPresent()) {
      remember(state, inputKey);
    }
    return out;
  }

  /** A timer of the subject came due. Stale timers (the case moved on) decide nothing. */
  public Decision<LeaverCaseState> onTimer(LeaverCaseState stored, TimerEntry timer, Instant now) {
    LeaverCaseState state = open(timer.getOwner(), stored);
    if (DEADLINE_TIMER.equals(timer.getKind())) {
      return facts.onDeadline(state, timer.getCausationId(), now);
    }
    LeaverRequest leaver = state.getLeaver();
    if (!EFFECTIVE_TIMER.equals(timer.getKind()) || state.getPhase() != LeaverPhase.SCHEDULED || leaver == null
        || !leaver.getEventId().equals(timer.getCausationId())) {
      return Decision.none();
    }
    if (!Standings.terminated(state.getStanding(), now)) {
      return Decision.storing(state).schedule(state.getSubjectId(), EFFECTIVE_TIMER, leaver.getEffectiveTime(),
          leaver.getEventId(), leaver.getCorrelationId());
    }
    return hr.onTime(state, now);
  }

  /**
   * A working copy of the stored case, or a new one for a subject this worker has never seen; a case
   * of an earlier release gets its standing seeded from its own fields.
   */
  static LeaverCaseState open(String subjectId, LeaverCaseState stored) {
    if (stored == null) {
      return LeaverCaseState.newBuilder().setSubjectId(subjectId).setPhase(LeaverPhase.ACTIVE)
          .setAuthenticators(new ArrayList<>()).setOwnedServiceIdentities(new ArrayList<>())
          .setRecentEventIds(new ArrayList<>()).setStanding(StandingFold.unknown()).build();
    }
    LeaverCaseState copy = LeaverCaseState.newBuilder(stored).build();
    if (copy.getStanding() == null) {
      copy.setStanding(seed(copy));
    }
    copy.setAuthenticators(new ArrayList<>(copy.getAuthenticators()));
    copy.setOwnedServiceIdentities(new ArrayList<>(copy.getOwnedServiceIdentities()));
    copy.setRecentEventIds(new ArrayList<>(copy.getRecentEventIds()));
    LeaverRevocation r = copy.getRevocation();
    if (r != null) {
      r.setRevokeAllCommandIds(new ArrayList<>(r.getRevokeAllCommandIds()));
      r.setOtherCommandIds(new ArrayList<>(r.getOtherCommandIds()));
      r.setPendingAuthenticatorIds(new ArrayList<>(r.getPendingAuthenticatorIds()));
    }
    return copy;
  }

  /**
   * The standing of a case written before the standing existed: its phase, its leaver and, for a
   * terminated subject, the leaver's termination time as the fold would have set it.
   */
  static HrStanding seed(LeaverCaseState state) {
    LeaverRequest leaver = state.getLeaver();
    HrStanding.Builder standing = HrStanding.newBuilder().setPhase(switch (state.getPhase()) {
      case SCHEDULED -> HrPhase.LEAVE_PENDING;
      case TERMINATED -> HrPhase.TERMINATED;
      default -> HrPhase.ACTIVE;
    });
    if (leaver != null) {
      standing.setLeave(HrLeave.newBuilder().setEventId(leaver.getEventId()).setEventTime(leaver.getEventTime())
          .setEffectiveTime(leaver.getEffectiveTime()).setImmediate(leaver.getImmediate())
          .setForCause(leaver.getForCause()).build())
          .setLastEventId(leaver.getEventId()).setLastEventTime(leaver.getEventTime());
    }
    if (state.getPhase() == LeaverPhase.TERMINATED) {
      boolean atOnce = leaver == null || leaver.getImmediate() || leaver.getForCause()
          || leaver.getEffectiveTime().isBefore(leaver.getEventTime());
      standing.setTerminatedAt(leaver == null ? state.getTerminatedAt()
          : atOnce ? leaver.getEventTime() : leaver.getEffectiveTime());
    }
    return standing.build();
  }

  private static void remember(LeaverCaseState state, String inputKey) {
    List<String> ids = state.getRecentEventIds();
    ids.add(inputKey);
    while (ids.size() > RECENT_EVENT_IDS) {
      ids.remove(0);
    }
  }

  private static String eventId(Object input) {
    if (input instanceof WorkerEvent e) {
      return e.getEventId();
    } else if (input instanceof AuthenticatorBound b) {
      return b.getEventId();
    } else if (input instanceof AuthenticatorRevoked r) {
      return r.getEventId();
    } else if (input instanceof CommandApplied a) {
      return a.getEventId();
    } else if (input instanceof CommandFailed f) {
      return f.getEventId();
    }
    return null;
  }
}
