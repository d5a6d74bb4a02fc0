package io.authlifecycle.mover.registry;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.mover.registry.Step.Cause;
import io.authlifecycle.mover.registry.Step.Command;
import io.authlifecycle.mover.registry.Step.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleChangeTest extends RegistryFixture {

  @Test
  void aMoveIntoAPrivilegedRoleIssuesOneRebindTicketAndRevokesTheNonQualifyingFactorWhenTheGraceEnds() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    Instant moveAt = later(Duration.ofHours(1));

    Outcome move = on(mover("alice", "admin", true, "hr-move-1", moveAt));

    Cause cause = new Cause("hr-move-1", moveAt, "mover:alice:hr-move-1");
    String ticketId = rules.derive("hr-move-1", "ticket", "REBIND");
    assertThat(commands(move)).containsExactly(new Command(
        rules.commandId("hr-move-1", CommandAction.ISSUE_ENROLLMENT_TICKET, "REBIND"),
        CommandAction.ISSUE_ENROLLMENT_TICKET, null, "REBIND", cause,
        "role change: factors no longer meet AAL3 with phishing resistance", PolicyRefs.BINDING,
        new Ticket(ticketId, TicketPurpose.REBIND, List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD),
            moveAt, moveAt.plus(Duration.ofHours(72)), Channel.IDP_PORTAL)));
    assertThat(actions(move)).containsExactly("mover.level.raised", "mover.ticket.issue-requested",
        "mover.rebind.grace-scheduled", "mover.subject.notified");
    assertThat(alice.profile().orElseThrow().requiredLevel()).isEqualTo(AssuranceLevel.AAL3);
    assertThat(alice.rebind().orElseThrow().graceUntil()).isEqualTo(Map.of("a-otp", moveAt.plus(Duration.ofHours(72))));
    assertThat(decisions.nextDue(alice)).isEqualTo(moveAt.plus(Duration.ofHours(72)));

    assertThat(commands(at(moveAt.plus(Duration.ofHours(71))))).isEmpty();
    Outcome graceOver = at(moveAt.plus(Duration.ofHours(72)));

    assertThat(commands(graceOver)).containsExactly(new Command(
        rules.commandId("hr-move-1", CommandAction.REVOKE_AUTHENTICATOR, "a-otp"), CommandAction.REVOKE_AUTHENTICATOR,
        "a-otp", "a-otp", cause, "no longer qualifies for the role; grace period ended " + moveAt.plus(Duration.ofHours(72)),
        PolicyRefs.OWASP_MFA_PRIVILEGED, null));
    assertThat(actions(graceOver)).containsExactly("mover.factor.revoke-requested", "mover.rebind.closed");
    assertThat(factor("a-key").gone()).isFalse();
    assertThat(alice.rebind()).isEmpty();
  }

  @Test
  void restrictedFactorsOnAPrivilegedRoleAreRevokedAtOnceAndTheRestWaitForTheGrace() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-sms", FactorType.SMS, null, null, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Outcome move = on(mover("alice", "admin", true, "hr-move-1", T0));

    assertThat(commands(move)).extracting(Command::action, Command::authenticatorId, Command::policyRef).containsExactly(
        org.assertj.core.groups.Tuple.tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-sms", PolicyRefs.OWASP_MFA_PRIVILEGED),
        org.assertj.core.groups.Tuple.tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null, PolicyRefs.BINDING));
    assertThat(factor("a-sms").requested()).isEqualTo(Factor.Request.REVOKE);
    assertThat(alice.rebind().orElseThrow().graceUntil()).containsOnlyKeys("a-otp");
  }

  @Test
  void aMoveDownChangesNothingButTheRecordedLevel() {
    on(joiner("alice", "admin", true, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Outcome move = on(mover("alice", "engineer", false, "hr-move-2", T0));

    assertThat(commands(move)).isEmpty();
    assertThat(notices(move)).isEmpty();
    assertThat(audits(move)).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("mover.level.recorded");
      assertThat(a.policyRef()).isEqualTo(PolicyRefs.AAL_REQUIREMENTS);
      assertThat(a.details()).containsEntry("fromLevel", "AAL3").containsEntry("toLevel", "AAL2");
    });
    assertThat(alice.profile().orElseThrow().requiredLevel()).isEqualTo(AssuranceLevel.AAL2);
    assertThat(alice.rebind()).isEmpty();
  }

  @Test
  void aMoveWhereEveryFactorStillQualifiesIssuesNoTicket() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));

    Outcome move = on(mover("alice", "admin", true, "hr-move-1", T0));

    assertThat(commands(move)).isEmpty();
    assertThat(actions(move)).containsExactly("mover.level.raised");
    assertThat(alice.rebind()).isEmpty();
  }

  @Test
  void aRoleThatNeedsPhishingResistanceReplacesOtpButKeepsSyncedPasskeys() {
    use(MoverRules.defaults(WORKER, new AssurancePolicy(AssuranceLevel.AAL2, AssuranceLevel.AAL3, List.of(),
        List.of("payments"), List.of(), IdentityAssuranceLevel.IAL2, IdentityAssuranceLevel.IAL3)));
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(bound("alice", "a-synced", FactorType.SYNCED_PASSKEY, "dev-laptop", null, T0));

    Outcome move = on(mover("alice", "payments", false, "hr-move-3", T0));

    assertThat(commands(move)).singleElement().satisfies(c -> assertThat(c.ticket().allowedTypes())
        .containsExactly(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD, FactorType.SYNCED_PASSKEY));
    assertThat(alice.rebind().orElseThrow().graceUntil()).containsOnlyKeys("a-otp");
  }

  @Test
  void aFactorAlreadyRevokedWhenTheGraceEndsIsNotRevokedAgain() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(mover("alice", "admin", true, "hr-move-1", T0));
    on(bound("alice", "a-new", FactorType.HARDWARE_PASSKEY, "dev-key", null, later(Duration.ofHours(2))));

    Outcome replaced = on(revoked("alice", "a-otp", null, later(Duration.ofHours(1))));

    assertThat(alice.rebind()).isEmpty();
    assertThat(commands(replaced)).isEmpty();
    assertThat(commands(at(T0.plus(Duration.ofHours(72))))).isEmpty();
    assertThat(factor("a-otp").status()).isEqualTo(Factor.Status.REVOKED);
  }

  @Test
  void aQualifyingBindingDuringTheGraceIsRecordedAsTheReplacement() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(mover("alice", "admin", true, "hr-move-1", T0));

    Outcome replacement = on(bound("alice", "a-new", FactorType.HARDWARE_PASSKEY, "dev-key", null, later(Duration.ofHours(2))));

    assertThat(audits(replacement)).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("mover.rebind.replacement-bound");
      assertThat(a.cause().correlationId()).isEqualTo("mover:alice:hr-move-1");
      assertThat(a.authenticatorId()).isEqualTo("a-new");
    });
    assertThat(commands(at(T0.plus(Duration.ofHours(72))))).extracting(Command::authenticatorId).containsExactly("a-otp");
  }

  @Test
  void aMoveBackDownDuringTheGraceCancelsThePendingRevocation() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(mover("alice", "admin", true, "hr-move-1", T0));

    Outcome back = on(mover("alice", "engineer", false, "hr-move-2", later(Duration.ofHours(5))));

    assertThat(actions(back)).containsExactly("mover.level.recorded", "mover.rebind.closed");
    assertThat(alice.rebind()).isEmpty();
    assertThat(commands(at(T0.plus(Duration.ofHours(72))))).isEmpty();
  }

  @Test
  void aMoverForASubjectHrNeverIntroducedJudgesEveryFactor() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Outcome move = on(mover("alice", "engineer", false, "hr-move-1", T0));

    assertThat(actions(move)).containsExactly("mover.level.raised");
    assertThat(audits(move).get(0).details()).containsEntry("fromLevel", "none recorded");
    assertThat(commands(move)).isEmpty();
  }

  @Test
  void aMoveThatDoesNotRestateTheChannelsKeepsTheRegisteredOnes() {
    on(joiner("alice", "engineer", false, T0));

    on(io.authlifecycle.avro.WorkerEvent.newBuilder(mover("alice", "admin", true, "hr-move-1", T0))
        .setChannels(List.of()).build());

    assertThat(alice.profile().orElseThrow().channels()).isEqualTo(io.authlifecycle.mover.Inputs.CHANNELS);
    assertThat(alice.profile().orElseThrow().privileged()).isTrue();
  }
}
