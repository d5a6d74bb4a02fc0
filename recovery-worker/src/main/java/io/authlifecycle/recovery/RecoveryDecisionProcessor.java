package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.Outbound;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The recovery worker's one decision processor: loads the subject's state, drops duplicates,
 * hands the record or due timer to the plain decision for it, then stores the state and writes
 * the decision's effects.
 */
final class RecoveryDecisionProcessor extends DecisionProcessor {

  private final RecoveryRules rules;
  private KeyValueStore<String, RecoverySubject> subjects;

  RecoveryDecisionProcessor(WorkerContext worker, RecoveryRules rules) {
    super(worker, RecoveryTopology.INPUTS, true);
    this.rules = rules;
  }

  @Override
  protected void onInit(ProcessorContext<String, Outbound> context) {
    subjects = context.getStateStore(RecoveryTopology.subjectStoreName(worker));
  }

  @Override
  protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
    if (!changesState(value)) {
      return;
    }
    SubjectState subject = load(key);
    String eventId = String.valueOf(((SpecificRecordBase) value).get("eventId"));
    if (subject.seen(eventId)) {
      return;
    }
    subject.remember(eventId);
    Instant now = emit().now();
    Effects fx = new Effects();
    if (value instanceof WorkerEvent event) {
      HrIntake.apply(rules, subject, event, fx, now);
    } else if (value instanceof RecoveryRequest request) {
      if (request.getKind() == RecoveryRequestKind.CANCEL) {
        RequestIntake.cancel(rules, subject, request, fx, now);
      } else {
        RequestIntake.open(rules, subject, request, fx, now);
      }
    } else if (value instanceof ApprovalDecision decision) {
      ApprovalIntake.decide(rules, subject, decision, fx, now);
    } else {
      SubjectFacts.applyFact(subject, value);
      if (value instanceof AuthenticatorBound bound) {
        RecoveryCompletion.factorBound(subject, bound, fx);
      }
    }
    save(subject, fx);
  }

  @Override
  protected void onTimer(TimerEntry timer) {
    SubjectState subject = load(timer.getOwner());
    String kind = timer.getKind();
    String requestId = timer.getAttributes().get("requestId");
    Instant now = emit().now();
    Effects fx = new Effects();
    if (kind.startsWith(CaseRecords.DEADLINE)) {
      CaseClosures.deadlinePassed(rules, subject, requestId, timer, fx, now);
    } else if (kind.startsWith(CaseRecords.COOLING_OFF)) {
      RecoveryCompletion.coolingOffEnded(rules, subject, requestId, timer, fx, now);
    } else if (kind.startsWith(CaseRecords.TICKET_EXPIRY)) {
      RecoveryCompletion.ticketExpired(subject, requestId, timer, fx);
    } else if (kind.equals(CaseRecords.UNLOCK)) {
      CaseClosures.unlock(subject, timer, fx, now);
    } else {
      super.onTimer(timer);
    }
    save(subject, fx);
  }

  /** Facts that say only that something was used or applied change nothing here and are not kept. */
  private static boolean changesState(SpecificRecord value) {
    return value instanceof WorkerEvent || value instanceof RecoveryRequest || value instanceof ApprovalDecision
        || value instanceof AuthenticatorBound || value instanceof AuthenticatorRevoked
        || value instanceof AuthenticatorSuspended || value instanceof AuthenticatorResumed;
  }

  private SubjectState load(String subjectId) {
    RecoverySubject stored = subjects.get(subjectId);
    return stored == null ? SubjectState.fresh(subjectId) : new SubjectState(stored);
  }

  private void save(SubjectState subject, Effects fx) {
    subjects.put(subject.subjectId(), subject.record());
    fx.cancelledTimers().forEach(kind -> timers().cancel(subject.subjectId(), kind));
    fx.scheduledTimers().forEach(timers()::schedule);
    fx.approvalRequests().forEach(r -> emit().send(Topics.APPROVAL_REQUESTS, r.getSubjectId(), r));
    fx.commands().forEach(emit()::command);
    fx.notifications().forEach(emit()::notify);
    for (AuditEvent.Builder audit : fx.audits()) {
      emit().audit(audit);
    }
  }
}
