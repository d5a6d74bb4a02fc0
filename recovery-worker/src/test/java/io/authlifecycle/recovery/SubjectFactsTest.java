package io.authlifecycle.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.recovery.HrDecisions.HrChange;
import io.authlifecycle.recovery.RecoverySubjects.Standing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HR and authenticator folds, in plain Java. */
class SubjectFactsTest {

  private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");

  static {
    RecoveryFixtures.load();
  }

  private static final AssurancePolicy POLICY = RecoveryFixtures.rules().policy();

  private final RecoverySubject subject = RecoveryDecisions.open("s-1", null);

  @ParameterizedTest(name = "{0} then {1} (effective {2}h, immediate {3}) → {4}")
  @CsvSource({
      "JOINER, LEAVER,           0,   true,  TERMINATED",
      "JOINER, LEAVER,           48,  true,  TERMINATED",
      "JOINER, LEAVER,           48,  false, TERMINATION_PENDING",
      "JOINER, LEAVER,           -1,  false, TERMINATED",
      "JOINER, MOVER,            0,   false, ELIGIBLE",
      "JOINER, LEAVER_CANCELLED, 0,   false, ELIGIBLE"})
  void standingFollowsTheHrEvents(WorkerEventType first, WorkerEventType second, long hours, boolean immediate, Standing expected) {
    HrDecisions.apply(subject, event("e1", first, NOW, false, NOW), NOW);
    HrDecisions.apply(subject, event("e2", second, NOW.plus(Duration.ofHours(hours)), immediate, NOW), NOW);

    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(expected);
  }

  @Test
  void aCancelledPendingLeaverRestoresEligibilityButACancelAfterTheEffectiveTimeDoesNot() {
    HrDecisions.apply(subject, event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
    HrDecisions.apply(subject, event("e2", WorkerEventType.LEAVER, NOW.plus(Duration.ofDays(1)), false, NOW), NOW);

    Instant later = NOW.plus(Duration.ofDays(2));
    assertThat(HrDecisions.apply(subject, event("e3", WorkerEventType.LEAVER_CANCELLED, later, false, later), later))
        .isEqualTo(HrChange.NONE);
    assertThat(RecoverySubjects.standing(subject, later)).isEqualTo(Standing.TERMINATED);

    HrDecisions.apply(subject, event("e4", WorkerEventType.REHIRE, later, false, later), later);
    assertThat(RecoverySubjects.standing(subject, later)).isEqualTo(Standing.ELIGIBLE);
  }

  @Test
  void theStandingOfUnknownAndServiceSubjects() {
    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(Standing.UNKNOWN_SUBJECT);
    HrDecisions.apply(subject, WorkerEvent.newBuilder(event("e1", WorkerEventType.JOINER, NOW, false, NOW))
        .setIdentityType(IdentityType.SERVICE).build(), NOW);
    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(Standing.SERVICE_IDENTITY);
  }

  @Test
  void aMoverWithoutChannelsOrApproversKeepsTheKnownOnes() {
    HrDecisions.apply(subject, event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
    HrDecisions.apply(subject, WorkerEvent.newBuilder(event("e2", WorkerEventType.MOVER, NOW, false, NOW))
        .setChannels(List.of()).setApprovers(List.of()).setPrivileged(true).build(), NOW);

    assertThat(subject.getChannels()).containsExactly(Channel.WORK_EMAIL);
    assertThat(subject.getApprovers()).containsExactly("mgr");
    assertThat(subject.getPrivileged()).isTrue();
  }

  @Test
  void aStaleLeaverStillAppliesButAStaleMoverDoesNot() {
    HrDecisions.apply(subject, event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
    Instant earlier = NOW.minus(Duration.ofDays(3));

    assertThat(HrDecisions.apply(subject, WorkerEvent.newBuilder(event("e2", WorkerEventType.MOVER, NOW, false, earlier))
        .setPrivileged(true).build(), NOW)).isEqualTo(HrChange.NONE);
    assertThat(subject.getPrivileged()).isFalse();
    assertThat(HrDecisions.apply(subject, event("e3", WorkerEventType.LEAVER, NOW, true, earlier), NOW)).isEqualTo(HrChange.LEAVER);
    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(Standing.TERMINATED);
  }

  @Test
  void boundSuspendedResumedAndRevokedFactorsAreTracked() {
    FactDecisions.apply(subject, AuthenticatorBound.newBuilder().setEventId("b").setEventTime(NOW).setSubjectId("s-1")
        .setAuthenticatorId("k").setFactorType(FactorType.HARDWARE_PASSKEY).build());
    HrDecisions.apply(subject, event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
    assertThat(RecoverySubjects.accountLevel(subject, POLICY)).isEqualTo(AssuranceLevel.AAL3);

    FactDecisions.apply(subject, AuthenticatorSuspended.newBuilder().setEventId("s").setEventTime(NOW).setSubjectId("s-1")
        .setAuthenticatorId("k").build());
    assertThat(RecoverySubjects.factor(subject, "k").orElseThrow().getSuspended()).isTrue();
    assertThat(RecoverySubjects.accountLevel(subject, POLICY)).isEqualTo(AssuranceLevel.AAL2);

    FactDecisions.apply(subject, AuthenticatorResumed.newBuilder().setEventId("r").setEventTime(NOW).setSubjectId("s-1")
        .setAuthenticatorId("k").build());
    assertThat(RecoverySubjects.factor(subject, "k").orElseThrow().getSuspended()).isFalse();

    assertThat(FactDecisions.apply(subject, AuthenticatorRevoked.newBuilder().setEventId("v").setEventTime(NOW)
        .setSubjectId("s-1").setAuthenticatorId("k").build())).isTrue();
    assertThat(RecoverySubjects.factor(subject, "k")).isEmpty();
  }

  @Test
  void recentEventIdsAreBounded() {
    for (int i = 0; i < RecoveryDecisions.RECENT_EVENT_IDS + 5; i++) {
      RecoveryDecisions.remember(subject, "e" + i);
    }
    assertThat(subject.getRecentEventIds()).doesNotContain("e0");
    assertThat(subject.getRecentEventIds()).contains("e" + (RecoveryDecisions.RECENT_EVENT_IDS + 4));
    assertThat(subject.getRecentEventIds()).hasSize(RecoveryDecisions.RECENT_EVENT_IDS);
  }

  private static WorkerEvent event(String id, WorkerEventType type, Instant effective, boolean immediate, Instant eventTime) {
    return WorkerEvent.newBuilder().setEventId(id).setEventTime(eventTime).setType(type).setSubjectId("s-1")
        .setIdentityType(IdentityType.HUMAN).setRole("engineer").setPrivileged(false).setEffectiveTime(effective)
        .setImmediate(immediate).setChannels(List.of(Channel.WORK_EMAIL)).setApprovers(List.of("mgr")).build();
  }
}
