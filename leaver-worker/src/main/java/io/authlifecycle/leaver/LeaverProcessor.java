package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.Outbound;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The leaver decision: loads the subject's {@link LeaverCase}, lets it decide on an HR event, an
 * authenticator fact or a due timer, and turns the {@link Outcome} into commands, audit records,
 * timer changes and the stored case.
 */
final class LeaverProcessor extends DecisionProcessor {

  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);

  private final LeaverRules rules;
  private KeyValueStore<String, LeaverCaseState> cases;
  private LeaverGauges gauges;

  LeaverProcessor(WorkerContext worker) {
    super(worker, INPUTS, true);
    this.rules = new LeaverRules(worker.worker(), worker.get(LeaverSettings.CONFIRMATION_DEADLINE));
  }

  @Override
  protected void onInit(ProcessorContext<String, Outbound> context) {
    cases = context.getStateStore(LeaverTopology.casesStoreName(worker));
    gauges = new LeaverGauges(context.getStateStore(LeaverTopology.gaugesStoreName(worker)), worker.metrics());
  }

  @Override
  protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
    if (!LeaverCase.concerns(value)) {
      // Factor use and the like, most of the facts topic: nothing to decide, so no case is read or copied.
      return;
    }
    LeaverCase leaverCase = LeaverCase.open(key, cases.get(key), rules);
    boolean wasScheduled = leaverCase.isScheduled();
    boolean wasOverdue = leaverCase.isOverdue();
    apply(leaverCase, leaverCase.decide(value, emit().now()), wasScheduled, wasOverdue);
  }

  @Override
  protected void onTimer(TimerEntry timer) {
    LeaverCase leaverCase = LeaverCase.open(timer.getOwner(), cases.get(timer.getOwner()), rules);
    boolean wasScheduled = leaverCase.isScheduled();
    boolean wasOverdue = leaverCase.isOverdue();
    apply(leaverCase, leaverCase.onTimer(timer.getKind(), timer.getCausationId(), emit().now()), wasScheduled, wasOverdue);
  }

  private void apply(LeaverCase leaverCase, Outcome out, boolean wasScheduled, boolean wasOverdue) {
    String subject = leaverCase.subjectId();
    out.commands().forEach(emit()::command);
    for (AuditEvent.Builder draft : out.audits()) {
      worker.metrics().decision(emit().audit(draft).getAction());
    }
    for (Outcome.TimerChange change : out.timers()) {
      if (change instanceof Outcome.Schedule s) {
        timers().schedule(TimerEntry.newBuilder().setOwner(subject).setKind(s.kind()).setDueAt(s.dueAt())
            .setCausationId(s.causationId()).setCorrelationId(s.correlationId()).build());
      } else {
        timers().cancel(subject, change.kind());
      }
    }
    if (out.isCaseChanged()) {
      cases.put(subject, leaverCase.state());
      gauges.change(wasScheduled, leaverCase.isScheduled(), wasOverdue, leaverCase.isOverdue());
    }
  }

  @Override
  public void close() {
    if (gauges != null) {
      gauges.close();
    }
  }
}
