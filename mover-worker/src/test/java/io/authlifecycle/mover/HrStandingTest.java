package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.hr;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mover's reactions to the one HR standing: terminated subjects, partial records, privilege, time. */
class HrStandingTest extends RegistryFixture {

  private void engineerWithAnOtpAppWhoLeft() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(hr(WorkerEventType.LEAVER, "alice", "engineer", false, "hr-left", later(Duration.ofDays(1))));
  }

  @Test
  void aJoinerForASubjectWhoLeftDoesNotRestartTheClock() {
    engineerWithAnOtpAppWhoLeft();

    Decision<MoverSubject> joiner = on(WorkerEvent.newBuilder(joiner("alice", "engineer", false, later(Duration.ofDays(1))))
        .setEventId("hr-join-again").build());

    assertThat(joiner.outputs()).isEmpty();
    assertThat(alice.getTerminatedAt()).isNotNull();
    assertThat(decisions.nextDue(alice)).isNull();
  }

  @Test
  void aMoverForASubjectWhoLeftIssuesNoTicketAndChangesNothing() {
    engineerWithAnOtpAppWhoLeft();
    MoverSubject before = copy(alice);

    Decision<MoverSubject> move = on(Inputs.withVerification(mover("alice", "admin", true, "hr-move-1",
        later(Duration.ofHours(1))), io.authlifecycle.avro.IdentityAssuranceLevel.IAL3, now));

    assertThat(move.outputs()).isEmpty();
    assertThat(alice.getProfile()).isEqualTo(before.getProfile());
    assertThat(alice.getRebind()).isNull();
    assertThat(alice.getStanding()).isEqualTo(before.getStanding());
  }

  @Test
  void aPartialMoverNeverDemotesAndIsNotAuditedAsAPrivilegeChange() {
    on(joiner("alice", "admin", true, T0));

    Decision<MoverSubject> move = on(WorkerEvent.newBuilder().setEventId("hr-move-1").setEventTime(later(Duration.ofHours(1)))
        .setType(WorkerEventType.MOVER).setSubjectId("alice").setRole("sre").setPrivileged(false)
        .setEffectiveTime(now).build());

    assertThat(alice.getProfile().getPrivileged()).isTrue();
    assertThat(alice.getProfile().getRole()).isEqualTo("sre");
    assertThat(alice.getProfile().getChannels()).isEqualTo(Inputs.CHANNELS);
    assertThat(move.auditActions()).containsExactly("mover.level.recorded");
  }

  @Test
  void aDemotionIsAuditedAtMediumAndAPromotionAtLow() {
    on(joiner("alice", "engineer", false, T0));
    Instant promoted = later(Duration.ofHours(1));

    AuditEvent.Builder raised = on(Inputs.withVerification(mover("alice", "admin", true, "hr-up", promoted),
        io.authlifecycle.avro.IdentityAssuranceLevel.IAL3, promoted)).audits().get(0);
    AuditEvent.Builder lowered = on(mover("alice", "engineer", false, "hr-down", later(Duration.ofHours(1))))
        .audits().get(0);

    assertThat(raised.getAction()).isEqualTo("mover.privilege.raised");
    assertThat(raised.getSeverity()).isEqualTo(Severity.LOW);
    assertThat(lowered.getAction()).isEqualTo("mover.privilege.lowered");
    assertThat(lowered.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
    assertThat(lowered.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(lowered.getPolicyRef()).isEqualTo(PolicyRefs.OWASP_MFA_PRIVILEGED);
    assertThat(lowered.getControlRefs()).containsExactly(PolicyRefs.CSF_LEAST_PRIVILEGE);
    assertThat(lowered.getCausationId()).isEqualTo("hr-down");
    assertThat(lowered.getReason()).isEqualTo("HR stated the subject is no longer privileged: the privileged rules no "
        + "longer apply");
    assertThat(lowered.getDetails()).isEqualTo(Map.of("role", "engineer", "requiredLevel", "AAL2"));
  }

  @Test
  void aFutureDatedLeaverStopsTheClockAtItsEffectiveTime() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    Instant effective = T0.plus(Duration.ofDays(30));
    WorkerEvent leaver = WorkerEvent.newBuilder(hr(WorkerEventType.LEAVER, "alice", "engineer", false, "hr-left", T0))
        .setEffectiveTime(effective).build();

    Decision<MoverSubject> scheduled = on(leaver);
    assertThat(scheduled.auditActions()).isEmpty();
    assertThat(decisions.nextDue(alice)).isEqualTo(effective);

    Decision<MoverSubject> stopped = at(effective);

    assertThat(stopped.auditActions()).containsExactly("mover.clock.stopped");
    assertThat(stopped.audits().get(0).getCausationId()).isEqualTo("hr-left");
    assertThat(alice.getTerminatedAt()).isEqualTo(effective);
    assertThat(decisions.nextDue(alice)).isNull();
    assertThat(at(T0.plus(Duration.ofDays(120))).outputs()).isEmpty();
  }

  @Test
  void aSubjectOfTheEarlierReleaseWhoLeftStaysTerminated() {
    engineerWithAnOtpAppWhoLeft();
    alice = copy(alice);
    alice.setStanding(null);

    Decision<MoverSubject> joiner = on(WorkerEvent.newBuilder(joiner("alice", "engineer", false, later(Duration.ofDays(1))))
        .setEventId("hr-join-again").build());

    assertThat(joiner.outputs()).isEmpty();
    assertThat(alice.getStanding().getPhase()).isEqualTo(HrPhase.TERMINATED);
    assertThat(alice.getStanding().getRole()).isEqualTo("engineer");
    assertThat(decisions.nextDue(alice)).isNull();
    assertThat(List.of(alice.getTerminatedAt())).doesNotContainNull();
  }
}
