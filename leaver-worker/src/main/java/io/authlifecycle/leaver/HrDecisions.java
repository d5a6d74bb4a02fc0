package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.LeaverRequest;
import io.authlifecycle.core.hr.Folded;
import io.authlifecycle.core.hr.HrChange;
import io.authlifecycle.core.hr.Refusal;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The leaver worker's reactions to the HR standing (lifecycle-core's one fold): a termination
 * revokes, a pending leaver is scheduled, moved or cancelled, and every cancel, reopen or
 * reactivation the fold refuses is audited. Service identities named by any HR event are remembered.
 */
final class HrDecisions {

  private final Termination termination;
  private final StandingRules rules;

  HrDecisions(Termination termination, StandingRules rules) {
    this.termination = termination;
    this.rules = rules;
  }

  /** {@code known}: whether the worker had a stored case for the subject before this event. */
  Decision<LeaverCaseState> onWorkerEvent(LeaverCaseState state, boolean known, WorkerEvent e, Instant now) {
    rememberServiceIdentities(state, e.getOwnedServiceIdentities());
    return react(state, known, StandingFold.fold(state.getStanding(), e, now, rules), e, now);
  }

  /** Time passed: a pending leaver whose effective time came terminates the subject. */
  Decision<LeaverCaseState> onTime(LeaverCaseState state, Instant now) {
    return react(state, true, StandingFold.advance(state.getStanding(), now), null, now);
  }

  /** Applies the folded standing to the case and emits what each change means here, in order. */
  private Decision<LeaverCaseState> react(LeaverCaseState state, boolean known, Folded f, WorkerEvent e, Instant now) {
    Decision<LeaverCaseState> out = Decision.storing(state);
    LeaverRequest pending = state.getLeaver();
    state.setStanding(f.after());
    state.setPhase(phase(f.after()));
    for (HrChange change : f.changes()) {
      switch (change) {
        case TERMINATED -> {
          if (e != null && pending != null) {
            out.cancel(state.getSubjectId(), LeaverDecisions.EFFECTIVE_TIMER);
          }
          out.add(termination.revoke(state, request(state, pending, f.after().getLeave(), known), now));
        }
        case LEAVE_SCHEDULED -> schedule(state, request(state, null, f.after().getLeave(), known), out, "leaver.scheduled",
            "leaver effective in the future: revocation scheduled for " + e.getEffectiveTime(),
            LeaverRecords.details("effectiveTime", e.getEffectiveTime().toString()));
        case LEAVE_RESCHEDULED -> schedule(state, request(state, pending, f.after().getLeave(), known), out,
            "leaver.rescheduled", "a second leaver moved the termination to " + e.getEffectiveTime(),
            LeaverRecords.details("effectiveTime", e.getEffectiveTime().toString(),
                "previousEffectiveTime", pending.getEffectiveTime().toString(), "previousEventId", pending.getEventId()));
        case RESCHEDULE_REFUSED -> out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.reschedule.refused",
                AuditOutcome.REFUSED, Severity.LOW, "an HR record older than the pending leaver cannot postpone the "
                    + "termination", e.getEventId(), pending.getCorrelationId())
            .setDetails(LeaverRecords.details("effectiveTime", pending.getEffectiveTime().toString(),
                "refusedEffectiveTime", e.getEffectiveTime().toString())));
        case LEAVE_CANCELLED -> cancelled(state, pending, e, out);
        case CANCEL_REFUSED -> cancelRefused(state, f.refusal().orElseThrow(), e, out);
        case REOPENED -> reopened(state, e, out);
        case REOPEN_REFUSED -> reopenRefused(state, f.refusal().orElseThrow(), e, out);
        case ALREADY_TERMINATED -> out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.already.terminated",
                AuditOutcome.RECORDED, Severity.INFO, "the subject is already terminated and its factors revoked; "
                    + "nothing more to do", e.getEventId(), LeaverRecords.correlationId(state))
            .setDetails(LeaverRecords.details("terminatedAt", String.valueOf(state.getTerminatedAt()))));
        default -> { }
      }
    }
    return out;
  }

  /** The leaver worker's phase, a reading of the standing kept for its gauges and earlier readers. */
  static LeaverPhase phase(HrStanding standing) {
    return switch (standing.getPhase()) {
      case LEAVE_PENDING -> LeaverPhase.SCHEDULED;
      case TERMINATED -> LeaverPhase.TERMINATED;
      default -> LeaverPhase.ACTIVE;
    };
  }

  /**
   * The case's record of a leaver: the pending one itself when it is the one that took effect, else
   * the new leaver under the pending one's correlation (the case keeps its first leaver's id).
   */
  private static LeaverRequest request(LeaverCaseState state, LeaverRequest pending, HrLeave leave, boolean known) {
    LeaverRequest request;
    if (pending != null && pending.getEventId().equals(leave.getEventId())) {
      request = pending;
    } else {
      request = LeaverRequest.newBuilder().setEventId(leave.getEventId()).setEventTime(leave.getEventTime())
          .setEffectiveTime(leave.getEffectiveTime()).setImmediate(leave.getImmediate()).setForCause(leave.getForCause())
          .setSubjectKnown(pending != null ? pending.getSubjectKnown() : known)
          .setCorrelationId(pending != null ? pending.getCorrelationId()
              : "leaver:" + state.getSubjectId() + ":" + leave.getEventId())
          .build();
    }
    state.setLeaver(request);
    return request;
  }

  private static void schedule(LeaverCaseState state, LeaverRequest leaver, Decision<LeaverCaseState> out,
      String action, String reason, java.util.Map<String, String> details) {
    out.schedule(state.getSubjectId(), LeaverDecisions.EFFECTIVE_TIMER, leaver.getEffectiveTime(), leaver.getEventId(),
        leaver.getCorrelationId());
    out.audit(LeaverRecords.audit(state.getSubjectId(), action, AuditOutcome.SCHEDULED, Severity.INFO, reason,
        leaver.getEventId(), leaver.getCorrelationId()).setDetails(details));
  }

  private static void cancelled(LeaverCaseState state, LeaverRequest pending, WorkerEvent e, Decision<LeaverCaseState> out) {
    state.setLeaver(null);
    String reason = e.getType() == WorkerEventType.REHIRE ? "a rehire cancels the pending leaver"
        : "HR cancelled the leaver before it became effective";
    out.cancel(state.getSubjectId(), LeaverDecisions.EFFECTIVE_TIMER);
    out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.cancelled", AuditOutcome.CANCELLED, Severity.INFO,
            reason, e.getEventId(), pending.getCorrelationId())
        .setDetails(LeaverRecords.details("effectiveTime", pending.getEffectiveTime().toString(),
            "cancelledLeaverEventId", pending.getEventId(), "cancelledBy", e.getType().name())));
  }

  private static void cancelRefused(LeaverCaseState state, Refusal refusal, WorkerEvent e, Decision<LeaverCaseState> out) {
    String reason = switch (refusal) {
      case ALREADY_TERMINATED -> "the leaver is already effective and revoked; revocation is not undone and only a "
          + "REHIRE reopens the account";
      case STALE_EVENT -> "a " + e.getType() + " older than the latest HR event applied cannot cancel the pending leaver";
      default -> "no pending leaver to cancel";
    };
    out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.cancel.refused", AuditOutcome.REFUSED,
        refusal == Refusal.ALREADY_TERMINATED ? Severity.MEDIUM : Severity.LOW, reason, e.getEventId(),
        LeaverRecords.correlationId(state)));
  }

  private static void reopened(LeaverCaseState state, WorkerEvent e, Decision<LeaverCaseState> out) {
    String correlation = LeaverRecords.correlationId(state);
    state.setLeaver(null);
    state.setTerminatedAt(null);
    out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.reopened", AuditOutcome.RECORDED, Severity.INFO,
            "rehire with a fresh identity verification: the account is open again; factors bound from now on are "
                + "not anomalies", e.getEventId(), correlation)
        .setDetails(LeaverRecords.details("verificationId", e.getIdentityVerification().getVerificationId(),
            "verificationLevel", e.getIdentityVerification().getLevel().name(),
            "verifiedAt", e.getIdentityVerification().getVerifiedAt().toString())));
  }

  private static void reopenRefused(LeaverCaseState state, Refusal refusal, WorkerEvent e, Decision<LeaverCaseState> out) {
    String reason = e.getType() == WorkerEventType.REHIRE
        ? "a REHIRE reopens a terminated account only with a fresh identity verification at the role's level: " + refusal
        : "a " + e.getType() + " for a terminated subject does not reopen the account; only a REHIRE does";
    out.audit(LeaverRecords.audit(state.getSubjectId(), "leaver.reactivation.refused", AuditOutcome.REFUSED,
            Severity.MEDIUM, reason, e.getEventId(), LeaverRecords.correlationId(state))
        .setDetails(LeaverRecords.details("eventType", e.getType().name(), "refusal", refusal.name())));
  }

  private static void rememberServiceIdentities(LeaverCaseState state, List<String> owned) {
    LinkedHashSet<String> all = new LinkedHashSet<>(state.getOwnedServiceIdentities());
    all.addAll(owned);
    state.setOwnedServiceIdentities(new ArrayList<>(all));
  }
}
