package io.authlifecycle.recovery;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.binding.IndependentChannels;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.FactorClass;
import io.authlifecycle.core.policy.Levels;
import io.authlifecycle.core.policy.SubjectProfile;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What several recovery decisions ask of the generated {@link RecoverySubject}, as static
 * functions: where the subject stands, its account level, its cases, its rate-limit window and lock.
 */
final class RecoverySubjects {

  static final int CLOSED_CASES_KEPT = 16;

  private RecoverySubjects() {}

  /** Where the subject stands for recovery, from its HR state at a given time. */
  enum Standing { ELIGIBLE, UNKNOWN_SUBJECT, TERMINATED, TERMINATION_PENDING, SERVICE_IDENTITY, NOT_HUMAN }

  /** The recovery reading of the subject's HR standing as of {@code now}. */
  static Standing standing(RecoverySubject s, Instant now) {
    HrStanding hr = StandingFold.at(s.getStanding(), now);
    return switch (hr.getPhase()) {
      case UNKNOWN -> Standing.UNKNOWN_SUBJECT;
      case LEAVE_PENDING -> Standing.TERMINATION_PENDING;
      case TERMINATED -> Standing.TERMINATED;
      default -> switch (hr.getIdentityType()) {
        case HUMAN -> Standing.ELIGIBLE;
        case SERVICE -> Standing.SERVICE_IDENTITY;
        default -> Standing.NOT_HUMAN;
      };
    };
  }

  /**
   * Keeps the folded standing, and copies it into the subject's own HR fields: the decisions read
   * those, and so does a reader of the earlier release.
   */
  static void takeStanding(RecoverySubject s, HrStanding standing) {
    s.setStanding(standing);
    s.setHrKnown(standing.getPhase() != HrPhase.UNKNOWN);
    s.setHrEventTime(standing.getLastEventTime());
    s.setIdentityType(standing.getIdentityType());
    s.setPrivileged(standing.getPrivileged());
    s.setRole(standing.getRole());
    s.setChannels(new ArrayList<>(standing.getChannels()));
    s.setApprovers(new ArrayList<>(standing.getApprovers()));
    s.setLeaverEffectiveAt(switch (standing.getPhase()) {
      case LEAVE_PENDING -> standing.getLeave().getEffectiveTime();
      case TERMINATED -> standing.getTerminatedAt() != null ? standing.getTerminatedAt() : Instant.EPOCH;
      default -> null;
    });
  }

  /**
   * The standing of a subject written before the standing existed: its HR fields, a leaver time in
   * the future as a pending leaver, one passed as the termination.
   */
  static HrStanding seed(RecoverySubject s) {
    Instant leaver = s.getLeaverEffectiveAt();
    HrStanding.Builder standing = HrStanding.newBuilder()
        .setIdentityType(s.getIdentityType()).setPrivileged(s.getPrivileged()).setRole(s.getRole())
        .setChannels(new ArrayList<>(s.getChannels())).setApprovers(new ArrayList<>(s.getApprovers()))
        .setLastEventTime(s.getHrEventTime());
    if (!s.getHrKnown()) {
      return standing.setPhase(HrPhase.UNKNOWN).build();
    }
    if (leaver == null) {
      return standing.setPhase(HrPhase.ACTIVE).build();
    }
    // The leaver's own time is unknown here; its effective time stands for it.
    HrLeave leave = HrLeave.newBuilder().setEventId("earlier-release").setEventTime(leaver).setEffectiveTime(leaver)
        .build();
    return standing.setPhase(HrPhase.LEAVE_PENDING).setLeave(leave).build();
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

  // --- channels ---

  /**
   * The channels a request's loss may reach: a lost device's push and SMS, and those of each factor
   * reported lost (one this worker does not know counts as a phone: fail towards not telling it).
   */
  static Set<Channel> lostChannels(RecoverySubject s, RecoveryReason reason, List<String> lostAuthenticatorIds) {
    Set<Channel> lost = EnumSet.noneOf(Channel.class);
    if (reason == RecoveryReason.DEVICE_LOST) {
      lost.addAll(IndependentChannels.DEVICE_CHANNELS);
    }
    for (String id : lostAuthenticatorIds) {
      lost.addAll(factor(s, id).map(f -> IndependentChannels.reachedBy(f.getFactorType(), null))
          .orElse(IndependentChannels.DEVICE_CHANNELS));
    }
    return lost;
  }

  static Set<Channel> lostChannels(RecoverySubject s, RecoveryRequest request) {
    return lostChannels(s, request.getReason(), request.getLostAuthenticatorIds());
  }

  /** The subject's channels a notice about this case may use: none its lost device or factors may reach. */
  static List<Channel> caseChannels(RecoverySubject s, String requestId) {
    return findCase(s, requestId).map(c -> IndependentChannels.avoiding(s.getChannels(), c.getLostChannels()))
        .orElse(s.getChannels());
  }

  // --- cases ---

  /** A case still in play: waiting for proofing, for approvals or for the end of its cooling-off. */
  static boolean isOpen(RecoveryCase c) {
    return c.getStatus() == RecoveryCaseStatus.AWAITING_APPROVAL || c.getStatus() == RecoveryCaseStatus.COOLING_OFF
        || awaitingProofing(c);
  }

  /** A system case that waits for the help desk to proof the subject; no approval counts for it. */
  static boolean awaitingProofing(RecoveryCase c) {
    return c.getStatus() == RecoveryCaseStatus.AWAITING_PROOFING;
  }

  /** The subject's system case waiting for proofing, if any (never more than one). */
  static Optional<RecoveryCase> waitingCase(RecoverySubject s) {
    return s.getCases().stream().filter(RecoverySubjects::awaitingProofing).findFirst();
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

  /** A completed case (its RECOVERY ticket issued) named by its request id or its "this wasn't me" reference. */
  static Optional<RecoveryCase> findCompletedByReference(RecoverySubject s, String reference) {
    return s.getCases().stream().filter(c -> c.getStatus() == RecoveryCaseStatus.COMPLETED)
        .filter(c -> c.getRequestId().equals(reference) || c.getNotMeRef().equals(reference)).findFirst();
  }

  /** The subject's cases other than {@code c}, as a replayed approval may have been signed for them. */
  static List<ApprovalVerifier.CaseRef> otherCases(RecoverySubject s, RecoveryCase c) {
    return s.getCases().stream().filter(k -> k != c && k.getNonce() != null)
        .map(k -> new ApprovalVerifier.CaseRef(k.getRequestId(), k.getNonce())).toList();
  }

  // --- request ids: never reused ---

  /** Whether the subject ever used {@code requestId}: one of its cases, or in the digest of every id it used. */
  /** The highest passkey signature counters seen in this subject's requests and decisions (0: none yet). */
  static SignatureCheck.SignCounters signCounters(RecoverySubject s) {
    Map<String, Long> seen = s.getSignCounters();
    return keyId -> seen == null ? 0L : seen.getOrDefault(keyId, 0L);
  }

  /** Keeps a verified passkey assertion's counter, so the next assertion of that passkey must carry a higher one. */
  static void keepSignCount(RecoverySubject s, String keyId, OptionalLong signCount) {
    if (signCount.isEmpty()) {
      return;
    }
    Map<String, Long> seen = new HashMap<>(s.getSignCounters() == null ? Map.of() : s.getSignCounters());
    seen.merge(keyId, signCount.getAsLong(), Math::max);
    s.setSignCounters(seen);
  }

  static boolean requestIdUsed(RecoverySubject s, String requestId) {
    return findCase(s, requestId).isPresent() || RequestIdDigest.mightContain(bytes(s.getRequestIdDigest()), requestId);
  }

  /** Records {@code requestId} as used for good; a digest started now takes in the ids of the cases kept so far. */
  static void useRequestId(RecoverySubject s, String requestId) {
    byte[] digest = bytes(s.getRequestIdDigest());
    int count = s.getRequestIdCount();
    if (digest == null) {
      for (RecoveryCase c : s.getCases()) {
        digest = RequestIdDigest.add(digest, c.getRequestId());
        count++;
      }
    }
    s.setRequestIdDigest(ByteBuffer.wrap(RequestIdDigest.add(digest, requestId)));
    s.setRequestIdCount(count + 1);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
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
