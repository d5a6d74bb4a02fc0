package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.revoked;
import static io.authlifecycle.mover.Inputs.withVerification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HrDecisionsTest extends RegistryFixture {

  @Test
  void aMoveIntoAPrivilegedRoleIssuesOneRebindTicketAndRevokesTheNonQualifyingFactorWhenTheGraceEnds() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    Instant moveAt = later(Duration.ofHours(1));

    Decision<MoverSubject> move = on(withVerification(mover("alice", "admin", true, "hr-move-1", moveAt),
        IdentityAssuranceLevel.IAL3, moveAt));

    String ticketId = "rebind-" + Ids.derive(WORKER, "hr-move-1", "ticket", "REBIND");
    assertThat(move.commands()).containsExactly(command(CommandAction.ISSUE_ENROLLMENT_TICKET, "hr-move-1", moveAt,
        "mover:alice:hr-move-1", "REBIND", "role change: factors no longer meet AAL3 with phishing resistance",
        PolicyRefs.BINDING, moveAt)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(TicketPurpose.REBIND)
            .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD))
            .setNotBefore(moveAt).setExpiresAt(moveAt.plus(Duration.ofHours(8))).setSingleUse(true)
            .setDeliveryChannel(Channel.IDP_PORTAL).build())
        .build());
    assertThat(move.auditActions()).containsExactly("mover.privilege.raised", "mover.level.raised",
        "mover.ticket.issue-requested", "mover.rebind.grace-scheduled", "mover.subject.notified");
    assertThat(alice.getProfile().getRequiredLevel()).isEqualTo(AssuranceLevel.AAL3);
    assertThat(alice.getRebind().getGraceUntil()).isEqualTo(Map.of("a-otp", moveAt.plus(Duration.ofHours(72))));
    // The ticket lives 8 hours; the first thing due is its expiry, long before the grace ends.
    assertThat(decisions.nextDue(alice)).isEqualTo(moveAt.plus(Duration.ofHours(8)));

    assertThat(revocations(at(moveAt.plus(Duration.ofHours(71))))).isEmpty();
    Instant graceEnd = moveAt.plus(Duration.ofHours(72));
    Decision<MoverSubject> graceOver = at(graceEnd);

    assertThat(revocations(graceOver)).containsExactly(command(CommandAction.REVOKE_AUTHENTICATOR, "hr-move-1", moveAt,
        "mover:alice:hr-move-1", "a-otp", "no longer qualifies for the role; grace period ended " + graceEnd,
        PolicyRefs.OWASP_MFA_PRIVILEGED, graceEnd).setAuthenticatorId("a-otp").build());
    assertThat(graceOver.auditActions()).containsSubsequence("mover.factor.revoke-requested", "mover.rebind.closed");
    assertThat(MoverSubjects.gone(factor("a-key"))).isFalse();
    assertThat(alice.getRebind()).isNull();
  }

  @Test
  void restrictedFactorsOnAPrivilegedRoleAreRevokedAtOnceAndTheRestWaitForTheGrace() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-sms", FactorType.SMS, null, null, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Decision<MoverSubject> move = on(withVerification(mover("alice", "admin", true, "hr-move-1", T0),
        IdentityAssuranceLevel.IAL3, T0));

    assertThat(move.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
        AuthenticatorCommand::getPolicyRef).containsExactly(
            tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-sms", PolicyRefs.OWASP_MFA_PRIVILEGED),
            tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null, PolicyRefs.BINDING));
    assertThat(factor("a-sms").getRequested()).isEqualTo(MoverRequest.REVOKE);
    assertThat(alice.getRebind().getGraceUntil()).containsOnlyKeys("a-otp");
  }

  @Test
  void aMoveDownChangesNothingButTheRecordedLevel() {
    on(joiner("alice", "admin", true, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Decision<MoverSubject> move = on(mover("alice", "engineer", false, "hr-move-2", T0));

    assertThat(move.commands()).isEmpty();
    assertThat(move.notifications()).isEmpty();
    assertThat(move.auditActions()).containsExactly("mover.privilege.lowered", "mover.level.recorded");
    assertThat(move.audits().subList(1, 2)).singleElement().satisfies(a -> {
      assertThat(a.getAction()).isEqualTo("mover.level.recorded");
      assertThat(a.getPolicyRef()).isEqualTo(PolicyRefs.AAL_REQUIREMENTS);
      assertThat(a.getDetails()).containsEntry("fromLevel", "AAL3").containsEntry("toLevel", "AAL2");
    });
    assertThat(alice.getProfile().getRequiredLevel()).isEqualTo(AssuranceLevel.AAL2);
    assertThat(alice.getRebind()).isNull();
  }

  @Test
  void aMoveWhereEveryFactorStillQualifiesIssuesNoTicket() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));

    Decision<MoverSubject> move = on(mover("alice", "admin", true, "hr-move-1", T0));

    assertThat(move.commands()).isEmpty();
    assertThat(move.auditActions()).containsExactly("mover.privilege.raised", "mover.level.raised");
    assertThat(alice.getRebind()).isNull();
  }

  @Test
  void aRoleThatNeedsPhishingResistanceReplacesOtpButKeepsSyncedPasskeys() {
    use(Map.of("policy.phishing-resistant.roles", "payments"));
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(bound("alice", "a-synced", FactorType.SYNCED_PASSKEY, "dev-laptop", null, T0));

    Decision<MoverSubject> move = on(mover("alice", "payments", false, "hr-move-3", T0));

    assertThat(move.commands()).singleElement().satisfies(c -> assertThat(c.getTicket().getAllowedFactorTypes())
        .containsExactly(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD, FactorType.SYNCED_PASSKEY));
    assertThat(alice.getRebind().getGraceUntil()).containsOnlyKeys("a-otp");
  }

  @Test
  void aFactorAlreadyRevokedWhenTheGraceEndsIsNotRevokedAgain() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(mover("alice", "admin", true, "hr-move-1", T0));
    on(bound("alice", "a-new", FactorType.HARDWARE_PASSKEY, "dev-key", null, later(Duration.ofHours(2))));

    Decision<MoverSubject> replaced = on(revoked("alice", "a-otp", null, later(Duration.ofHours(1))));

    assertThat(alice.getRebind()).isNull();
    assertThat(replaced.commands()).isEmpty();
    assertThat(revocations(at(T0.plus(Duration.ofHours(72))))).isEmpty();
    assertThat(factor("a-otp").getStatus()).isEqualTo(MoverFactorStatus.REVOKED);
  }

  @Test
  void aQualifyingBindingDuringTheGraceIsRecordedAsTheReplacement() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(mover("alice", "admin", true, "hr-move-1", T0));

    Decision<MoverSubject> replacement = on(bound("alice", "a-new", FactorType.HARDWARE_PASSKEY, "dev-key", null,
        later(Duration.ofHours(2))));

    assertThat(replacement.audits()).singleElement().satisfies(a -> {
      assertThat(a.getAction()).isEqualTo("mover.rebind.replacement-bound");
      assertThat(a.getCorrelationId()).isEqualTo("mover:alice:hr-move-1");
      assertThat(a.getAuthenticatorId()).isEqualTo("a-new");
    });
    assertThat(revocations(at(T0.plus(Duration.ofHours(72))))).extracting(AuthenticatorCommand::getAuthenticatorId)
        .containsExactly("a-otp");
  }

  @Test
  void aMoveBackDownDuringTheGraceCancelsThePendingRevocation() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(mover("alice", "admin", true, "hr-move-1", T0));

    Decision<MoverSubject> back = on(mover("alice", "engineer", false, "hr-move-2", later(Duration.ofHours(5))));

    assertThat(back.auditActions()).containsExactly("mover.privilege.lowered", "mover.level.recorded",
        "mover.rebind.closed");
    assertThat(alice.getRebind()).isNull();
    assertThat(revocations(at(T0.plus(Duration.ofHours(72))))).isEmpty();
  }

  @Test
  void aMoverForASubjectHrNeverIntroducedJudgesEveryFactor() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Decision<MoverSubject> move = on(mover("alice", "engineer", false, "hr-move-1", T0));

    assertThat(move.auditActions()).containsExactly("mover.level.raised");
    assertThat(move.audits().get(0).getDetails()).containsEntry("fromLevel", "none recorded");
    assertThat(move.commands()).isEmpty();
  }

  @Test
  void aMoveThatDoesNotRestateTheChannelsKeepsTheRegisteredOnes() {
    on(joiner("alice", "engineer", false, T0));

    on(WorkerEvent.newBuilder(mover("alice", "admin", true, "hr-move-1", T0)).setChannels(List.of()).build());

    assertThat(alice.getProfile().getChannels()).isEqualTo(Inputs.CHANNELS);
    assertThat(alice.getProfile().getPrivileged()).isTrue();
  }
}
