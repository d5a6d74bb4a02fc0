package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A leaver closes the onboarding case: an effective one at once (a subject never seen here too, so
 * a later JOINER is refused: only a REHIRE reopens), a future-dated one at its effective time unless
 * a LEAVER_CANCELLED (or a REHIRE) drops it first. The leaver worker revokes; here the case stops
 * reminding and escalating, and its open ticket is marked closed so a late binding through it is revoked.
 */
final class ClosingDecisions {

  private final JoinerRecords records;

  ClosingDecisions(JoinerRecords records) {
    this.records = records;
  }

  Decision<JoinerCase> onLeaver(JoinerCase state, WorkerEvent event, Instant now) {
    if (state.getPhase() == JoinerPhase.CLOSED) {
      return Decision.none();
    }
    if (event.getEffectiveTime().isAfter(now) && !event.getImmediate()) {
      // A later LEAVER replaces this timer: one per subject and kind.
      return Decision.storing(state).schedule(TimerEntry.newBuilder().setOwner(event.getSubjectId())
          .setKind(JoinerDecisions.LEAVER_EFFECTIVE_TIMER).setDueAt(event.getEffectiveTime())
          .setCausationId(event.getEventId())
          .setCorrelationId("leaver:" + event.getSubjectId() + ":" + event.getEventId())
          .setAttributes(Map.of()).build());
    }
    return close(state, event.getEventId());
  }

  /** LEAVER_CANCELLED: the pending closing, if any, is dropped. */
  Decision<JoinerCase> onCancelled(JoinerCase state) {
    return Decision.storing(state).cancel(state.getSubjectId(), JoinerDecisions.LEAVER_EFFECTIVE_TIMER);
  }

  /** A future-dated leaver's effective time came. */
  Decision<JoinerCase> onEffective(JoinerCase state, TimerEntry timer) {
    return state.getPhase() == JoinerPhase.CLOSED ? Decision.none() : close(state, timer.getCausationId());
  }

  /** No more reminders or escalations; the open ticket is marked superseded. */
  private Decision<JoinerCase> close(JoinerCase state, String causationId) {
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
