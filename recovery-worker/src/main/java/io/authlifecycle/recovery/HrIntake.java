package io.authlifecycle.recovery;

import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Instant;

/**
 * An HR event: the subject's state follows it; a leaver (or a change that ends eligibility) cancels
 * open requests, and a subject made privileged holds its open requests to the privileged rules.
 */
public final class HrIntake {

  private HrIntake() {}

  public static void apply(RecoveryRules rules, SubjectState subject, WorkerEvent event, Effects fx, Instant now) {
    SubjectFacts.HrChange change = SubjectFacts.applyHr(subject, event, now);
    if (change == SubjectFacts.HrChange.LEAVER) {
      String when = subject.standing(now) == SubjectState.Standing.TERMINATION_PENDING
          ? "termination scheduled for " + subject.record().getLeaverEffectiveAt() : "termination effective";
      CaseClosures.cancelOpenCases(rules, subject, fx, "leaver (" + when + ")", PolicyRefs.INVALIDATION, event.getEventId(), now);
    } else if (change == SubjectFacts.HrChange.PROFILE && subject.standing(now) != SubjectState.Standing.ELIGIBLE) {
      CaseClosures.cancelOpenCases(rules, subject, fx, "subject is no longer eligible (" + subject.standing(now) + ")",
          PolicyRefs.INVALIDATION, event.getEventId(), now);
    } else if (change == SubjectFacts.HrChange.PROFILE && subject.privileged()) {
      PrivilegeRaise.apply(rules, subject, fx, event.getEventId(), now);
    }
  }
}
