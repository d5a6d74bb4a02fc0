package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.LeaverCaseState;
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
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Loads the subject's leaver case, lets {@link LeaverDecisions} decide on an HR event, an IdP fact
 * or a due timer, and stores what it decided; the scheduled and overdue gauges follow each stored case.
 */
final class LeaverProcessor extends DecisionProcessor<LeaverCaseState> {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS_LEAVER);

  private final LeaverDecisions decisions;
  private LeaverGauges gauges;

  LeaverProcessor(WorkerContext worker) {
    super(worker, INPUTS, LeaverTopology.casesStoreName(worker), true);
    this.decisions = LeaverDecisions.from(worker);
  }

  @Override
  protected void onInit(ProcessorContext<String, Object> context) {
    gauges = new LeaverGauges(context.getStateStore(LeaverTopology.gaugesStoreName(worker)), worker.metrics());
  }

  /** The records {@link LeaverDecisions} decides on; the rest (factor use, most of all) is skipped unread. */
  static final Set<Class<? extends SpecificRecord>> DECIDES = Set.of(WorkerEvent.class, AuthenticatorBound.class,
      AuthenticatorRevoked.class, CommandApplied.class, CommandFailed.class);

  @Override
  protected boolean concerns(Class<? extends SpecificRecord> type) {
    return DECIDES.contains(type);
  }

  @Override
  protected Decision<LeaverCaseState> decide(LeaverCaseState state, String key, SpecificRecord value, Instant now) {
    return decisions.decide(state, key, value, now);
  }

  @Override
  protected Decision<LeaverCaseState> onTimer(LeaverCaseState state, TimerEntry timer, Instant now) {
    return decisions.onTimer(state, timer, now);
  }

  @Override
  protected void onStored(String key, LeaverCaseState before, LeaverCaseState after) {
    gauges.change(LeaverGauges.scheduled(before), LeaverGauges.scheduled(after),
        LeaverGauges.overdue(before), LeaverGauges.overdue(after));
  }

  @Override
  public void close() {
    if (gauges != null) {
      gauges.close();
    }
  }
}
