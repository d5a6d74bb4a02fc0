package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Instant;

/**
 * The subject became privileged while recoveries were open: each is held to the privileged rules
 * from now on. A self-service request is cancelled (a privileged account may not recover itself);
 * any other needs the privileged quorum, so a request already in its cooling-off with fewer
 * approvals goes back to waiting for them, and one with enough waits the privileged cooling-off.
 */
final class PrivilegeRaise {

  private PrivilegeRaise() {}

  static void apply(RecoveryRules rules, SubjectState subject, Effects fx, String causationId, Instant now) {
    for (RecoveryCase c : subject.openCases()) {
      if (c.getPrivileged()) {
        continue;
      }
      if (RecoveryChannel.SELF_SERVICE.name().equals(c.getChannel())) {
        CaseClosures.cancel(rules, subject, c, fx, "the subject became privileged, and a privileged account may not "
            + "recover itself through self-service", PolicyRefs.ACCOUNT_RECOVERY, causationId, now);
      } else {
        raise(rules, subject, c, fx, causationId, now);
      }
    }
  }

  private static void raise(RecoveryRules rules, SubjectState subject, RecoveryCase c, Effects fx, String causationId,
      Instant now) {
    int previous = c.getQuorum();
    c.setPrivileged(true);
    c.setQuorum(Math.max(previous, rules.quorum(true)));
    String requestId = c.getRequestId();
    if (c.getStatus() == RecoveryCaseStatus.COOLING_OFF) {
      fx.cancelTimer(CaseRecords.COOLING_OFF + requestId);
      if (c.getApprovals().size() < c.getQuorum()) {
        c.setStatus(RecoveryCaseStatus.AWAITING_APPROVAL);
        c.setCoolingOffEndsAt(null);
        fx.schedule(CaseRecords.timer(subject.subjectId(), CaseRecords.DEADLINE, requestId, c.getDeadline(), causationId));
      } else {
        Instant longer = now.plus(rules.coolingOff(true));
        c.setCoolingOffEndsAt(longer.isAfter(c.getCoolingOffEndsAt()) ? longer : c.getCoolingOffEndsAt());
        fx.schedule(CaseRecords.timer(subject.subjectId(), CaseRecords.COOLING_OFF, requestId, c.getCoolingOffEndsAt(),
            causationId));
      }
    }
    ApprovalStatus status = c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL
        ? ApprovalStatus.OPEN : ApprovalStatus.QUORUM_REACHED;
    fx.approvalRequest(CaseRecords.approvalRequest(rules.worker(), subject.subjectId(), c, status, causationId, now));
    AuditEvent.Builder audit = CaseRecords.audit(subject.subjectId(), requestId, "recovery.quorum.raised",
        AuditOutcome.RECORDED, Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY, "the subject became privileged while the "
            + "request was open: " + c.getQuorum() + " distinct approvals needed", causationId,
        CaseRecords.controls(PolicyRefs.CSF_LEAST_PRIVILEGE));
    CaseRecords.detail(audit, "previousQuorum", String.valueOf(previous));
    CaseRecords.detail(audit, "quorum", String.valueOf(c.getQuorum()));
    CaseRecords.detail(audit, "approvals", String.join(",", c.getApprovals()));
    CaseRecords.detail(audit, "status", c.getStatus().name());
    fx.audit(audit);
  }
}
