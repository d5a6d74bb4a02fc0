package io.authlifecycle.recovery;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RelyingParty;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.WorkerContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Everything a recovery decision is made against: the worker's settings, the assurance policy,
 * the registered people's keys (key files and passkeys, the latter for the configured relying party), where case nonces come from, and the rules of the one HR fold.
 */
public record RecoveryRules(
    String worker,
    int rateLimitRequests,
    Duration rateLimitWindow,
    Duration lockDuration,
    int standardQuorum,
    int privilegedQuorum,
    Duration approvalDeadline,
    Duration proofingDeadline,
    Duration approvalClockSkew,
    Duration standardCoolingOff,
    Duration privilegedCoolingOff,
    Duration ticketLifetime,
    Channel ticketChannel,
    boolean excludeSubjectApprovers,
    Duration evidenceMaxAge,
    AssurancePolicy policy,
    SignatureCheck signatures,
    Supplier<String> nonces,
    StandingRules standing) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public static RecoveryRules from(WorkerContext context) {
    return new RecoveryRules(context.name(),
        context.get(RecoverySettings.RATE_LIMIT_REQUESTS),
        context.get(RecoverySettings.RATE_LIMIT_WINDOW),
        context.get(RecoverySettings.LOCK_DURATION),
        context.get(RecoverySettings.QUORUM_STANDARD),
        context.get(RecoverySettings.QUORUM_PRIVILEGED),
        context.get(RecoverySettings.APPROVAL_DEADLINE),
        context.get(RecoverySettings.PROOFING_DEADLINE),
        context.get(RecoverySettings.APPROVAL_CLOCK_SKEW),
        context.get(RecoverySettings.COOLING_OFF_STANDARD),
        context.get(RecoverySettings.COOLING_OFF_PRIVILEGED),
        context.get(RecoverySettings.TICKET_LIFETIME),
        context.get(RecoverySettings.TICKET_CHANNEL),
        context.get(RecoverySettings.EXCLUDE_SUBJECT_APPROVERS),
        context.get(RecoverySettings.EVIDENCE_MAX_AGE),
        context.policy(),
        SignatureCheck.of(PersonKeyRegistry.parse(context.get(PersonKeyRegistry.PERSON_KEYS)), RelyingParty.from(context.settings())),
        RecoveryRules::randomNonce,
        StandingRules.from(context));
  }

  /**
   * A case nonce: 128 random bits, base64url. Drawn when the case opens and kept in its state
   * (committed with the approval request that publishes it), so no approver can know it sooner.
   */
  static String randomNonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public ApprovalVerifier verifier() {
    return new ApprovalVerifier(signatures);
  }

  /** Distinct people registered with a key for {@code role}. */
  public long people(Role role) {
    return signatures.registry().people(role);
  }

  public int quorum(boolean privileged) {
    return privileged ? privilegedQuorum : standardQuorum;
  }

  public Duration coolingOff(boolean privileged) {
    return privileged ? privilegedCoolingOff : standardCoolingOff;
  }
}
