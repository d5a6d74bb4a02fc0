package io.authlifecycle.joiner;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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

  /** The records {@link JoinerDecisions} decides on; the rest (factor use, most of all) is skipped unread. */
  static final Set<Class<? extends SpecificRecord>> DECIDES = Set.of(WorkerEvent.class, AuthenticatorBound.class,
      AuthenticatorRevoked.class);

  @Override
  protected boolean concerns(Class<? extends SpecificRecord> type) {
    return DECIDES.contains(type);
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
