package io.authlifecycle.ingest.scim;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.ingest.scim.UserLifecycle.Transition;
import io.authlifecycle.ingest.state.UserPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserLifecycleTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final UserProfile ACTIVE = new UserProfile("s-1", "s1@example.com", true, "engineer", "Engineer",
      "engineering", "m-1", false, IdentityType.HUMAN, null, List.of(), List.of(), null, false);

  private static UserProfile with(boolean active, String role, Instant effective) {
    return new UserProfile("s-1", "s1@example.com", active, role, "Engineer", "engineering", "m-1", false,
        IdentityType.HUMAN, null, List.of(), List.of(), effective, false);
  }

  @Test
  void anActiveCreateIsAJoinerEffectiveAtItsStatedTimeOrNow() {
    Instant hire = NOW.plus(Duration.ofDays(7));

    assertThat(UserLifecycle.create(null, with(true, "engineer", hire), NOW))
        .isEqualTo(new Transition(WorkerEventType.JOINER, hire, false, UserPhase.ACTIVE, null));
    assertThat(UserLifecycle.create(null, ACTIVE, NOW).effectiveTime()).isEqualTo(NOW);
  }

  @Test
  void anInactiveCreateIsProvisionedWithoutAnEventAndItsActivationIsTheJoiner() {
    Transition provisioned = UserLifecycle.create(null, with(false, "engineer", null), NOW);

    assertThat(provisioned.publishes()).isFalse();
    assertThat(provisioned.phase()).isEqualTo(UserPhase.PROVISIONED);
    assertThat(UserLifecycle.change(UserPhase.PROVISIONED, null, with(false, "engineer", null), ACTIVE, NOW).event())
        .isEqualTo(WorkerEventType.JOINER);
  }

  @Test
  void aCreateForASubjectWhoLeftIsARehire() {
    assertThat(UserLifecycle.create(UserPhase.LEFT, ACTIVE, NOW).event()).isEqualTo(WorkerEventType.REHIRE);
  }

  @Test
  void aRoleOrManagerOrPrivilegeChangeIsAMoverAndAnythingElseIsNoEvent() {
    UserProfile manager = new UserProfile("s-1", "s1@example.com", true, "engineer", "Engineer", "engineering", "m-2",
        false, IdentityType.HUMAN, null, List.of(), List.of(), null, false);
    UserProfile privileged = new UserProfile("s-1", "s1@example.com", true, "engineer", "Engineer", "engineering", "m-1",
        true, IdentityType.HUMAN, null, List.of(), List.of(), null, false);
    UserProfile renamed = new UserProfile("s-1", "renamed@example.com", true, "engineer", "Engineer", "engineering",
        "m-1", false, IdentityType.HUMAN, null, List.of(), List.of(), null, false);

    assertThat(UserLifecycle.change(UserPhase.ACTIVE, null, ACTIVE, with(true, "admin", null), NOW).event())
        .isEqualTo(WorkerEventType.MOVER);
    assertThat(UserLifecycle.change(UserPhase.ACTIVE, null, ACTIVE, manager, NOW).event()).isEqualTo(WorkerEventType.MOVER);
    assertThat(UserLifecycle.change(UserPhase.ACTIVE, null, ACTIVE, privileged, NOW).event())
        .isEqualTo(WorkerEventType.MOVER);
    assertThat(UserLifecycle.change(UserPhase.ACTIVE, null, ACTIVE, renamed, NOW).publishes()).isFalse();
  }

  @Test
  void aNewVerificationForAnActiveSubjectRestatesTheJoiner() {
    UserProfile verified = new UserProfile("s-1", "s1@example.com", true, "engineer", "Engineer", "engineering", "m-1",
        false, IdentityType.HUMAN, new UserProfile.Verification(VerificationMethod.IN_PERSON_PROOFING,
            IdentityAssuranceLevel.IAL2, NOW, "iv-9", null), List.of(), List.of(), null, false);

    assertThat(UserLifecycle.change(UserPhase.ACTIVE, null, ACTIVE, verified, NOW).event())
        .isEqualTo(WorkerEventType.JOINER);
    assertThat(UserLifecycle.change(UserPhase.ACTIVE, null, verified, verified, NOW).publishes()).isFalse();
  }

  @Test
  void aDeactivationIsALeaverPendingWhenStatedForLaterAndAReactivationBeforeThenCancelsIt() {
    Instant lastDay = NOW.plus(Duration.ofDays(3));
    Transition leaving = UserLifecycle.change(UserPhase.ACTIVE, null, ACTIVE, with(false, "engineer", lastDay), NOW);

    assertThat(leaving).isEqualTo(new Transition(WorkerEventType.LEAVER, lastDay, false, UserPhase.LEAVER_PENDING, lastDay));
    assertThat(UserLifecycle.change(UserPhase.LEAVER_PENDING, lastDay, with(false, "engineer", lastDay),
        with(true, "engineer", lastDay), NOW).event()).isEqualTo(WorkerEventType.LEAVER_CANCELLED);
  }

  @Test
  void anEffectiveTimeOnlyCountsWhenTheRequestStatesIt() {
    Instant hired = NOW.minus(Duration.ofDays(400));

    Transition leaver = UserLifecycle.change(UserPhase.ACTIVE, null, with(true, "engineer", hired),
        with(false, "engineer", hired), NOW);

    assertThat(leaver.effectiveTime()).isEqualTo(NOW);
    assertThat(leaver.phase()).isEqualTo(UserPhase.LEFT);
  }

  @Test
  void aReactivationAfterAnEffectiveLeaverIsARehireAndANewDateForAPendingLeaverReschedulesIt() {
    Instant later = NOW.plus(Duration.ofDays(5));

    assertThat(UserLifecycle.change(UserPhase.LEFT, NOW, with(false, "engineer", null), ACTIVE, NOW).event())
        .isEqualTo(WorkerEventType.REHIRE);
    assertThat(UserLifecycle.change(UserPhase.LEAVER_PENDING, NOW.plusSeconds(60), with(false, "engineer", null),
        with(false, "engineer", later), NOW))
        .isEqualTo(new Transition(WorkerEventType.LEAVER, later, false, UserPhase.LEAVER_PENDING, later));
    assertThat(UserLifecycle.change(UserPhase.LEFT, NOW, with(false, "engineer", null), with(false, "admin", null), NOW)
        .publishes()).isFalse();
  }

  @Test
  void aDeleteIsAnImmediateLeaverForAnyoneStillEmployedAndNothingForSomeoneGone() {
    assertThat(UserLifecycle.delete(UserPhase.ACTIVE, null, NOW))
        .isEqualTo(new Transition(WorkerEventType.LEAVER, NOW, true, UserPhase.LEFT, NOW));
    assertThat(UserLifecycle.delete(UserPhase.LEAVER_PENDING, NOW.plusSeconds(60), NOW).event())
        .isEqualTo(WorkerEventType.LEAVER);
    assertThat(UserLifecycle.delete(UserPhase.LEFT, NOW, NOW).publishes()).isFalse();
    assertThat(UserLifecycle.delete(UserPhase.PROVISIONED, null, NOW).publishes()).isFalse();
  }
}
