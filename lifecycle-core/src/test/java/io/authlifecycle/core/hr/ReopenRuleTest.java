package io.authlifecycle.core.hr;

import static io.authlifecycle.core.hr.HrEvents.T;
import static io.authlifecycle.core.hr.HrEvents.event;
import static io.authlifecycle.core.hr.HrEvents.leaver;
import static io.authlifecycle.core.hr.HrEvents.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Only a REHIRE with a verification at the rehired role's level, not dated in the future, newer
 * than the termination and no older than the maximum age (30 days by default) reopens a
 * terminated subject. The subject here left 40 days before {@code T}, as a standard engineer
 * (privileged where the row says so).
 */
class ReopenRuleTest {

  static final StandingRules RULES = HrEvents.rules(Map.of("policy.aal3.roles", "treasury"));
  static final Instant LEFT = T.minus(Duration.ofDays(40));

  static HrStanding terminated(boolean privileged) {
    Instant hired = LEFT.minus(Duration.ofDays(300));
    HrStanding s = StandingFold.fold(null, event("hr-1", WorkerEventType.JOINER, hired)
        .setPrivileged(privileged).setStatedPrivileged(privileged).build(), hired, RULES).after();
    return StandingFold.fold(s, leaver("hr-2", LEFT, LEFT).setImmediate(true).build(), LEFT, RULES).after();
  }

  static Folded rehire(HrStanding s, WorkerEvent.Builder rehire) {
    return StandingFold.fold(s, rehire.build(), T, RULES);
  }

  static WorkerEvent.Builder rehireVerifiedAt(IdentityAssuranceLevel level, Instant at) {
    return event("hr-3", WorkerEventType.REHIRE, T).setIdentityVerification(verified("iv-3", level, at));
  }

  @ParameterizedTest(name = "privileged={0} role={1} statedPrivileged={2} {3} verified {4}h before T → {5}")
  @CsvSource({
      // level against the rehired role
      "false, engineer, false, IAL2, 24,   -",
      "false, engineer, false, IAL1, 24,   VERIFICATION_TOO_WEAK",
      "false, engineer, false, IAL3, 24,   -",
      "false, treasury, false, IAL2, 24,   VERIFICATION_TOO_WEAK",
      "false, treasury, false, IAL3, 24,   -",
      "false, engineer, true,  IAL2, 24,   VERIFICATION_TOO_WEAK",
      // a privileged subject rehired without saying otherwise is still privileged: IAL3
      "true,  engineer, ,      IAL2, 24,   VERIFICATION_TOO_WEAK",
      "true,  engineer, ,      IAL3, 24,   -",
      "true,  engineer, false, IAL2, 24,   -",
      // time: in the future, before the termination, the maximum age (30 days)
      "false, engineer, false, IAL2, -1,   VERIFICATION_IN_THE_FUTURE",
      "false, engineer, false, IAL2, 0,    -",
      "false, engineer, false, IAL2, 719,  -",
      "false, engineer, false, IAL2, 721,  VERIFICATION_TOO_OLD",
      "false, engineer, false, IAL2, 960,  VERIFICATION_BEFORE_TERMINATION",
      "false, engineer, false, IAL2, 1000, VERIFICATION_BEFORE_TERMINATION"})
  void aRehireReopensOnlyOnAFreshVerificationAtTheRolesLevel(boolean privileged, String role, Boolean stated,
      IdentityAssuranceLevel level, long hoursBeforeT, String refusal) {
    Folded folded = rehire(terminated(privileged), rehireVerifiedAt(level, T.minus(Duration.ofHours(hoursBeforeT)))
        .setRole(role).setPrivileged(stated != null && stated).setStatedPrivileged(stated));

    assertThat(folded.refusal().map(Enum::name).orElse("-")).isEqualTo(refusal);
    assertThat(folded.after().getPhase()).isEqualTo(refusal.equals("-") ? HrPhase.ACTIVE : HrPhase.TERMINATED);
    assertThat(folded.has(HrChange.REOPENED)).isEqualTo(refusal.equals("-"));
  }

  @Test
  void theVerificationMustBeStrictlyNewerThanTheTermination() {
    Instant left = T.minus(Duration.ofDays(2));
    HrStanding s = StandingFold.fold(null, event("hr-1", WorkerEventType.JOINER, left.minusSeconds(60)).build(),
        left, RULES).after();
    s = StandingFold.fold(s, leaver("hr-2", left, left).setImmediate(true).build(), left, RULES).after();

    assertThat(rehire(s, rehireVerifiedAt(IdentityAssuranceLevel.IAL2, left)).refusal())
        .contains(Refusal.VERIFICATION_BEFORE_TERMINATION);
    assertThat(rehire(s, rehireVerifiedAt(IdentityAssuranceLevel.IAL2, left.plusMillis(1))).refusal()).isEmpty();
  }

  @Test
  void theMaximumAgeIsASetting() {
    StandingRules week = HrEvents.rules(Map.of("hr.rehire.max-verification-age", "7d"));
    WorkerEvent rehire = rehireVerifiedAt(IdentityAssuranceLevel.IAL2, T.minus(Duration.ofDays(8))).build();

    assertThat(StandingFold.fold(terminated(false), rehire, T, week).refusal()).contains(Refusal.VERIFICATION_TOO_OLD);
    assertThat(StandingFold.fold(terminated(false), rehire, T, RULES).refusal()).isEmpty();
  }

  @Test
  void aVerificationOfMethodNoneIsNoVerification() {
    IdentityVerification none = IdentityVerification.newBuilder(verified("iv-3", IdentityAssuranceLevel.IAL3, T))
        .setMethod(VerificationMethod.NONE).build();

    assertThat(rehire(terminated(false), event("hr-3", WorkerEventType.REHIRE, T).setIdentityVerification(none))
        .refusal()).contains(Refusal.IDENTITY_NOT_VERIFIED);
  }

  @Test
  void aRehireOlderThanTheLeaverIsStale() {
    WorkerEvent old = rehireVerifiedAt(IdentityAssuranceLevel.IAL2, T.minus(Duration.ofHours(1)))
        .setEventTime(LEFT.minusSeconds(1)).build();

    assertThat(StandingFold.fold(terminated(false), old, T, RULES).refusal()).contains(Refusal.STALE_EVENT);
  }

  @Test
  void aReopenTakesTheRehiresProfileAndVerificationAndForgetsTheTermination() {
    Folded folded = rehire(terminated(true), rehireVerifiedAt(IdentityAssuranceLevel.IAL2, T.minusSeconds(60))
        .setRole("sales").setStatedPrivileged(false));

    HrStanding after = folded.after();
    assertThat(folded.changes()).containsExactly(HrChange.REOPENED, HrChange.ROLE_CHANGED,
        HrChange.PRIVILEGE_LOWERED, HrChange.VERIFICATION_ACCEPTED);
    assertThat(after.getRole()).isEqualTo("sales");
    assertThat(after.getPrivileged()).isFalse();
    assertThat(after.getVerification().getVerificationId()).isEqualTo("iv-3");
    assertThat(after.getTerminatedAt()).isNull();
    assertThat(after.getLeave()).isNull();
    assertThat(after.getLastEventId()).isEqualTo("hr-3");
  }

  @Test
  void aRefusedRehireRecordsNeitherItsProfileNorItsVerification() {
    HrStanding before = terminated(false);

    Folded folded = rehire(before, rehireVerifiedAt(IdentityAssuranceLevel.IAL1, T.minusSeconds(60)).setRole("sales"));

    assertThat(folded.refusal()).contains(Refusal.VERIFICATION_TOO_WEAK);
    assertThat(folded.changes()).containsExactly(HrChange.REOPEN_REFUSED);
    assertThat(folded.changed()).isFalse();
  }
}
