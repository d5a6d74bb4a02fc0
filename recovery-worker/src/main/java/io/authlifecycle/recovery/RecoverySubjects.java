package io.authlifecycle.recovery;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.FactorClass;
import io.authlifecycle.core.policy.Levels;
import io.authlifecycle.core.policy.SubjectProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What several recovery decisions ask of the generated {@link RecoverySubject}, as static
 * functions: where the subject stands, its account level, its cases, its rate-limit window and lock.
 */
final class RecoverySubjects {

  static final int CLOSED_CASES_KEPT = 16;

  private RecoverySubjects() {}

  /** Where the subject stands for recovery, from its HR state at a given time. */
  enum Standing { ELIGIBLE, UNKNOWN_SUBJECT, TERMINATED, TERMINATION_PENDING, SERVICE_IDENTITY, NOT_HUMAN }

  static Standing standing(RecoverySubject s, Instant now) {
    if (!s.getHrKnown()) {
      return Standing.UNKNOWN_SUBJECT;
    }
    Instant leaver = s.getLeaverEffectiveAt();
    if (leaver != null) {
      return now.isBefore(leaver) ? Standing.TERMINATION_PENDING : Standing.TERMINATED;
    }
    return switch (s.getIdentityType()) {
      case HUMAN -> Standing.ELIGIBLE;
      case SERVICE -> Standing.SERVICE_IDENTITY;
      default -> Standing.NOT_HUMAN;
    };
  }

  static SubjectProfile profile(RecoverySubject s) {
    return new SubjectProfile(s.getIdentityType(), s.getPrivileged(), s.getRole());
  }

  static Optional<RecoveryFactor> factor(RecoverySubject s, String authenticatorId) {
    return s.getFactors().stream().filter(f -> f.getAuthenticatorId().equals(authenticatorId)).findFirst();
  }

  /**
   * The level recovery must meet: the stronger of what policy requires of the subject and what
   * its strongest active factor serves (4.2.2 is about the account's level, not the weakest claim).
   */
  static AssuranceLevel accountLevel(RecoverySubject s, AssurancePolicy policy) {
    AssuranceLevel level = policy.requiredLevel(profile(s));
    for (RecoveryFactor f : s.getFactors()) {
      FactorClass factor = FactorClass.of(f.getFactorType());
      if (!f.getSuspended() && factor.authenticator() && Levels.rank(factor.maxLevel()) > Levels.rank(level)) {
        level = factor.maxLevel();
      }
    }
    return level;
  }

  // --- cases ---

  static boolean isOpen(RecoveryCase c) {
    return c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL || c.getStatus() == RecoveryCaseStatus.COOLING_OFF;
  }

  static List<RecoveryCase> openCases(RecoverySubject s) {
    return s.getCases().stream().filter(RecoverySubjects::isOpen).toList();
  }

  static Optional<RecoveryCase> findCase(RecoverySubject s, String requestId) {
    return s.getCases().stream().filter(c -> c.getRequestId().equals(requestId)).findFirst();
  }

  /** An open case named by its request id or by the "this wasn't me" reference sent to the subject. */
  static Optional<RecoveryCase> findOpenByReference(RecoverySubject s, String reference) {
    return openCases(s).stream()
        .filter(c -> c.getRequestId().equals(reference) || c.getNotMeRef().equals(reference)).findFirst();
  }

  /** Every request id of the subject's cases but one: what a replayed signature may have been made for. */
  static List<String> otherRequestIds(RecoverySubject s, String requestId) {
    return s.getCases().stream().map(RecoveryCase::getRequestId).filter(id -> !id.equals(requestId)).toList();
  }

  /** Adds a case, keeping every open case and the most recently closed ones. */
  static void addCase(RecoverySubject s, RecoveryCase c) {
    List<RecoveryCase> cases = new ArrayList<>(s.getCases());
    cases.add(c);
    List<RecoveryCase> closed = new ArrayList<>(cases.stream().filter(k -> !isOpen(k)).toList());
    if (closed.size() > CLOSED_CASES_KEPT) {
      closed.sort(Comparator.comparing(RecoveryCase::getClosedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
      List<RecoveryCase> drop = closed.subList(0, closed.size() - CLOSED_CASES_KEPT);
      cases = new ArrayList<>(cases.stream().filter(k -> !drop.contains(k)).toList());
    }
    s.setCases(cases);
  }

  // --- rate limit and lock ---

  /** Records a request at {@code now} and returns how many fall within the window ending now. */
  static int countRequest(RecoverySubject s, Instant now, Duration window) {
    Instant from = now.minus(window);
    List<Instant> times = new ArrayList<>(s.getRequestTimes().stream().filter(t -> t.isAfter(from)).toList());
    times.add(now);
    s.setRequestTimes(times);
    return times.size();
  }

  static boolean lockedAt(RecoverySubject s, Instant now) {
    return s.getLockedUntil() != null && now.isBefore(s.getLockedUntil());
  }
}
