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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One subject's leaver case as a state machine with no Kafka types: HR events schedule, reschedule,
 * cancel or carry out the revocation; authenticator facts confirm it ({@link Completion}) or raise
 * factors bound after termination ({@link Factors}); timers make a scheduled leaver effective and
 * escalate an unconfirmed revocation. Every method returns what to emit; the caller stores
 * {@link #state()} when {@link Outcome#isCaseChanged()}.
 */
public final class LeaverCase {

  /** The timer that makes a future-dated leaver effective. */
  public static final String EFFECTIVE_TIMER = "leaver.effective";
  /** The timer by which the IdP must have confirmed the revocation. */
  public static final String DEADLINE_TIMER = "leaver.deadline";
  /** How many recent event ids a case remembers to recognise duplicates. */
  static final int RECENT_EVENT_IDS = 64;

  private final LeaverCaseState state;
  private final boolean known;
  private final LeaverRules rules;
  private final LeaverRecords records;
  private final HrEvents hrEvents;
  private final Termination termination;
  private final Factors factors;
  private final Completion completion;

  private LeaverCase(LeaverCaseState state, boolean known, LeaverRules rules) {
    this.state = state;
    this.known = known;
    this.rules = rules;
    this.records = new LeaverRecords(rules.worker());
    this.hrEvents = new HrEvents(this);
    this.termination = new Termination(this);
    this.factors = new Factors(this);
    this.completion = new Completion(this);
  }

  /** The case of {@code subjectId} as stored, or a new one for a subject this worker has never seen. */
  public static LeaverCase open(String subjectId, LeaverCaseState stored, LeaverRules rules) {
    if (stored == null) {
      return new LeaverCase(LeaverCaseState.newBuilder().setSubjectId(subjectId).setPhase(LeaverPhase.ACTIVE)
          .setAuthenticators(new ArrayList<>()).setOwnedServiceIdentities(new ArrayList<>())
          .setRecentEventIds(new ArrayList<>()).build(), false, rules);
    }
    LeaverCaseState copy = LeaverCaseState.newBuilder(stored).build();
    copy.setAuthenticators(new ArrayList<>(copy.getAuthenticators()));
    copy.setOwnedServiceIdentities(new ArrayList<>(copy.getOwnedServiceIdentities()));
    copy.setRecentEventIds(new ArrayList<>(copy.getRecentEventIds()));
    if (copy.getRevocation() != null) {
      LeaverRevocation r = copy.getRevocation();
      r.setRevokeAllCommandIds(new ArrayList<>(r.getRevokeAllCommandIds()));
      r.setOtherCommandIds(new ArrayList<>(r.getOtherCommandIds()));
      r.setPendingAuthenticatorIds(new ArrayList<>(r.getPendingAuthenticatorIds()));
    }
    return new LeaverCase(copy, true, rules);
  }

  public LeaverCaseState state() {
    return state;
  }

  public boolean isScheduled() {
    return state.getPhase() == LeaverPhase.SCHEDULED;
  }

  public boolean isOverdue() {
    return state.getRevocation() != null && state.getRevocation().getOverdue();
  }

  /** Decides on one input record; records this worker does not act on give {@link Outcome#none()}. */
  public Outcome decide(Object input, Instant now) {
    String eventId = eventId(input);
    if (eventId == null || seen(eventId)) {
      return Outcome.none();
    }
    Outcome out;
    if (input instanceof WorkerEvent e) {
      out = hrEvents.onWorkerEvent(e, now);
    } else if (input instanceof AuthenticatorBound b) {
      out = factors.onBound(b, now);
    } else if (input instanceof AuthenticatorRevoked r) {
      out = completion.onRevoked(r, now);
    } else if (input instanceof CommandApplied a) {
      out = completion.onApplied(a, now);
    } else if (input instanceof CommandFailed f) {
      out = completion.onFailed(f);
    } else {
      out = Outcome.none();
    }
    if (out.isCaseChanged()) {
      remember(eventId);
    }
    return out;
  }

  /** Whether {@link #decide} acts on this kind of record at all; for any other kind it returns {@link Outcome#none()}. */
  public static boolean concerns(Object input) {
    return eventId(input) != null;
  }

  /** A timer of this case came due. Stale timers (the case moved on) give {@link Outcome#none()}. */
  public Outcome onTimer(String kind, String causationId, Instant now) {
    if (EFFECTIVE_TIMER.equals(kind)) {
      LeaverRequest leaver = state.getLeaver();
      if (!isScheduled() || leaver == null || !leaver.getEventId().equals(causationId)) {
        return Outcome.none();
      }
      Outcome out = new Outcome().caseChanged();
      if (leaver.getEffectiveTime().isAfter(now)) {
        return out.schedule(EFFECTIVE_TIMER, leaver.getEffectiveTime(), leaver.getEventId(), leaver.getCorrelationId());
      }
      termination.revoke(leaver, now, out);
      return out;
    }
    if (DEADLINE_TIMER.equals(kind)) {
      return completion.onDeadline(causationId, now);
    }
    return Outcome.none();
  }

  private boolean seen(String eventId) {
    return state.getRecentEventIds().contains(eventId);
  }

  private void remember(String eventId) {
    List<String> ids = state.getRecentEventIds();
    ids.add(eventId);
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

  String subjectId() {
    return state.getSubjectId();
  }

  /** The case's correlation id: the current or last leaver's, else one naming the subject. */
  String correlationId() {
    if (state.getLeaver() != null) {
      return state.getLeaver().getCorrelationId();
    }
    if (state.getRevocation() != null) {
      return state.getRevocation().getCorrelationId();
    }
    return "leaver:" + subjectId();
  }

  LeaverRules rules() {
    return rules;
  }

  LeaverRecords records() {
    return records;
  }

  Factors factors() {
    return factors;
  }

  Termination termination() {
    return termination;
  }

  /** Whether the worker had a stored case for the subject before this decision. */
  boolean isKnown() {
    return known;
  }

  /** Details in the given order: key, value, key, value… */
  static Map<String, String> details(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
