package io.authlifecycle.mover;

import io.authlifecycle.avro.state.MoverSubject;
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
 * Loads the subject's registry state, lets {@link MoverDecisions} decide on an HR event, a device
 * event, an IdP fact or the due timer, and stores what it decided; duplicates are counted.
 */
final class MoverProcessor extends DecisionProcessor<MoverSubject> {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS_MOVER, Topics.NOTIFICATIONS, Topics.SYSTEM_REQUESTS);

  private final MoverDecisions decisions;

  MoverProcessor(WorkerContext worker, MoverDecisions decisions) {
    super(worker, INPUTS, MoverTopology.registryStoreName(worker), true);
    this.decisions = decisions;
  }

  @Override
  protected Decision<MoverSubject> decide(MoverSubject state, String key, SpecificRecord value, Instant now) {
    if (MoverDecisions.duplicate(state, value)) {
      worker.metrics().counter("lifecycle.duplicates", "record", value.getSchema().getName()).increment();
      return Decision.none();
    }
    return decisions.decide(state, key, value, now);
  }

  @Override
  protected Decision<MoverSubject> onTimer(MoverSubject state, TimerEntry timer, Instant now) {
    return decisions.onTimer(state, timer, now);
  }
}
