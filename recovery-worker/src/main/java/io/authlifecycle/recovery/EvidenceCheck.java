package io.authlifecycle.recovery;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.FactorClass;
import io.authlifecycle.core.policy.RecoveryEvidencePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a request's proofs are enough for the subject's level (63B-4 4.2.2). Before the rule
 * counts them, proofs that prove nothing are set aside: stale ones, and a "bound authenticator"
 * that is not an active factor of this subject or is one the request reports lost.
 */
final class EvidenceCheck {

  private EvidenceCheck() {}

  /** The verdict, the level it was judged at, and why. */
  record Verdict(boolean sufficient, AssuranceLevel level, String reason) {}

  static Verdict evaluate(RecoveryRequest request, RecoverySubject subject, AssurancePolicy policy,
      Duration maxAge, Instant now) {
    List<RecoveryEvidence> counted = new ArrayList<>();
    List<String> setAside = new ArrayList<>();
    for (RecoveryEvidence proof : request.getEvidence()) {
      Optional<String> problem = problem(proof, request, subject, maxAge, now);
      if (problem.isPresent()) {
        setAside.add(problem.get());
      } else {
        counted.add(proof);
      }
    }
    AssuranceLevel level = RecoverySubjects.accountLevel(subject, policy);
    RecoveryEvidencePolicy.Verdict verdict =
        RecoveryEvidencePolicy.evaluate(level, counted, policy.requiredIdentityLevel(RecoverySubjects.profile(subject)));
    String reason = verdict.reason() + (setAside.isEmpty() ? "" : " (not counted: " + String.join("; ", setAside) + ")");
    return new Verdict(verdict.sufficient(), level, reason);
  }

  private static Optional<String> problem(RecoveryEvidence proof, RecoveryRequest request, RecoverySubject subject,
      Duration maxAge, Instant now) {
    if (proof.getVerifiedAt().isBefore(now.minus(maxAge))) {
      return Optional.of(proof.getMethod() + " verified at " + proof.getVerifiedAt() + " is older than " + maxAge);
    }
    if (proof.getMethod() != EvidenceMethod.BOUND_AUTHENTICATOR) {
      return Optional.empty();
    }
    String id = proof.getReference();
    Optional<RecoveryFactor> factor = id == null ? Optional.empty() : RecoverySubjects.factor(subject, id);
    if (factor.isEmpty()) {
      return Optional.of("bound authenticator " + id + " is not bound to the subject");
    }
    if (factor.get().getSuspended()) {
      return Optional.of("bound authenticator " + id + " is suspended");
    }
    if (request.getLostAuthenticatorIds().contains(id)) {
      return Optional.of("bound authenticator " + id + " is reported lost");
    }
    if (!FactorClass.of(factor.get().getFactorType()).authenticator()) {
      return Optional.of("bound " + factor.get().getFactorType() + " " + id + " is not an authenticator");
    }
    return Optional.empty();
  }
}
