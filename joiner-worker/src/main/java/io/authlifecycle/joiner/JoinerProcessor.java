package io.authlifecycle.joiner;

import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.Outbound;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.joiner.onboarding.Onboarding;
import io.authlifecycle.joiner.onboarding.Outcome;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The joiner's one decision processor: loads the subject's onboarding case, lets
 * {@link Onboarding} decide on the HR event, IdP fact or due timer, then stores the case, moves
 * the timers and emits what was decided, all in the same transaction.
 */
final class JoinerProcessor extends DecisionProcessor {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);

  private final Onboarding onboarding;
  private KeyValueStore<String, JoinerCase> cases;

  JoinerProcessor(WorkerContext worker, Onboarding onboarding) {
    super(worker, INPUTS, true);
    this.onboarding = onboarding;
  }

  @Override
  protected void onInit(ProcessorContext<String, Outbound> context) {
    cases = context.getStateStore(JoinerTopology.casesStoreName(worker));
  }

  @Override
  protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
    if (!(value instanceof WorkerEvent) && !onboarding.concerns(value)) {
      // Factor use and the like, most of the facts topic: nothing to decide, so no case is read or copied.
      return;
    }
    JoinerCase stored = cases.get(key);
    Outcome outcome = value instanceof WorkerEvent event
        ? onboarding.onWorkerEvent(stored, event, emit().now())
        : onboarding.onAuthenticatorFact(stored, value, emit().now());
    apply(key, outcome);
  }

  @Override
  protected void onTimer(TimerEntry timer) {
    apply(timer.getOwner(), onboarding.onTimer(cases.get(timer.getOwner()), timer, emit().now()));
  }

  private void apply(String subjectId, Outcome outcome) {
    outcome.state().ifPresent(state -> cases.put(subjectId, state));
    for (String prefix : outcome.cancelledTimerKinds()) {
      List<String> kinds = onboarding.timerKinds(prefix);
      if (kinds.isEmpty()) {
        timers().cancelAll(subjectId, prefix);
      } else {
        kinds.forEach(kind -> timers().cancel(subjectId, kind));
      }
    }
    outcome.scheduledTimers().forEach(timers()::schedule);
    outcome.commands().forEach(emit()::command);
    outcome.notifications().forEach(emit()::notify);
    outcome.audits().forEach(emit()::audit);
  }
}
