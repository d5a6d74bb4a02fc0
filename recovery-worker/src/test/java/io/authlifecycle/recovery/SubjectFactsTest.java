package io.authlifecycle.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.recovery.RecoverySubjects.Standing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The recovery reading of the one HR fold, and the authenticator fold, in plain Java. */
class SubjectFactsTest {

  private static final Instant NOW = Instant.parse("2026-11-02T09:00:00Z");

  static {
    RecoveryFixtures.load();
  }

  private static final RecoveryRules RULES = RecoveryFixtures.rules();
  private static final AssurancePolicy POLICY = RULES.policy();

  private final RecoverySubject subject = RecoveryDecisions.open("s-1", null);

  /** Folds an HR event through the worker's own decision (the one HR fold, then its reactions). */
  private void hr(WorkerEvent event, Instant now) {
    HrDecisions.onWorkerEvent(RULES, subject, event, now);
  }

  /** The recovery reading of the standing the one fold computes (the fold's own table is in lifecycle-core). */
  @ParameterizedTest(name = "{0} then {1} (effective {2}h, immediate {3}) → {4}")
  @CsvSource({
      "JOINER, LEAVER,           0,   true,  TERMINATED",
      "JOINER, LEAVER,           48,  true,  TERMINATED",
      "JOINER, LEAVER,           48,  false, TERMINATION_PENDING",
      "JOINER, LEAVER,           -1,  false, TERMINATED",
      "JOINER, MOVER,            0,   false, ELIGIBLE",
      "JOINER, LEAVER_CANCELLED, 0,   false, ELIGIBLE"})
  void standingFollowsTheHrEvents(WorkerEventType first, WorkerEventType second, long hours, boolean immediate, Standing expected) {
    hr(event("e1", first, NOW, false, NOW), NOW);
    hr(event("e2", second, NOW.plus(Duration.ofHours(hours)), immediate, NOW), NOW);

    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(expected);
  }

  @Test
  void aPendingLeaverIsATerminationOnceItsTimeHasCome() {
    hr(event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
    hr(event("e2", WorkerEventType.LEAVER, NOW.plus(Duration.ofDays(1)), false, NOW), NOW);

    assertThat(RecoverySubjects.standing(subject, NOW.plus(Duration.ofDays(1)).minusMillis(1)))
        .isEqualTo(Standing.TERMINATION_PENDING);
    assertThat(RecoverySubjects.standing(subject, NOW.plus(Duration.ofDays(1)))).isEqualTo(Standing.TERMINATED);
  }

  @Test
  void aJoinerNeverMakesALeaverEligibleAgainOnlyAVerifiedRehireDoes() {
    hr(event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
    hr(event("e2", WorkerEventType.LEAVER, NOW, true, NOW), NOW);
    Instant later = NOW.plus(Duration.ofDays(2));

    hr(event("e3", WorkerEventType.JOINER, later, false, later), later);
    assertThat(RecoverySubjects.standing(subject, later)).isEqualTo(Standing.TERMINATED);
    hr(event("e4", WorkerEventType.REHIRE, later, false, later), later);
    assertThat(RecoverySubjects.standing(subject, later)).isEqualTo(Standing.TERMINATED);

    hr(WorkerEvent.newBuilder(event("e5", WorkerEventType.REHIRE, later, false, later))
        .setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-5")
            .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(IdentityAssuranceLevel.IAL2)
            .setVerifiedAt(later.minusSeconds(60)).build()).build(), later);
    assertThat(RecoverySubjects.standing(subject, later)).isEqualTo(Standing.ELIGIBLE);
  }

  @Test
  void aPartialMoverNeverDemotesAPrivilegedSubject() {
    hr(WorkerEvent.newBuilder(event("e1", WorkerEventType.JOINER, NOW, false, NOW)).setPrivileged(true).build(), NOW);

    hr(WorkerEvent.newBuilder(event("e2", WorkerEventType.MOVER, NOW, false, NOW)).setRole("sre").build(), NOW);

    assertThat(subject.getPrivileged()).isTrue();
    assertThat(RecoverySubjects.profile(subject).privileged()).isTrue();
  }

  @Test
  void theStandingOfUnknownAndServiceSubjects() {
    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(Standing.UNKNOWN_SUBJECT);
    hr(WorkerEvent.newBuilder(event("e1", WorkerEventType.JOINER, NOW, false, NOW))
        .setIdentityType(IdentityType.SERVICE).build(), NOW);
    assertThat(RecoverySubjects.standing(subject, NOW)).isEqualTo(Standing.SERVICE_IDENTITY);
  }

  @Test
  void aSubjectOfTheEarlierReleaseKeepsItsStanding() {
    RecoverySubject left = RecoveryDecisions.open("s-1", RecoverySubject.newBuilder().setSubjectId("s-1")
        .setHrKnown(true).setHrEventTime(NOW).setIdentityType(IdentityType.HUMAN).setPrivileged(true)
        .setLeaverEffectiveAt(NOW.plus(Duration.ofHours(1))).setStanding(null).build());
    RecoverySubject active = RecoveryDecisions.open("s-2", RecoverySubject.newBuilder().setSubjectId("s-2")
        .setHrKnown(true).setHrEventTime(NOW).setIdentityType(IdentityType.HUMAN).setChannels(List.of(Channel.SMS))
        .setStanding(null).build());

    assertThat(RecoverySubjects.standing(left, NOW)).isEqualTo(Standing.TERMINATION_PENDING);
    assertThat(RecoverySubjects.standing(left, NOW.plus(Duration.ofHours(1)))).isEqualTo(Standing.TERMINATED);
    assertThat(left.getStanding().getPrivileged()).isTrue();
    assertThat(RecoverySubjects.standing(active, NOW)).isEqualTo(Standing.ELIGIBLE);
    assertThat(active.getStanding().getChannels()).containsExactly(Channel.SMS);
  }

  @Test
  void boundSuspendedResumedAndRevokedFactorsAreTracked() {
    FactDecisions.apply(subject, AuthenticatorBound.newBuilder().setEventId("b").setEventTime(NOW).setSubjectId("s-1")
        .setAuthenticatorId("k").setFactorType(FactorType.HARDWARE_PASSKEY).build());
    hr(event("e1", WorkerEventType.JOINER, NOW, false, NOW), NOW);
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
