package io.authlifecycle.mover;

import io.authlifecycle.avro.AuthenticatorUsed;
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
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Loads the subject's registry state, lets {@link MoverDecisions} decide on an HR event, a device
 * event, an IdP fact, a factor use or the due timer, and stores what it decided; duplicates are
 * counted. A use within the use resolution is answered from {@link LastUses} without a read.
 */
final class MoverProcessor extends DecisionProcessor<MoverSubject> {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS,
      Topics.AUTHENTICATOR_USAGE);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS_MOVER, Topics.NOTIFICATIONS, Topics.SYSTEM_REQUESTS);

  private final MoverDecisions decisions;
  private final LastUses lastUses;
  private final boolean keepsLastUses;

  MoverProcessor(WorkerContext worker, MoverDecisions decisions) {
    super(worker, INPUTS, MoverTopology.registryStoreName(worker), true);
    this.decisions = decisions;
    int subjects = worker.get(MoverSettings.LAST_USES_SUBJECTS);
    this.keepsLastUses = subjects > 0;
    this.lastUses = new LastUses(worker.get(MoverSettings.USE_RESOLUTION), subjects);
  }

  /** A task (re)starting may have had its stores restored or wiped: what was kept in memory is not trusted. */
  @Override
  protected void onInit(ProcessorContext<String, Object> context) {
    lastUses.clear();
  }

  /** The hot path: a use within the use resolution of an active factor, known from memory, reads nothing. */
  @Override
  protected boolean decidesNothing(String key, SpecificRecord value) {
    return keepsLastUses && value instanceof AuthenticatorUsed use && lastUses.skips(key, use);
  }

  @Override
  protected void onStored(String key, MoverSubject before, MoverSubject after) {
    if (keepsLastUses) {
      lastUses.remember(key, after);
    }
  }

  @Override
  protected Decision<MoverSubject> decide(MoverSubject state, String key, SpecificRecord value, Instant now) {
    if (keepsLastUses) {
      lastUses.remember(key, state);
    }
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
