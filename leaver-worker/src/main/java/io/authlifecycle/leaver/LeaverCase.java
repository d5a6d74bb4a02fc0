package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import io.authlifecycle.avro.state.LeaverRevocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
  private final Factors factors;
  private final Completion completion;

  private LeaverCase(LeaverCaseState state, boolean known, LeaverRules rules) {
    this.state = state;
    this.known = known;
    this.rules = rules;
    this.records = new LeaverRecords(rules.worker());
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
      out = onWorkerEvent(e, now);
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
      revoke(leaver, now, out);
      return out;
    }
    if (DEADLINE_TIMER.equals(kind)) {
      return completion.onDeadline(causationId, now);
    }
    return Outcome.none();
  }

  private Outcome onWorkerEvent(WorkerEvent e, Instant now) {
    Outcome out = new Outcome().caseChanged();
    rememberServiceIdentities(e.getOwnedServiceIdentities());
    switch (e.getType()) {
      case LEAVER -> onLeaver(e, now, out);
      case LEAVER_CANCELLED -> onCancel(e, out);
      case REHIRE -> onRehire(e, out);
      case JOINER, MOVER -> onJoinerOrMover(e, out);
      default -> { }
    }
    return out;
  }

  private void onLeaver(WorkerEvent e, Instant now, Outcome out) {
    switch (state.getPhase()) {
      case TERMINATED -> out.audit(LeaverRecords.audit(subjectId(), "leaver.already.terminated", AuditOutcome.RECORDED,
              Severity.INFO, "the subject is already terminated and its factors revoked; nothing more to do",
              e.getEventId(), correlationId())
          .setDetails(details("terminatedAt", String.valueOf(state.getTerminatedAt()))));
      case SCHEDULED -> reschedule(e, now, out);
      default -> {
        LeaverRequest leaver = request(e, "leaver:" + subjectId() + ":" + e.getEventId(), known);
        state.setLeaver(leaver);
        if (isEffective(leaver, now)) {
          revoke(leaver, now, out);
        } else {
          schedule(leaver, out, "leaver.scheduled", "leaver effective in the future: revocation scheduled for "
              + leaver.getEffectiveTime(), details("effectiveTime", leaver.getEffectiveTime().toString()));
        }
      }
    }
  }

  /** A second leaver replaces the pending one; an older HR record arriving late may only bring the date forward. */
  private void reschedule(WorkerEvent e, Instant now, Outcome out) {
    LeaverRequest pending = state.getLeaver();
    LeaverRequest next = request(e, pending.getCorrelationId(), pending.getSubjectKnown());
    boolean late = e.getEventTime().isBefore(pending.getEventTime());
    if (late && !isEffective(next, now) && !next.getEffectiveTime().isBefore(pending.getEffectiveTime())) {
      out.audit(LeaverRecords.audit(subjectId(), "leaver.reschedule.refused", AuditOutcome.REFUSED, Severity.LOW,
              "an HR record older than the pending leaver cannot postpone the termination",
              e.getEventId(), pending.getCorrelationId())
          .setDetails(details("effectiveTime", pending.getEffectiveTime().toString(),
              "refusedEffectiveTime", next.getEffectiveTime().toString())));
      return;
    }
    state.setLeaver(next);
    if (isEffective(next, now)) {
      out.cancel(EFFECTIVE_TIMER);
      revoke(next, now, out);
      return;
    }
    schedule(next, out, "leaver.rescheduled", "a second leaver moved the termination to " + next.getEffectiveTime(),
        details("effectiveTime", next.getEffectiveTime().toString(),
            "previousEffectiveTime", pending.getEffectiveTime().toString(),
            "previousEventId", pending.getEventId()));
  }

  private void schedule(LeaverRequest leaver, Outcome out, String action, String reason, Map<String, String> details) {
    state.setPhase(LeaverPhase.SCHEDULED);
    out.schedule(EFFECTIVE_TIMER, leaver.getEffectiveTime(), leaver.getEventId(), leaver.getCorrelationId());
    out.audit(LeaverRecords.audit(subjectId(), action, AuditOutcome.SCHEDULED, Severity.INFO, reason,
        leaver.getEventId(), leaver.getCorrelationId()).setDetails(details));
  }

  /** Revokes every factor, backup code and open ticket and ends every session; tracks it until confirmed. */
  private void revoke(LeaverRequest leaver, Instant now, Outcome out) {
    boolean atOnce = leaver.getImmediate() || leaver.getForCause();
    Instant dueAt = atOnce || leaver.getEffectiveTime().isBefore(leaver.getEventTime())
        ? leaver.getEventTime() : leaver.getEffectiveTime();
    String reason = leaver.getForCause() ? "leaver for cause: revoke everything at once"
        : leaver.getImmediate() ? "immediate leaver: revoke everything at once" : "leaver effective: revoke everything";
    AuthenticatorCommand all = records.revokeAll(subjectId(), leaver.getEventId(), dueAt, leaver.getCorrelationId(),
        "initial", reason, now);
    AuthenticatorCommand sessions = records.terminateSessions(subjectId(), leaver.getEventId(), dueAt,
        leaver.getCorrelationId(), "initial", reason, now);
    List<String> pending = factors.activeIds();
    state.setPhase(LeaverPhase.TERMINATED);
    state.setTerminatedAt(now);
    state.setRevocation(LeaverRevocation.newBuilder()
        .setCausationId(leaver.getEventId()).setCorrelationId(leaver.getCorrelationId())
        .setHrEventTime(leaver.getEventTime()).setDueAt(dueAt).setRequestedAt(now)
        .setRevokeAllCommandIds(new ArrayList<>(List.of(all.getCommandId())))
        .setOtherCommandIds(new ArrayList<>(List.of(sessions.getCommandId())))
        .setPendingAuthenticatorIds(new ArrayList<>(pending))
        .setDeadlineMisses(0).setOverdue(false).build());
    out.command(all).command(sessions);
    out.schedule(DEADLINE_TIMER, now.plus(rules.confirmationDeadline()), leaver.getEventId(), leaver.getCorrelationId());
    boolean unknownSubject = !leaver.getSubjectKnown();
    out.audit(LeaverRecords.audit(subjectId(), "leaver.revocation.requested", AuditOutcome.REQUESTED,
            leaver.getForCause() || unknownSubject ? Severity.MEDIUM : Severity.INFO,
            unknownSubject ? reason + " (a subject never seen before is revoked all the same)" : reason,
            leaver.getEventId(), leaver.getCorrelationId())
        .setCommandIds(List.of(all.getCommandId(), sessions.getCommandId()))
        .setDetails(details("effectiveTime", leaver.getEffectiveTime().toString(),
            "immediate", String.valueOf(leaver.getImmediate()), "forCause", String.valueOf(leaver.getForCause()),
            "subjectKnown", String.valueOf(!unknownSubject), "knownActiveFactors", String.valueOf(pending.size()),
            "revokeScope", "factors,backupCodes,openTickets")));
    for (String serviceIdentity : state.getOwnedServiceIdentities()) {
      out.audit(LeaverRecords.serviceIdentityOwnerLeft(subjectId(), serviceIdentity, leaver.getEventId(),
          leaver.getCorrelationId()));
    }
  }

  private void onCancel(WorkerEvent e, Outcome out) {
    switch (state.getPhase()) {
      case SCHEDULED -> cancelPending(e, out, "HR cancelled the leaver before it became effective");
      case TERMINATED -> out.audit(LeaverRecords.audit(subjectId(), "leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.MEDIUM, "the leaver is already effective and revoked; revocation is not undone and only a REHIRE "
              + "reopens the account", e.getEventId(), correlationId()));
      default -> out.audit(LeaverRecords.audit(subjectId(), "leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.LOW, "no pending leaver to cancel", e.getEventId(), correlationId()));
    }
  }

  private void onRehire(WorkerEvent e, Outcome out) {
    switch (state.getPhase()) {
      case SCHEDULED -> cancelPending(e, out, "a rehire cancels the pending leaver");
      case TERMINATED -> {
        String correlation = correlationId();
        state.setPhase(LeaverPhase.ACTIVE);
        state.setLeaver(null);
        state.setTerminatedAt(null);
        out.audit(LeaverRecords.audit(subjectId(), "leaver.reopened", AuditOutcome.RECORDED, Severity.INFO,
            "rehire: the account is open again; factors bound from now on are not anomalies",
            e.getEventId(), correlation));
      }
      default -> { }
    }
  }

  private void onJoinerOrMover(WorkerEvent e, Outcome out) {
    if (state.getPhase() == LeaverPhase.TERMINATED) {
      out.audit(LeaverRecords.audit(subjectId(), "leaver.reactivation.refused", AuditOutcome.REFUSED,
              Severity.MEDIUM, "a " + e.getType() + " for a terminated subject does not reopen the account; "
                  + "only a REHIRE does", e.getEventId(), correlationId())
          .setDetails(details("eventType", e.getType().name())));
    }
  }

  private void cancelPending(WorkerEvent e, Outcome out, String reason) {
    LeaverRequest pending = state.getLeaver();
    state.setPhase(LeaverPhase.ACTIVE);
    state.setLeaver(null);
    out.cancel(EFFECTIVE_TIMER);
    out.audit(LeaverRecords.audit(subjectId(), "leaver.cancelled", AuditOutcome.CANCELLED, Severity.INFO, reason,
            e.getEventId(), pending.getCorrelationId())
        .setDetails(details("effectiveTime", pending.getEffectiveTime().toString(),
            "cancelledLeaverEventId", pending.getEventId(), "cancelledBy", e.getType().name())));
  }

  private static boolean isEffective(LeaverRequest leaver, Instant now) {
    return leaver.getImmediate() || leaver.getForCause() || !leaver.getEffectiveTime().isAfter(now);
  }

  private static LeaverRequest request(WorkerEvent e, String correlationId, boolean subjectKnown) {
    return LeaverRequest.newBuilder().setEventId(e.getEventId()).setEventTime(e.getEventTime())
        .setEffectiveTime(e.getEffectiveTime()).setImmediate(e.getImmediate()).setForCause(e.getForCause())
        .setSubjectKnown(subjectKnown).setCorrelationId(correlationId).build();
  }

  private void rememberServiceIdentities(List<String> owned) {
    LinkedHashSet<String> all = new LinkedHashSet<>(state.getOwnedServiceIdentities());
    all.addAll(owned);
    state.setOwnedServiceIdentities(new ArrayList<>(all));
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

  /** Details in the given order: key, value, key, value… */
  static Map<String, String> details(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
