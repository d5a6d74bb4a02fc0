package io.authlifecycle.core.hr;

import static io.authlifecycle.core.hr.HrEvents.T;
import static io.authlifecycle.core.hr.HrEvents.event;
import static io.authlifecycle.core.hr.HrEvents.leaver;
import static io.authlifecycle.core.hr.HrEvents.partialMover;
import static io.authlifecycle.core.hr.HrEvents.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrStanding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an HR event says about the subject: what it states changes, what it leaves out never does. */
class StandingProfileTest {

  static final StandingRules RULES = HrEvents.rules(Map.of());
  static final Instant HIRED = T.minus(Duration.ofDays(10));

  static HrStanding hired(boolean privileged) {
    return StandingFold.fold(null, event("hr-1", WorkerEventType.JOINER, HIRED).setPrivileged(privileged)
        .setStatedPrivileged(privileged)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL2, HIRED)).build(), HIRED, RULES).after();
  }

  static Folded move(HrStanding s, WorkerEvent.Builder mover) {
    return StandingFold.fold(s, mover.build(), T, RULES);
  }

  /** statedPrivileged wins; without it only privileged: true (a first-release record) is a statement. */
  @ParameterizedTest(name = "privileged before={0}, event privileged={1} statedPrivileged={2} → {3} {4}")
  @CsvSource({
      "true,  false, ,      true,  -",
      "true,  false, false, false, PRIVILEGE_LOWERED",
      "true,  true,  false, false, PRIVILEGE_LOWERED",
      "true,  true,  ,      true,  -",
      "true,  true,  true,  true,  -",
      "false, true,  ,      true,  PRIVILEGE_RAISED",
      "false, false, true,  true,  PRIVILEGE_RAISED",
      "false, false, ,      false, -",
      "false, false, false, false, -"})
  void privilegeChangesOnlyWhenTheRecordStatesIt(boolean before, boolean privileged, Boolean stated,
      boolean after, String change) {
    Folded folded = move(hired(before), partialMover("hr-2", "engineer", T).setPrivileged(privileged)
        .setStatedPrivileged(stated));

    assertThat(folded.after().getPrivileged()).isEqualTo(after);
    assertThat(folded.changes().stream().filter(c -> c.name().startsWith("PRIVILEGE")).map(Enum::name).toList())
        .isEqualTo(change.equals("-") ? List.of() : List.of(change));
  }

  @Test
  void aPartialMoverChangesTheRoleAndNothingItLeavesOut() {
    HrStanding before = hired(true);

    Folded folded = move(before, partialMover("hr-2", "sre", T));

    HrStanding expected = HrStanding.newBuilder(before).setRole("sre").setLastEventId("hr-2").setLastEventTime(T).build();
    assertThat(folded.after()).isEqualTo(expected);
    assertThat(folded.changes()).containsExactly(HrChange.ROLE_CHANGED);
  }

  @Test
  void statedFieldsReplaceTheKnownOnesAndAreReportedOnce() {
    Folded folded = move(hired(false), event("hr-2", WorkerEventType.MOVER, T).setIdentityType(IdentityType.SERVICE)
        .setManagerId("mgr-2").setChannels(List.of(Channel.SMS)).setApprovers(List.of("ap-2")));

    HrStanding after = folded.after();
    assertThat(after.getIdentityType()).isEqualTo(IdentityType.SERVICE);
    assertThat(after.getManagerId()).isEqualTo("mgr-2");
    assertThat(after.getChannels()).containsExactly(Channel.SMS);
    assertThat(after.getApprovers()).containsExactly("ap-2");
    assertThat(folded.changes()).containsExactly(HrChange.PROFILE_CHANGED);
  }

  @Test
  void anUnknownIdentityTypeIsNotAStatement() {
    Folded folded = move(hired(false), event("hr-2", WorkerEventType.MOVER, T).setIdentityType(IdentityType.UNKNOWN));

    assertThat(folded.after().getIdentityType()).isEqualTo(IdentityType.HUMAN);
    assertThat(folded.changes()).isEmpty();
  }

  @Test
  void aMoverOlderThanTheLatestEventAppliedIsStaleAndChangesNothing() {
    HrStanding now = move(hired(false), partialMover("hr-2", "sre", T)).after();

    Folded late = StandingFold.fold(now, partialMover("hr-3", "sales", T.minusSeconds(1)).setStatedPrivileged(true)
        .build(), T, RULES);

    assertThat(late.changes()).containsExactly(HrChange.STALE);
    assertThat(late.refusal()).contains(Refusal.STALE_EVENT);
    assertThat(late.changed()).isFalse();
  }

  @Test
  void aMoverForATerminatedSubjectChangesNothingNotEvenPrivilege() {
    HrStanding left = StandingFold.fold(hired(false), leaver("hr-2", T, T).build(), T, RULES).after();

    Folded folded = StandingFold.fold(left, partialMover("hr-3", "admin", T.plusSeconds(1)).setStatedPrivileged(true)
        .setIdentityVerification(verified("iv-3", IdentityAssuranceLevel.IAL3, T)).build(), T.plusSeconds(1), RULES);

    assertThat(folded.changes()).containsExactly(HrChange.REOPEN_REFUSED);
    assertThat(folded.changed()).isFalse();
  }

  @Test
  void theLatestVerificationByItsTimeIsKept() {
    HrStanding s = hired(false);
    Instant later = HIRED.plus(Duration.ofDays(1));

    Folded newer = move(s, partialMover("hr-2", "engineer", T)
        .setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL3, later)));
    Folded older = move(newer.after(), partialMover("hr-3", "engineer", T)
        .setIdentityVerification(verified("iv-0", IdentityAssuranceLevel.IAL3, HIRED.minusSeconds(1))));
    Folded same = move(newer.after(), partialMover("hr-4", "engineer", T)
        .setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL3, later)));

    assertThat(newer.changes()).containsExactly(HrChange.VERIFICATION_ACCEPTED);
    assertThat(newer.after().getVerification().getVerificationId()).isEqualTo("iv-2");
    assertThat(older.has(HrChange.VERIFICATION_ACCEPTED)).isFalse();
    assertThat(older.after().getVerification().getVerificationId()).isEqualTo("iv-2");
    assertThat(same.has(HrChange.VERIFICATION_ACCEPTED)).isFalse();
  }

  @Test
  void aVerificationDatedInTheFutureOrOfMethodNoneIsNotTaken() {
    IdentityVerification future = verified("iv-f", IdentityAssuranceLevel.IAL3, T.plusSeconds(1));
    IdentityVerification none = IdentityVerification.newBuilder(verified("iv-n", IdentityAssuranceLevel.IAL3, T))
        .setMethod(VerificationMethod.NONE).build();

    assertThat(move(hired(false), partialMover("hr-2", "engineer", T).setIdentityVerification(future))
        .has(HrChange.VERIFICATION_ACCEPTED)).isFalse();
    assertThat(move(hired(false), partialMover("hr-2", "engineer", T).setIdentityVerification(none))
        .has(HrChange.VERIFICATION_ACCEPTED)).isFalse();
  }

  @Test
  void aLeaverCarriesNoProfileAndNoVerification() {
    HrStanding before = hired(false);

    Folded folded = StandingFold.fold(before, leaver("hr-2", T, T.plus(Duration.ofDays(3))).setRole("admin")
        .setStatedPrivileged(true).setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL3, T))
        .build(), T, RULES);

    assertThat(folded.changes()).containsExactly(HrChange.LEAVE_SCHEDULED);
    assertThat(folded.after().getRole()).isEqualTo("engineer");
    assertThat(folded.after().getPrivileged()).isFalse();
    assertThat(folded.after().getVerification().getVerificationId()).isEqualTo("iv-1");
  }

  @Test
  void anEventOfATypeThisBuildDoesNotKnowChangesNothing() {
    Folded folded = move(hired(false), event("hr-2", WorkerEventType.UNKNOWN, T));

    assertThat(folded.changes()).isEmpty();
    assertThat(folded.changed()).isFalse();
  }
}
