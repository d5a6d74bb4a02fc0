package io.authlifecycle.joiner;

import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Loads the subject's onboarding case, lets {@link JoinerDecisions} decide on an HR event, an IdP
 * fact or a due timer, and stores what it decided; the core applies the decision in one transaction.
 */
final class JoinerProcessor extends DecisionProcessor<JoinerCase> {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS_JOINER, Topics.NOTIFICATIONS);

  private final JoinerDecisions decisions;

  JoinerProcessor(WorkerContext worker, JoinerDecisions decisions) {
    super(worker, INPUTS, JoinerTopology.casesStoreName(worker), true);
    this.decisions = decisions;
  }

  /** Factor use and the like, most of the facts topic, decide nothing: no case is read or copied for them. */
  @Override
  protected boolean concerns(SpecificRecord value) {
    return JoinerDecisions.concerns(value);
  }

  @Override
  protected Decision<JoinerCase> decide(JoinerCase state, String key, SpecificRecord value, Instant now) {
    return decisions.decide(state, key, value, now);
  }

  @Override
  protected Decision<JoinerCase> onTimer(JoinerCase state, TimerEntry timer, Instant now) {
    return decisions.onTimer(state, timer, now);
  }
}
