package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Instant;
import java.util.Map;

/**
 * At least two authenticators per account (63B-4 4.1.2.1): an enrolled subject left with exactly
 * one factor is reminded, once, after the configured period, unless a second is bound first.
 */
final class SecondFactor {

  private final Drafts drafts;
  private final JoinerConfig config;

  SecondFactor(Drafts drafts, JoinerConfig config) {
    this.drafts = drafts;
    this.config = config;
  }

  /** After the factor count changed: start, keep or stop the reminder. */
  Outcome reconsider(OnboardingCase onboarding, String causationId, Instant now, Outcome out) {
    long active = onboarding.activeFactors();
    boolean pending = onboarding.secondFactorReminderAt().isPresent();
    if (onboarding.phase() == JoinerPhase.ENROLLED && active == 1 && !pending) {
      Instant due = now.plus(config.secondFactorAfter());
      onboarding.secondFactorReminderAt(due);
      return out.schedule(TimerEntry.newBuilder().setOwner(onboarding.subjectId()).setKind(Actions.TIMER_SECOND_FACTOR)
          .setDueAt(due).setCausationId(causationId).setCorrelationId(onboarding.correlationId()).build());
    }
    if (active != 1 && pending) {
      onboarding.secondFactorReminderAt(null);
      out.cancelTimers(Actions.TIMER_SECOND_FACTOR);
      if (active >= 2) {
        out.audit(drafts.audit(onboarding, Actions.SECOND_FACTOR_BOUND, AuditOutcome.RECORDED, Severity.INFO,
                PolicyRefs.BINDING, causationId, onboarding.correlationId())
            .setDetails(Map.of("activeFactors", String.valueOf(active))));
      }
    }
    return out;
  }

  Outcome fire(OnboardingCase onboarding, TimerEntry timer, Instant now) {
    onboarding.secondFactorReminderAt(null);
    Outcome out = Outcome.storing(onboarding);
    if (onboarding.activeFactors() != 1) {
      return out;
    }
    SubjectNotification notice = drafts.toSubject(onboarding,
        IndependentChannels.forReminder(onboarding.record().getChannels()), Actions.NOTIFY_SECOND_FACTOR,
        "Your account has a single authenticator. Add a second one so that losing it does not lock you out.",
        timer.getCausationId(), onboarding.correlationId(), now).build();
    return out.notify(notice)
        .audit(drafts.audit(onboarding, Actions.SECOND_FACTOR_REMINDER, AuditOutcome.NOTIFIED, Severity.INFO,
                PolicyRefs.BINDING, timer.getCausationId(), onboarding.correlationId())
            .setDetails(Map.of("activeFactors", "1", "notificationId", notice.getEventId(),
                "after", config.secondFactorAfter().toString())));
  }
}
