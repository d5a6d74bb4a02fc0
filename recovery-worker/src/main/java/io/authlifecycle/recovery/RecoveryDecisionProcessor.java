package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The recovery worker's one decision processor: loads the subject's state, drops duplicates,
 * hands the record or due timer to the plain decision for it, then stores the state and writes
 * the decision's effects.
 */
final class RecoveryDecisionProcessor extends DecisionProcessor<RecoverySubject> {

  private final RecoveryRules rules;

  RecoveryDecisionProcessor(WorkerContext worker, RecoveryRules rules) {
    super(worker, RecoveryTopology.INPUTS, RecoveryTopology.subjectStoreName(worker), true);
    this.rules = rules;
  }

  /** Facts that say only that something was used or applied change nothing here and are not kept. */
  @Override
  protected boolean concerns(SpecificRecord value) {
    return value instanceof WorkerEvent || value instanceof RecoveryRequest || value instanceof ApprovalDecision
        || value instanceof AuthenticatorBound || value instanceof AuthenticatorRevoked
        || value instanceof AuthenticatorSuspended || value instanceof AuthenticatorResumed;
  }

  @Override
  protected Decision<RecoverySubject> decide(RecoverySubject stored, String key, SpecificRecord value, Instant now) {
    SubjectState subject = load(key, stored);
    String eventId = String.valueOf(((SpecificRecordBase) value).get("eventId"));
    if (subject.seen(eventId)) {
      return Decision.none();
    }
    subject.remember(eventId);
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
    return decision(subject, fx);
  }

  @Override
  protected Decision<RecoverySubject> onTimer(RecoverySubject stored, TimerEntry timer, Instant now) {
    SubjectState subject = load(timer.getOwner(), stored);
    String kind = timer.getKind();
    String requestId = timer.getAttributes().get("requestId");
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
      return super.onTimer(stored, timer, now);
    }
    return decision(subject, fx);
  }

  private static SubjectState load(String subjectId, RecoverySubject stored) {
    return stored == null ? SubjectState.fresh(subjectId) : new SubjectState(stored);
  }

  private static Decision<RecoverySubject> decision(SubjectState subject, Effects fx) {
    Decision<RecoverySubject> decision = Decision.storing(subject.record());
    fx.cancelledTimers().forEach(kind -> decision.cancel(subject.subjectId(), kind));
    fx.scheduledTimers().forEach(decision::schedule);
    fx.approvalRequests().forEach(r -> decision.send(Topics.APPROVAL_REQUESTS, r.getSubjectId(), r));
    fx.commands().forEach(decision::command);
    fx.notifications().forEach(decision::notify);
    fx.audits().forEach(decision::audit);
    return decision;
  }
}
