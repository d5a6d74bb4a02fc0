package io.authlifecycle.mover;

import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
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

/**
 * The subject-keyed decision processor: loads the subject's registry view, lets
 * {@link MoverDecisions} decide on the input or the due timer, keeps the subject's one timer at
 * its next due time, stores the view and writes what was decided.
 */
final class MoverProcessor extends DecisionProcessor<MoverSubject> {

  static final String TIMER_KIND = "mover.next-due";
  static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);
  static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS, Topics.NOTIFICATIONS, Topics.RECOVERY_REQUESTS);

  private final MoverDecisions decisions;
  private final StepWriter writer;

  MoverProcessor(WorkerContext worker, MoverRules rules) {
    super(worker, INPUTS, MoverTopology.registryStoreName(worker), true);
    this.decisions = new MoverDecisions(rules);
    this.writer = new StepWriter(worker.name());
  }

  @Override
  protected Decision<MoverSubject> decide(MoverSubject stored, String key, SpecificRecord value, Instant now) {
    Subject subject = stored == null ? new Subject(key) : SubjectCodec.decode(stored);
    String eventId = String.valueOf(((SpecificRecordBase) value).get("eventId"));
    if (subject.seen(eventId)) {
      worker.metrics().counter("lifecycle.duplicates", "record", value.getSchema().getName()).increment();
      return Decision.none();
    }
    return finish(subject, decisions.decide(subject, eventId, value, now), now);
  }

  @Override
  protected Decision<MoverSubject> onTimer(MoverSubject stored, TimerEntry timer, Instant now) {
    if (stored == null) {
      return Decision.none();
    }
    Subject subject = SubjectCodec.decode(stored);
    subject.scheduledDue(null);
    return finish(subject, decisions.due(subject, now), now);
  }

  /**
   * Moves the subject's timer to its next due time (if that changed), stores the view, writes the
   * steps. A due time that only moved later (a use pushes staleness back) keeps the earlier timer:
   * when it fires with nothing due, {@link #onTimer} schedules the right time. That spares the timer
   * index four store writes and two changelog records on every factor use. An outcome that left
   * the view as it was (a duplicate, a use within the use resolution) stores nothing.
   */
  private Decision<MoverSubject> finish(Subject subject, Outcome outcome, Instant now) {
    Decision<MoverSubject> decision = Decision.none();
    if (!outcome.viewChanged()) {
      return decision;
    }
    Instant next = decisions.nextDue(subject);
    Instant scheduled = subject.scheduledDue();
    boolean onlyLater = next != null && scheduled != null && next.isAfter(scheduled);
    if (!Objects.equals(next, scheduled) && !onlyLater) {
      if (next == null) {
        decision.cancel(subject.id(), TIMER_KIND);
      } else {
        decision.schedule(TimerEntry.newBuilder().setOwner(subject.id()).setKind(TIMER_KIND).setDueAt(next).build());
      }
      subject.scheduledDue(next);
    }
    decision.store(SubjectCodec.encode(subject));
    writer.write(subject.id(), outcome.steps(), now, decision);
    return decision;
  }
}
