package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.HireDecisionsTest.single;
import static io.authlifecycle.joiner.JoinerFixtures.T0;
import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static io.authlifecycle.joiner.JoinerFixtures.leaver;
import static io.authlifecycle.joiner.JoinerFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The joiner's reactions to what the one HR fold reports: rehires, absent privilege, order and time. */
class HrStandingReactionsTest {

  private final Machine alice = new Machine();

  private static IdentityVerification verifiedAt(String id, IdentityAssuranceLevel level, Instant at) {
    return IdentityVerification.newBuilder(verified(id, level)).setVerifiedAt(at).build();
  }

  private void hiredAndLeft() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    alice.hr(leaver("alice", "hr-2", T0.plusSeconds(60)).build(), T0.plusSeconds(60));
  }

  @Test
  void aRehireCarryingTheVerificationFromBeforeTheSubjectLeftGetsNoTicketAndAsksForProofing() {
    hiredAndLeft();
    Instant back = T0.plus(Duration.ofDays(20));

    var out = alice.hr(joiner("alice", "hr-3", back).setType(WorkerEventType.REHIRE)
        .setIdentityVerification(verifiedAt("iv-old", IdentityAssuranceLevel.IAL2, T0)).build(), back);

    assertThat(out.commands()).isEmpty();
    String message = "No enrollment ticket for alice (VERIFICATION_BEFORE_TERMINATION): a returning employee needs an "
        + "identity verification at IAL2 or above, made after they left and at most 30 days old; a ticket follows a "
        + "REHIRE carrying it.";
    assertThat(out.notifications()).extracting(SubjectNotification::getRecipient, SubjectNotification::getMessage)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(RecipientRole.MANAGER, message),
            org.assertj.core.groups.Tuple.tuple(RecipientRole.HELP_DESK, message));
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.refused");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(audit.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(audit.getPolicyRef()).isEqualTo(PolicyRefs.BINDING);
    assertThat(audit.getReason()).isEqualTo("VERIFICATION_BEFORE_TERMINATION");
    assertThat(audit.getDetails()).containsEntry("requiredIdentityLevel", "IAL2")
        .containsEntry("verificationId", "iv-old").containsEntry("verifiedAt", T0.toString())
        .containsEntry("terminatedAt", T0.plusSeconds(60).toString()).containsEntry("maxVerificationAge", "PT720H")
        .containsEntry("notificationIds", out.notifications().get(0).getEventId() + ","
            + out.notifications().get(1).getEventId());
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(alice.state.getStanding().getPhase()).isEqualTo(HrPhase.TERMINATED);
  }

  @Test
  void aRehireOnAVerificationOlderThanThirtyDaysGetsNoTicketAFreshOneDoes() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    alice.hr(leaver("alice", "hr-2", T0).build(), T0);
    Instant back = T0.plus(Duration.ofDays(90));

    var old = alice.hr(joiner("alice", "hr-3", back).setType(WorkerEventType.REHIRE)
        .setIdentityVerification(verifiedAt("iv-3", IdentityAssuranceLevel.IAL2, back.minus(Duration.ofDays(31))))
        .build(), back);
    var fresh = alice.hr(joiner("alice", "hr-4", back).setType(WorkerEventType.REHIRE)
        .setIdentityVerification(verifiedAt("iv-4", IdentityAssuranceLevel.IAL2, back.minus(Duration.ofDays(29))))
        .build(), back);

    assertThat(old.commands()).isEmpty();
    assertThat(single(old.audits()).getReason()).isEqualTo("VERIFICATION_TOO_OLD");
    assertThat(single(fresh.commands()).getAction()).isEqualTo(CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
  }

  @Test
  void aHireRecordThatDoesNotStatePrivilegeNeverDemotesAPrivilegedSubject() {
    Machine root = new Machine();
    root.hr(joiner("root", "hr-1", T0).setPrivileged(true)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL3)).build(), T0);
    Instant later = T0.plusSeconds(600);

    var out = root.hr(joiner("root", "hr-2", later).setPrivileged(false)
        .setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL2)).build(), later);

    assertThat(out.commands()).isEmpty();
    assertThat(single(out.audits()).getReason()).isEqualTo("VERIFICATION_TOO_WEAK");
    assertThat(single(out.audits()).getDetails()).containsEntry("requiredIdentityLevel", "IAL3");
    assertThat(root.state.getPrivileged()).isTrue();
  }

  @Test
  void aHireRecordThatSaysNotPrivilegedDoesDemote() {
    Machine root = new Machine();
    root.hr(joiner("root", "hr-1", T0).setPrivileged(true)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL3)).build(), T0);
    Instant later = T0.plusSeconds(600);

    var out = root.hr(joiner("root", "hr-2", later).setPrivileged(false).setStatedPrivileged(false)
        .setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL2)).build(), later);

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET, CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(root.state.getPrivileged()).isFalse();
  }

  @Test
  void aHireRecordOlderThanTheLatestHrEventIsRefusedWithoutATicket() {
    alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(null).build(), T0);

    var out = alice.hr(joiner("alice", "hr-0", T0.minusSeconds(60)).build(), T0.plusSeconds(1));

    assertThat(out.commands()).isEmpty();
    assertThat(out.notifications()).isEmpty();
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getReason()).isEqualTo("STALE_EVENT");
    assertThat(audit.getSeverity()).isEqualTo(Severity.LOW);
    assertThat(audit.getDetails()).containsEntry("latestHrEventId", "hr-1");
  }

  @Test
  void aBindingAfterAPendingLeaversTimeIsRevokedEvenBeforeTheTimerFires() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    Instant effective = T0.plus(Duration.ofMinutes(20));
    alice.hr(leaver("alice", "hr-2", T0).setImmediate(false).setEffectiveTime(effective).build(), T0);

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, alice.ticketId("hr-1"),
        effective.plusSeconds(5)).build(), effective.plusSeconds(6));

    assertThat(out.auditActions()).containsExactly("enrollment.case.closed", "enrollment.policy.violation");
    assertThat(single(out.commands()).getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(alice.timers).doesNotContainKey("leaver.effective");
  }

  @Test
  void aClosedCaseOfTheEarlierReleaseRefusesAJoinerAndReopensOnlyOnAFreshVerification() {
    alice.state = JoinerCase.newBuilder().setSubjectId("alice").setPhase(JoinerPhase.CLOSED)
        .setIdentityType(io.authlifecycle.avro.IdentityType.HUMAN).setRole("engineer").setManagerId("mgr-1")
        .setHireEventId("hr-1").setHireEventTime(T0).setStanding(null).build();
    Instant back = T0.plus(Duration.ofDays(60));

    var joiner = alice.hr(joiner("alice", "hr-3", back).build(), back);
    var old = alice.hr(joiner("alice", "hr-4", back).setType(WorkerEventType.REHIRE)
        .setIdentityVerification(verifiedAt("iv-4", IdentityAssuranceLevel.IAL2, T0)).build(), back);
    var fresh = alice.hr(joiner("alice", "hr-5", back).setType(WorkerEventType.REHIRE)
        .setIdentityVerification(verifiedAt("iv-5", IdentityAssuranceLevel.IAL2, back.minus(Duration.ofDays(1))))
        .build(), back);

    assertThat(single(joiner.audits()).getReason()).isEqualTo("SUBJECT_TERMINATED");
    assertThat(single(old.audits()).getReason()).isEqualTo("VERIFICATION_TOO_OLD");
    assertThat(single(fresh.commands()).getAction()).isEqualTo(CommandAction.ISSUE_ENROLLMENT_TICKET);
  }

  @Test
  void aPendingLeaverOfACaseOfTheEarlierReleaseStillClosesItWhenItsTimerFires() {
    Instant effective = T0.plus(Duration.ofDays(3));
    alice.state = JoinerCase.newBuilder().setSubjectId("alice").setPhase(JoinerPhase.ENROLLED)
        .setIdentityType(io.authlifecycle.avro.IdentityType.HUMAN).setRole("engineer").setStanding(null).build();
    TimerEntry timer = TimerEntry.newBuilder().setOwner("alice").setKind("leaver.effective").setDueAt(effective)
        .setCausationId("hr-9").setCorrelationId("leaver:alice:hr-9").setAttributes(Map.of()).build();

    var out = alice.decisions.onTimer(alice.state, timer, effective);

    assertThat(single(out.audits()).getAction()).isEqualTo("enrollment.case.closed");
    assertThat(single(out.audits()).getCausationId()).isEqualTo("hr-9");
    JoinerCase closed = out.state().orElseThrow();
    assertThat(closed.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(closed.getStanding().getPhase()).isEqualTo(HrPhase.TERMINATED);
    assertThat(closed.getStanding().getTerminatedAt()).isEqualTo(effective);
    assertThat(List.of(closed.getRole())).containsExactly("engineer");
  }
}
