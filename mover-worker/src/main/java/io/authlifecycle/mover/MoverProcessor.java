package io.authlifecycle.mover;

import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.Outbound;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.mover.registry.MoverDecisions;
import io.authlifecycle.mover.registry.MoverRules;
import io.authlifecycle.mover.registry.Outcome;
import io.authlifecycle.mover.registry.Subject;
import io.authlifecycle.mover.registry.SubjectCodec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The subject-keyed decision processor: loads the subject's registry view, lets
 * {@link MoverDecisions} decide on the input or the due timer, keeps the subject's one timer at
 * its next due time, stores the view and writes what was decided.
 */
final class MoverProcessor extends DecisionProcessor {

  static final String TIMER_KIND = "mover.next-due";

  private final MoverDecisions decisions;
  private KeyValueStore<String, MoverSubject> registry;
  private StepWriter writer;

  MoverProcessor(WorkerContext worker, TopicSpec<?> devicesByOwner, MoverRules rules) {
    super(worker, List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS, devicesByOwner), true);
    this.decisions = new MoverDecisions(rules);
  }

  @Override
  protected void onInit(ProcessorContext<String, Outbound> context) {
    registry = context.getStateStore(MoverTopology.registryStoreName(worker));
    writer = new StepWriter(worker.worker(), emit());
  }

  @Override
  protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
    Subject subject = load(key);
    String eventId = String.valueOf(((SpecificRecordBase) value).get("eventId"));
    if (subject.seen(eventId)) {
      worker.metrics().counter("lifecycle.duplicates", "topic", topic.name()).increment();
      return;
    }
    Outcome outcome = decisions.decide(subject, eventId, value, emit().now());
    finish(subject, outcome);
  }

  @Override
  protected void onTimer(TimerEntry timer) {
    MoverSubject stored = registry.get(timer.getOwner());
    if (stored == null) {
      return;
    }
    Subject subject = SubjectCodec.decode(stored);
    subject.scheduledDue(null);
    finish(subject, decisions.due(subject, emit().now()));
  }

  private Subject load(String subjectId) {
    MoverSubject stored = registry.get(subjectId);
    return stored == null ? new Subject(subjectId) : SubjectCodec.decode(stored);
  }

  /**
   * Moves the subject's timer to its next due time (if that changed), stores the view, writes the
   * steps. A due time that only moved later (a use pushes staleness back) keeps the earlier timer:
   * when it fires with nothing due, {@link #onTimer} schedules the right time. That spares the timer
   * index four store writes and two changelog records on every factor use. An outcome that left
   * the view as it was (a duplicate, a use within the use resolution) stores nothing.
   */
  private void finish(Subject subject, Outcome outcome) {
    if (!outcome.viewChanged()) {
      return;
    }
    Instant next = decisions.nextDue(subject);
    Instant scheduled = subject.scheduledDue();
    boolean onlyLater = next != null && scheduled != null && next.isAfter(scheduled);
    if (!Objects.equals(next, scheduled) && !onlyLater) {
      if (next == null) {
        timers().cancel(subject.id(), TIMER_KIND);
      } else {
        timers().schedule(TimerEntry.newBuilder().setOwner(subject.id()).setKind(TIMER_KIND).setDueAt(next).build());
      }
      subject.scheduledDue(next);
    }
    registry.put(subject.id(), SubjectCodec.encode(subject));
    writer.write(subject.id(), outcome.steps());
  }
}
