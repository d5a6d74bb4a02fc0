package io.authlifecycle.joiner;

import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.joiner.onboarding.Onboarding;
import io.authlifecycle.joiner.onboarding.Outcome;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The joiner's one decision processor: loads the subject's onboarding case, lets
 * {@link Onboarding} decide on the HR event, IdP fact or due timer, then stores the case, moves
 * the timers and emits what was decided, all in the same transaction.
 */
final class JoinerProcessor extends DecisionProcessor<JoinerCase> {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS, Topics.NOTIFICATIONS);

  private final Onboarding onboarding;

  JoinerProcessor(WorkerContext worker, Onboarding onboarding) {
    super(worker, INPUTS, JoinerTopology.casesStoreName(worker), true);
    this.onboarding = onboarding;
  }

  /** Factor use and the like, most of the facts topic, decide nothing: no case is read or copied for them. */
  @Override
  protected boolean concerns(SpecificRecord value) {
    return value instanceof WorkerEvent || onboarding.concerns(value);
  }

  @Override
  protected Decision<JoinerCase> decide(JoinerCase state, String key, SpecificRecord value, Instant now) {
    Outcome outcome = value instanceof WorkerEvent event
        ? onboarding.onWorkerEvent(state, event, now)
        : onboarding.onAuthenticatorFact(state, value, now);
    return decision(key, outcome);
  }

  @Override
  protected Decision<JoinerCase> onTimer(JoinerCase state, TimerEntry timer, Instant now) {
    return decision(timer.getOwner(), onboarding.onTimer(state, timer, now));
  }

  private Decision<JoinerCase> decision(String subjectId, Outcome outcome) {
    Decision<JoinerCase> decision = Decision.none();
    outcome.state().ifPresent(decision::store);
    for (String prefix : outcome.cancelledTimerKinds()) {
      onboarding.timerKinds(prefix).forEach(kind -> decision.cancel(subjectId, kind));
    }
    outcome.scheduledTimers().forEach(decision::schedule);
    outcome.commands().forEach(decision::command);
    outcome.notifications().forEach(decision::notify);
    outcome.audits().forEach(decision::audit);
    return decision;
  }
}
