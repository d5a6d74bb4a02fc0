package io.authlifecycle.recovery;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.approvals.ApproverKeyRegistry;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;

/**
 * Everything a recovery decision is made against: the worker's settings, the assurance policy, the
 * approver keys and the rules of the one HR fold.
 */
public record RecoveryRules(
    String worker,
    int rateLimitRequests,
    Duration rateLimitWindow,
    Duration lockDuration,
    int standardQuorum,
    int privilegedQuorum,
    Duration approvalDeadline,
    Duration standardCoolingOff,
    Duration privilegedCoolingOff,
    Duration ticketLifetime,
    Channel ticketChannel,
    boolean excludeSubjectApprovers,
    Duration evidenceMaxAge,
    AssurancePolicy policy,
    ApproverKeyRegistry approvers,
    StandingRules standing) {

  public static RecoveryRules from(WorkerContext context) {
    return new RecoveryRules(context.name(),
        context.get(RecoverySettings.RATE_LIMIT_REQUESTS),
        context.get(RecoverySettings.RATE_LIMIT_WINDOW),
        context.get(RecoverySettings.LOCK_DURATION),
        context.get(RecoverySettings.QUORUM_STANDARD),
        context.get(RecoverySettings.QUORUM_PRIVILEGED),
        context.get(RecoverySettings.APPROVAL_DEADLINE),
        context.get(RecoverySettings.COOLING_OFF_STANDARD),
        context.get(RecoverySettings.COOLING_OFF_PRIVILEGED),
        context.get(RecoverySettings.TICKET_LIFETIME),
        context.get(RecoverySettings.TICKET_CHANNEL),
        context.get(RecoverySettings.EXCLUDE_SUBJECT_APPROVERS),
        context.get(RecoverySettings.EVIDENCE_MAX_AGE),
        context.policy(),
        ApproverKeyRegistry.parse(context.get(ApproverKeyRegistry.APPROVER_KEYS)),
        StandingRules.from(context));
  }

  public ApprovalVerifier verifier() {
    return new ApprovalVerifier(approvers);
  }

  public int approverCount() {
    return approvers.approvers().size();
  }

  public int quorum(boolean privileged) {
    return privileged ? privilegedQuorum : standardQuorum;
  }

  public Duration coolingOff(boolean privileged) {
    return privileged ? privilegedCoolingOff : standardCoolingOff;
  }
}
