package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The HR side of a leaver case: a leaver is revoked at once or scheduled, a second one
 * reschedules, a cancel or rehire before the effective time cancels; after termination only a
 * REHIRE reopens the account. Service identities named by any HR event are remembered.
 */
final class HrEvents {

  private final LeaverCase leaverCase;

  HrEvents(LeaverCase leaverCase) {
    this.leaverCase = leaverCase;
  }

  Outcome onWorkerEvent(WorkerEvent e, Instant now) {
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
    switch (state().getPhase()) {
      case TERMINATED -> out.audit(LeaverRecords.audit(subject(), "leaver.already.terminated", AuditOutcome.RECORDED,
              Severity.INFO, "the subject is already terminated and its factors revoked; nothing more to do",
              e.getEventId(), leaverCase.correlationId())
          .setDetails(LeaverCase.details("terminatedAt", String.valueOf(state().getTerminatedAt()))));
      case SCHEDULED -> reschedule(e, now, out);
      default -> {
        LeaverRequest leaver = request(e, "leaver:" + subject() + ":" + e.getEventId(), leaverCase.isKnown());
        state().setLeaver(leaver);
        if (isEffective(leaver, now)) {
          leaverCase.termination().revoke(leaver, now, out);
        } else {
          schedule(leaver, out, "leaver.scheduled", "leaver effective in the future: revocation scheduled for "
              + leaver.getEffectiveTime(), LeaverCase.details("effectiveTime", leaver.getEffectiveTime().toString()));
        }
      }
    }
  }

  /** A second leaver replaces the pending one; an older HR record arriving late may only bring the date forward. */
  private void reschedule(WorkerEvent e, Instant now, Outcome out) {
    LeaverRequest pending = state().getLeaver();
    LeaverRequest next = request(e, pending.getCorrelationId(), pending.getSubjectKnown());
    boolean late = e.getEventTime().isBefore(pending.getEventTime());
    if (late && !isEffective(next, now) && !next.getEffectiveTime().isBefore(pending.getEffectiveTime())) {
      out.audit(LeaverRecords.audit(subject(), "leaver.reschedule.refused", AuditOutcome.REFUSED, Severity.LOW,
              "an HR record older than the pending leaver cannot postpone the termination",
              e.getEventId(), pending.getCorrelationId())
          .setDetails(LeaverCase.details("effectiveTime", pending.getEffectiveTime().toString(),
              "refusedEffectiveTime", next.getEffectiveTime().toString())));
      return;
    }
    state().setLeaver(next);
    if (isEffective(next, now)) {
      out.cancel(LeaverCase.EFFECTIVE_TIMER);
      leaverCase.termination().revoke(next, now, out);
      return;
    }
    schedule(next, out, "leaver.rescheduled", "a second leaver moved the termination to " + next.getEffectiveTime(),
        LeaverCase.details("effectiveTime", next.getEffectiveTime().toString(),
            "previousEffectiveTime", pending.getEffectiveTime().toString(),
            "previousEventId", pending.getEventId()));
  }

  private void schedule(LeaverRequest leaver, Outcome out, String action, String reason, Map<String, String> details) {
    state().setPhase(LeaverPhase.SCHEDULED);
    out.schedule(LeaverCase.EFFECTIVE_TIMER, leaver.getEffectiveTime(), leaver.getEventId(), leaver.getCorrelationId());
    out.audit(LeaverRecords.audit(subject(), action, AuditOutcome.SCHEDULED, Severity.INFO, reason,
        leaver.getEventId(), leaver.getCorrelationId()).setDetails(details));
  }

  private void onCancel(WorkerEvent e, Outcome out) {
    switch (state().getPhase()) {
      case SCHEDULED -> cancelPending(e, out, "HR cancelled the leaver before it became effective");
      case TERMINATED -> out.audit(LeaverRecords.audit(subject(), "leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.MEDIUM, "the leaver is already effective and revoked; revocation is not undone and only a REHIRE "
              + "reopens the account", e.getEventId(), leaverCase.correlationId()));
      default -> out.audit(LeaverRecords.audit(subject(), "leaver.cancel.refused", AuditOutcome.REFUSED,
          Severity.LOW, "no pending leaver to cancel", e.getEventId(), leaverCase.correlationId()));
    }
  }

  private void onRehire(WorkerEvent e, Outcome out) {
    switch (state().getPhase()) {
      case SCHEDULED -> cancelPending(e, out, "a rehire cancels the pending leaver");
      case TERMINATED -> {
        String correlation = leaverCase.correlationId();
        state().setPhase(LeaverPhase.ACTIVE);
        state().setLeaver(null);
        state().setTerminatedAt(null);
        out.audit(LeaverRecords.audit(subject(), "leaver.reopened", AuditOutcome.RECORDED, Severity.INFO,
            "rehire: the account is open again; factors bound from now on are not anomalies",
            e.getEventId(), correlation));
      }
      default -> { }
    }
  }

  private void onJoinerOrMover(WorkerEvent e, Outcome out) {
    if (state().getPhase() == LeaverPhase.TERMINATED) {
      out.audit(LeaverRecords.audit(subject(), "leaver.reactivation.refused", AuditOutcome.REFUSED,
              Severity.MEDIUM, "a " + e.getType() + " for a terminated subject does not reopen the account; "
                  + "only a REHIRE does", e.getEventId(), leaverCase.correlationId())
          .setDetails(LeaverCase.details("eventType", e.getType().name())));
    }
  }

  private void cancelPending(WorkerEvent e, Outcome out, String reason) {
    LeaverRequest pending = state().getLeaver();
    state().setPhase(LeaverPhase.ACTIVE);
    state().setLeaver(null);
    out.cancel(LeaverCase.EFFECTIVE_TIMER);
    out.audit(LeaverRecords.audit(subject(), "leaver.cancelled", AuditOutcome.CANCELLED, Severity.INFO, reason,
            e.getEventId(), pending.getCorrelationId())
        .setDetails(LeaverCase.details("effectiveTime", pending.getEffectiveTime().toString(),
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

  private void rememberServiceIdentities(List<String> owned) {
    LinkedHashSet<String> all = new LinkedHashSet<>(state().getOwnedServiceIdentities());
    all.addAll(owned);
    state().setOwnedServiceIdentities(new ArrayList<>(all));
  }

  private LeaverCaseState state() {
    return leaverCase.state();
  }

  private String subject() {
    return leaverCase.subjectId();
  }
}
