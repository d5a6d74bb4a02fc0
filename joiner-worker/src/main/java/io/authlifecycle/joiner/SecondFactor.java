package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.binding.IndependentChannels;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * At least two authenticators per account (63B-4 4.1.2.1): an enrolled subject left with exactly
 * one factor is reminded, once, after the configured period, unless a second is bound first.
 */
final class SecondFactor {

  private final Duration after;
  private final JoinerRecords records;

  SecondFactor(JoinerRules rules, JoinerRecords records) {
    this.after = rules.secondFactorAfter();
    this.records = records;
  }

  /** After the factor count changed: start, keep or stop the reminder, adding to {@code out}. */
  Decision<JoinerCase> reconsider(JoinerCase state, String causationId, Instant now, Decision<JoinerCase> out) {
    long active = JoinerCases.activeFactors(state);
    boolean pending = state.getSecondFactorReminderAt() != null;
    if (state.getPhase() == JoinerPhase.ENROLLED && active == 1 && !pending) {
      Instant due = now.plus(after);
      state.setSecondFactorReminderAt(due);
      return out.schedule(TimerEntry.newBuilder().setOwner(state.getSubjectId())
          .setKind(JoinerDecisions.SECOND_FACTOR_TIMER).setDueAt(due).setCausationId(causationId)
          .setCorrelationId(JoinerCases.correlationId(state)).build());
    }
    if (active != 1 && pending) {
      state.setSecondFactorReminderAt(null);
      out.cancel(state.getSubjectId(), JoinerDecisions.SECOND_FACTOR_TIMER);
      if (active >= 2) {
        out.audit(JoinerRecords.audit(state, JoinerRecords.SECOND_FACTOR_BOUND, AuditOutcome.RECORDED, Severity.INFO,
                PolicyRefs.BINDING, causationId, JoinerCases.correlationId(state))
            .setDetails(Map.of("activeFactors", String.valueOf(active))));
      }
    }
    return out;
  }

  /** The reminder came due: it is spent either way, and said only to a subject who still has exactly one factor. */
  Decision<JoinerCase> onDue(JoinerCase state, TimerEntry timer, Instant now) {
    state.setSecondFactorReminderAt(null);
    Decision<JoinerCase> out = Decision.storing(state);
    if (JoinerCases.activeFactors(state) != 1) {
      return out;
    }
    SubjectNotification notice = records.toSubject(state, IndependentChannels.forReminder(state.getChannels()),
        JoinerRecords.NOTIFY_SECOND_FACTOR,
        "Your account has a single authenticator. Add a second one so that losing it does not lock you out.",
        timer.getCausationId(), JoinerCases.correlationId(state), now).build();
    return out.notify(notice)
        .audit(JoinerRecords.audit(state, JoinerRecords.SECOND_FACTOR_REMINDER, AuditOutcome.NOTIFIED, Severity.INFO,
                PolicyRefs.BINDING, timer.getCausationId(), JoinerCases.correlationId(state))
            .setDetails(Map.of("activeFactors", "1", "notificationId", notice.getEventId(),
                "after", after.toString())));
  }
}
