package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.Folded;
import io.authlifecycle.core.hr.HrChange;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A leaver closes the onboarding case: an effective one at once (a subject never seen here too, so
 * a later JOINER is refused: only a REHIRE reopens), a future-dated one at its effective time unless
 * a LEAVER_CANCELLED (or a REHIRE) drops it first, all as the one HR fold reads them. The leaver worker revokes; here the case stops
 * reminding and escalating, and its open ticket is marked closed so a late binding through it is revoked.
 */
final class ClosingDecisions {

  private final JoinerRecords records;

  ClosingDecisions(JoinerRecords records) {
    this.records = records;
  }

  /** A leaver the HR fold scheduled or moved: the case closes at its effective time (one timer, replaced). */
  Decision<JoinerCase> onLeaver(JoinerCase state, Folded folded) {
    if (!folded.has(HrChange.LEAVE_SCHEDULED) && !folded.has(HrChange.LEAVE_RESCHEDULED)) {
      return Decision.none();
    }
    HrLeave leave = folded.after().getLeave();
    return Decision.storing(state).schedule(TimerEntry.newBuilder().setOwner(state.getSubjectId())
        .setKind(JoinerDecisions.LEAVER_EFFECTIVE_TIMER).setDueAt(leave.getEffectiveTime())
        .setCausationId(leave.getEventId())
        .setCorrelationId("leaver:" + state.getSubjectId() + ":" + leave.getEventId())
        .setAttributes(Map.of()).build());
  }

  /** LEAVER_CANCELLED: the pending closing, if the fold dropped one, is dropped here too. */
  Decision<JoinerCase> onCancelled(JoinerCase state, Folded folded) {
    return folded.has(HrChange.LEAVE_CANCELLED)
        ? Decision.storing(state).cancel(state.getSubjectId(), JoinerDecisions.LEAVER_EFFECTIVE_TIMER)
        : Decision.none();
  }

  /**
   * A future-dated leaver's effective time came. A case of the earlier release knew its pending
   * leaver only by this timer: its standing learns the termination from it.
   */
  Decision<JoinerCase> onEffective(JoinerCase state, boolean legacy, TimerEntry timer, Instant now) {
    if (state.getPhase() == JoinerPhase.CLOSED) {
      return Decision.none();
    }
    if (legacy) {
      JoinerCases.takeStanding(state, HrStanding.newBuilder(state.getStanding()).setPhase(HrPhase.TERMINATED)
          .setTerminatedAt(timer.getDueAt()).build());
      return close(state, timer.getCausationId());
    }
    Folded folded = StandingFold.advance(state.getStanding(), now);
    if (!folded.has(HrChange.TERMINATED)) {
      return Decision.none();
    }
    JoinerCases.takeStanding(state, folded.after());
    return close(state, folded.after().getLeave().getEventId());
  }

  /** No more reminders or escalations; the open ticket is marked superseded. */
  Decision<JoinerCase> close(JoinerCase state, String causationId) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("previousPhase", state.getPhase().name());
    JoinerCases.openTicket(state).ifPresent(t -> {
      details.put("openTicketId", t.getTicketId());
      JoinerCases.closeTicket(t, JoinerTicketStatus.SUPERSEDED, null);
    });
    state.setPhase(JoinerPhase.CLOSED);
    state.setSecondFactorReminderAt(null);
    String subject = state.getSubjectId();
    return records.cancelTicketTimers(Decision.storing(state), subject)
        .cancel(subject, JoinerDecisions.SECOND_FACTOR_TIMER)
        .cancel(subject, JoinerDecisions.LEAVER_EFFECTIVE_TIMER)
        .audit(JoinerRecords.audit(state, JoinerRecords.CASE_CLOSED, AuditOutcome.CANCELLED, Severity.INFO,
                PolicyRefs.INVALIDATION, causationId, JoinerCases.correlationId(state))
            .setReason("LEAVER")
            .setDetails(details));
  }
}
