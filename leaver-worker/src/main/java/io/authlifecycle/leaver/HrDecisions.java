package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * HR events on a leaver case: a leaver is revoked at once or scheduled, a second one reschedules,
 * a cancel or rehire before the effective time cancels; after termination only a REHIRE reopens
 * the account. Service identities named by any HR event are remembered.
 */
final class HrDecisions {

  private final Termination termination;

  HrDecisions(Termination termination) {
    this.termination = termination;
  }

  /** {@code known}: whether the worker had a stored case for the subject before this event. */
  Decision<LeaverCaseState> onWorkerEvent(LeaverCaseState state, boolean known, WorkerEvent e, Instant now) {
    Decision<LeaverCaseState> out = Decision.storing(state);
    rememberServiceIdentities(state, e.getOwnedServiceIdentities());
    switch (e.getType()) {
      case LEAVER -> onLeaver(state, known, e, now, out);
      case LEAVER_CANCELLED -> onCancel(state, e, out);
      case REHIRE -> onRehire(state, e, out);
      case JOINER, MOVER -> onJoinerOrMover(state, e, out);
      default -> { }
    }
    return out;
  }

  private void onLeaver(LeaverCaseState state, boolean known, WorkerEvent e, Instant now, Decision<LeaverCaseState> out) {
    String subject = state.getSubjectId();
    switch (state.getPhase()) {
      case TERMINATED -> out.audit(LeaverRecords.audit(subject, "leaver.already.terminated", AuditOutcome.RECORDED,
              Severity.INFO, "the subject is already terminated and its factors revoked; nothing more to do",
              e.getEventId(), LeaverRecords.correlationId(state))
          .setDetails(LeaverRecords.details("terminatedAt", String.valueOf(state.getTerminatedAt()))));
      case SCHEDULED -> reschedule(state, e, now, out);
      default -> {
        LeaverRequest leaver = request(e, "leaver:" + subject + ":" + e.getEventId(), known);
        state.setLeaver(leaver);
        if (isEffective(leaver, now)) {
          out.add(termination.revoke(state, leaver, now));
        } else {
          schedule(state, leaver, out, "leaver.scheduled", "leaver effective in the future: revocation scheduled for "
              + leaver.getEffectiveTime(), LeaverRecords.details("effectiveTime", leaver.getEffectiveTime().toString()));
        }
      }
    }
  }

  /** A second leaver replaces the pending one; an older HR record arriving late may only bring the date forward. */
  private void reschedule(LeaverCaseState state, WorkerEvent e, Instant now, Decision<LeaverCaseState> out) {
    LeaverRequest pending = state.getLeaver();
    LeaverRequest next = request(e, pending.getCorrelationId(), pending.getSubjectKnown());
    boolean late = e.getEventTime().isBefore(pending.getEventTime());
    if (late && !isEffective(next, now) && !next.getEffectiveTime().isBefore(pending.getEffectiveTime())) {
      out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.reschedule.refused", AuditOutcome.REFUSED,
              Severity.LOW, "an HR record older than the pending leaver cannot postpone the termination",
              e.getEventId(), pending.getCorrelationId())
          .setDetails(LeaverRecords.details("effectiveTime", pending.getEffectiveTime().toString(),
              "refusedEffectiveTime", next.getEffectiveTime().toString())));
      return;
    }
    state.setLeaver(next);
    if (isEffective(next, now)) {
      out.cancel(state.getSubjectId(), LeaverDecisions.EFFECTIVE_TIMER);
      out.add(termination.revoke(state, next, now));
      return;
    }
    schedule(state, next, out, "leaver.rescheduled", "a second leaver moved the termination to " + next.getEffectiveTime(),
        LeaverRecords.details("effectiveTime", next.getEffectiveTime().toString(),
            "previousEffectiveTime", pending.getEffectiveTime().toString(),
            "previousEventId", pending.getEventId()));
  }

  private static void schedule(LeaverCaseState state, LeaverRequest leaver, Decision<LeaverCaseState> out,
      String action, String reason, Map<String, String> details) {
    state.setPhase(LeaverPhase.SCHEDULED);
    out.schedule(state.getSubjectId(), LeaverDecisions.EFFECTIVE_TIMER, leaver.getEffectiveTime(), leaver.getEventId(),
        leaver.getCorrelationId());
    out.audit(LeaverRecords.audit(state.getSubjectId(), action, AuditOutcome.SCHEDULED, Severity.INFO, reason,
        leaver.getEventId(), leaver.getCorrelationId()).setDetails(details));
  }

  private static void onCancel(LeaverCaseState state, WorkerEvent e, Decision<LeaverCaseState> out) {
    String subject = state.getSubjectId();
    switch (state.getPhase()) {
      case SCHEDULED -> cancelPending(state, e, out, "HR cancelled the leaver before it became effective");
      case TERMINATED -> out.audit(LeaverRecords.audit(subject, "leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.MEDIUM, "the leaver is already effective and revoked; revocation is not undone and only a REHIRE "
              + "reopens the account", e.getEventId(), LeaverRecords.correlationId(state)));
      default -> out.audit(LeaverRecords.audit(subject, "leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.LOW, "no pending leaver to cancel", e.getEventId(), LeaverRecords.correlationId(state)));
    }
  }

  private static void onRehire(LeaverCaseState state, WorkerEvent e, Decision<LeaverCaseState> out) {
    switch (state.getPhase()) {
      case SCHEDULED -> cancelPending(state, e, out, "a rehire cancels the pending leaver");
      case TERMINATED -> {
        String correlation = LeaverRecords.correlationId(state);
        state.setPhase(LeaverPhase.ACTIVE);
        state.setLeaver(null);
        state.setTerminatedAt(null);
        out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.reopened", AuditOutcome.RECORDED, Severity.INFO,
            "rehire: the account is open again; factors bound from now on are not anomalies",
            e.getEventId(), correlation));
      }
      default -> { }
    }
  }

  private static void onJoinerOrMover(LeaverCaseState state, WorkerEvent e, Decision<LeaverCaseState> out) {
    if (state.getPhase() == LeaverPhase.TERMINATED) {
      out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.reactivation.refused", AuditOutcome.REFUSED,
              Severity.MEDIUM, "a " + e.getType() + " for a terminated subject does not reopen the account; "
                  + "only a REHIRE does", e.getEventId(), LeaverRecords.correlationId(state))
          .setDetails(LeaverRecords.details("eventType", e.getType().name())));
    }
  }

  private static void cancelPending(LeaverCaseState state, WorkerEvent e, Decision<LeaverCaseState> out, String reason) {
    LeaverRequest pending = state.getLeaver();
    state.setPhase(LeaverPhase.ACTIVE);
    state.setLeaver(null);
    out.cancel(state.getSubjectId(), LeaverDecisions.EFFECTIVE_TIMER);
    out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.cancelled", AuditOutcome.CANCELLED, Severity.INFO,
            reason, e.getEventId(), pending.getCorrelationId())
        .setDetails(LeaverRecords.details("effectiveTime", pending.getEffectiveTime().toString(),
            "cancelledLeaverEventId", pending.getEventId(), "cancelledBy", e.getType().name())));
  }

  static boolean isEffective(LeaverRequest leaver, Instant now) {
    return leaver.getImmediate() || leaver.getForCause() || !leaver.getEffectiveTime().isAfter(now);
  }

  private static LeaverRequest request(WorkerEvent e, String correlationId, boolean subjectKnown) {
    return LeaverRequest.newBuilder().setEventId(e.getEventId()).setEventTime(e.getEventTime())
        .setEffectiveTime(e.getEffectiveTime()).setImmediate(e.getImmediate()).setForCause(e.getForCause())
        .setSubjectKnown(subjectKnown).setCorrelationId(correlationId).build();
  }

  private static void rememberServiceIdentities(LeaverCaseState state, List<String> owned) {
    LinkedHashSet<String> all = new LinkedHashSet<>(state.getOwnedServiceIdentities());
    all.addAll(owned);
    state.setOwnedServiceIdentities(new ArrayList<>(all));
  }
}
