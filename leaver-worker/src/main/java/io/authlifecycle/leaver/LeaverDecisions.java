package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import io.authlifecycle.avro.state.LeaverRevocation;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The leaver worker's decisions, {@code (state, input, now) → Decision}, with no Kafka types: HR
 * events schedule, reschedule, cancel or carry out the revocation ({@link HrDecisions}); facts
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

  private final Termination termination;
  private final HrDecisions hr;
  private final FactDecisions facts;

  public LeaverDecisions(String worker, Duration confirmationDeadline) {
    LeaverRecords records = new LeaverRecords(worker);
    this.termination = new Termination(records, confirmationDeadline);
    this.hr = new HrDecisions(termination);
    this.facts = new FactDecisions(records, confirmationDeadline);
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
    Decision<LeaverCaseState> out;
    if (input instanceof WorkerEvent e) {
      out = hr.onWorkerEvent(state, stored != null, e, now);
    } else if (input instanceof AuthenticatorBound b) {
      out = facts.onBound(state, b, now);
    } else if (input instanceof AuthenticatorRevoked r) {
      out = facts.onRevoked(state, r, now);
    } else if (input instanceof CommandApplied a) {
      out = facts.onApplied(state, a, now);
    } else {
      out = facts.onFailed(state, (CommandFailed) input);
    }
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
    Decision<LeaverCaseState> out = Decision.storing(state);
    if (leaver.getEffectiveTime().isAfter(now)) {
      return out.schedule(state.getSubjectId(), EFFECTIVE_TIMER, leaver.getEffectiveTime(), leaver.getEventId(),
          leaver.getCorrelationId());
    }
    return out.add(termination.revoke(state, leaver, now));
  }

  /** A working copy of the stored case, or a new one for a subject this worker has never seen. */
  static LeaverCaseState open(String subjectId, LeaverCaseState stored) {
    if (stored == null) {
      return LeaverCaseState.newBuilder().setSubjectId(subjectId).setPhase(LeaverPhase.ACTIVE)
          .setAuthenticators(new ArrayList<>()).setOwnedServiceIdentities(new ArrayList<>())
          .setRecentEventIds(new ArrayList<>()).build();
    }
    LeaverCaseState copy = LeaverCaseState.newBuilder(stored).build();
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
