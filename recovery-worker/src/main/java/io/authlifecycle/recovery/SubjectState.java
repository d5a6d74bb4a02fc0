package io.authlifecycle.recovery;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.FactorClass;
import io.authlifecycle.core.policy.Levels;
import io.authlifecycle.core.policy.SubjectProfile;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One subject's stored recovery state, with the questions decisions ask of it: who the subject
 * is, which factors it holds, which cases are open, whether an event was already seen.
 */
public final class SubjectState {

  /** The store's serde; loading it also lets Avro build this project's generated records. */
  public static final AvroSerde<RecoverySubject> SERDE = AvroSerde.of(RecoverySubject.class);

  static final int RECENT_EVENT_IDS = 256;
  static final int CLOSED_CASES_KEPT = 16;

  private final RecoverySubject state;

  public SubjectState(RecoverySubject state) {
    this.state = state;
  }

  public static SubjectState fresh(String subjectId) {
    return new SubjectState(RecoverySubject.newBuilder().setSubjectId(subjectId).build());
  }

  public RecoverySubject record() {
    return state;
  }

  public String subjectId() {
    return state.getSubjectId();
  }

  /** Where the subject stands for recovery, from its HR state at {@code now}. */
  public enum Standing { ELIGIBLE, UNKNOWN_SUBJECT, TERMINATED, TERMINATION_PENDING, SERVICE_IDENTITY, NOT_HUMAN }

  public Standing standing(Instant now) {
    if (!state.getHrKnown()) {
      return Standing.UNKNOWN_SUBJECT;
    }
    Instant leaver = state.getLeaverEffectiveAt();
    if (leaver != null) {
      return now.isBefore(leaver) ? Standing.TERMINATION_PENDING : Standing.TERMINATED;
    }
    return switch (state.getIdentityType()) {
      case HUMAN -> Standing.ELIGIBLE;
      case SERVICE -> Standing.SERVICE_IDENTITY;
      default -> Standing.NOT_HUMAN;
    };
  }

  public SubjectProfile profile() {
    return new SubjectProfile(state.getIdentityType(), state.getPrivileged(), state.getRole());
  }

  public boolean privileged() {
    return state.getPrivileged();
  }

  public List<Channel> channels() {
    return List.copyOf(state.getChannels());
  }

  public List<String> approverList() {
    return List.copyOf(state.getApprovers());
  }

  // --- factors ---

  public Optional<RecoveryFactor> factor(String authenticatorId) {
    return state.getFactors().stream().filter(f -> f.getAuthenticatorId().equals(authenticatorId)).findFirst();
  }

  /**
   * The level recovery must meet: the stronger of what policy requires of the subject and what
   * its strongest active factor serves (4.2.2 is about the account's level, not the weakest claim).
   */
  public AssuranceLevel accountLevel(AssurancePolicy policy) {
    AssuranceLevel level = policy.requiredLevel(profile());
    for (RecoveryFactor f : state.getFactors()) {
      FactorClass factor = FactorClass.of(f.getFactorType());
      if (!f.getSuspended() && factor.authenticator() && Levels.rank(factor.maxLevel()) > Levels.rank(level)) {
        level = factor.maxLevel();
      }
    }
    return level;
  }

  // --- cases ---

  public List<RecoveryCase> cases() {
    return state.getCases();
  }

  public List<RecoveryCase> openCases() {
    return state.getCases().stream().filter(SubjectState::isOpen).toList();
  }

  public static boolean isOpen(RecoveryCase c) {
    return c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL || c.getStatus() == RecoveryCaseStatus.COOLING_OFF;
  }

  public Optional<RecoveryCase> findCase(String requestId) {
    return state.getCases().stream().filter(c -> c.getRequestId().equals(requestId)).findFirst();
  }

  /** An open case named by its request id or by the "this wasn't me" reference sent to the subject. */
  public Optional<RecoveryCase> findOpenByReference(String reference) {
    return openCases().stream()
        .filter(c -> c.getRequestId().equals(reference) || c.getNotMeRef().equals(reference)).findFirst();
  }

  /** Every request id of the subject's cases but one: what a replayed signature may have been made for. */
  public List<String> otherRequestIds(String requestId) {
    return state.getCases().stream().map(RecoveryCase::getRequestId).filter(id -> !id.equals(requestId)).toList();
  }

  public void addCase(RecoveryCase c) {
    List<RecoveryCase> cases = new ArrayList<>(state.getCases());
    cases.add(c);
    state.setCases(cases);
  }

  /** Keeps every open case and the most recently closed ones. */
  public void pruneClosedCases() {
    List<RecoveryCase> closed = new ArrayList<>(state.getCases().stream().filter(c -> !isOpen(c)).toList());
    if (closed.size() <= CLOSED_CASES_KEPT) {
      return;
    }
    closed.sort(Comparator.comparing(RecoveryCase::getClosedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    List<RecoveryCase> drop = closed.subList(0, closed.size() - CLOSED_CASES_KEPT);
    state.setCases(new ArrayList<>(state.getCases().stream().filter(c -> !drop.contains(c)).toList()));
  }

  // --- rate limit and lock ---

  /** Records a request at {@code now} and returns how many fall within the window ending now. */
  public int countRequest(Instant now, java.time.Duration window) {
    Instant from = now.minus(window);
    List<Instant> times = new ArrayList<>(state.getRequestTimes().stream().filter(t -> t.isAfter(from)).toList());
    times.add(now);
    state.setRequestTimes(times);
    return times.size();
  }

  public boolean lockedAt(Instant now) {
    return state.getLockedUntil() != null && now.isBefore(state.getLockedUntil());
  }

  public Instant lockedUntil() {
    return state.getLockedUntil();
  }

  public void lockUntil(Instant until) {
    state.setLockedUntil(until);
  }

  // --- duplicates ---

  public boolean seen(String eventId) {
    return state.getRecentEventIds().contains(eventId);
  }

  public void remember(String eventId) {
    List<String> ids = new ArrayList<>(state.getRecentEventIds());
    ids.add(eventId);
    while (ids.size() > RECENT_EVENT_IDS) {
      ids.remove(0);
    }
    state.setRecentEventIds(ids);
  }
}
