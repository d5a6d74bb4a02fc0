package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.HireDecisionsTest.single;
import static io.authlifecycle.joiner.JoinerFixtures.T0;
import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The joiner decides on every binding of a living subject that no other issuer's ticket names, in
 * every phase: after enrollment too, a factor without a ticket is held to today's policy and the
 * subject is told on a channel independent of it.
 */
class BindingsAfterEnrollmentTest {

  private static final Instant ENROLLED_AT = T0.plus(Duration.ofMinutes(5));
  private static final Instant LATER = T0.plus(Duration.ofDays(30));

  private final Machine alice = new Machine();

  private void enrolled(boolean privileged) {
    var hire = joiner("alice", "hr-1", T0).setPrivileged(privileged);
    if (privileged) {
      hire.setIdentityVerification(JoinerFixtures.verified("iv-1", IdentityAssuranceLevel.IAL3));
    }
    hire.setChannels(List.of(Channel.WORK_EMAIL, Channel.SMS, Channel.PUSH));
    alice.hr(hire.build(), T0);
    alice.fact(bound("alice", "f-0", "key-1", FactorType.HARDWARE_PASSKEY, alice.ticketId("hr-1"), ENROLLED_AT)
        .build(), ENROLLED_AT);
  }

  @Test
  void anSmsFactorAddedWithoutATicketAfterEnrollmentIsRevokedAndAuditedHigh() {
    enrolled(false);

    var out = alice.fact(bound("alice", "f-1", "sms-1", FactorType.SMS, null, LATER).build(), LATER);

    AuthenticatorCommand revoke = single(out.commands());
    assertThat(revoke.getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
    assertThat(revoke.getAuthenticatorId()).isEqualTo("sms-1");
    assertThat(revoke.getPolicyRef()).isEqualTo(PolicyRefs.RESTRICTED_AUTHENTICATORS);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("binding.policy.violation");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(audit.getReason()).isEqualTo("FACTOR_TYPE_NOT_ALLOWED");
    assertThat(audit.getCommandIds()).containsExactly(revoke.getCommandId());
    assertThat(audit.getDetails()).containsEntry("phase", "ENROLLED").containsEntry("ticketId", "none");
    SubjectNotification told = single(out.notifications());
    assertThat(told.getTopic()).isEqualTo("factor.removed");
    // Never on the number the refused factor may have put in someone else's hands.
    assertThat(told.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.PUSH);
    assertThat(alice.state.getFactors()).extracting(f -> f.getAuthenticatorId() + ":" + f.getActive())
        .containsExactly("key-1:true", "sms-1:false");
  }

  @Test
  void anOtpAppOnAPrivilegedAccountAddedAfterEnrollmentIsRevokedCitingThePrivilegedAccountRule() {
    enrolled(true);

    var out = alice.fact(bound("alice", "f-1", "otp-1", FactorType.OTP_APP, null, LATER).build(), LATER);

    assertThat(single(out.commands()).getPolicyRef()).isEqualTo(PolicyRefs.OWASP_MFA_PRIVILEGED);
    assertThat(single(out.audits()).getSeverity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aFactorPolicyAllowsAddedWithoutATicketStandsAndTheSubjectIsToldOnAnIndependentChannel() {
    enrolled(false);

    var out = alice.fact(bound("alice", "f-1", "push-1", FactorType.PUSH_NUMBER_MATCHING, null, LATER)
        .setDeviceId("phone-1").build(), LATER);

    assertThat(out.commands()).isEmpty();
    SubjectNotification told = single(out.notifications());
    assertThat(told.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(told.getTopic()).isEqualTo("factor.bound");
    assertThat(told.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.SMS);
    assertThat(told.getNotMeRef()).isNotBlank();
    assertThat(out.auditActions()).containsExactly("binding.accepted", "enrollment.second.factor.bound");
    AuditEvent.Builder accepted = out.audits().get(0);
    assertThat(accepted.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
    assertThat(accepted.getDetails()).containsEntry("ticketId", "none").containsEntry("deviceId", "phone-1")
        .containsEntry("notificationId", told.getEventId()).containsEntry("notificationChannels", "WORK_EMAIL,SMS");
    assertThat(alice.state.getFactors()).extracting(f -> f.getAuthenticatorId() + ":" + f.getActive())
        .containsExactly("key-1:true", "push-1:true");
  }

  @Test
  void theSameAcceptedBindingReportedAgainChangesNothing() {
    enrolled(false);
    alice.fact(bound("alice", "f-1", "otp-1", FactorType.OTP_APP, null, LATER).build(), LATER);

    assertThat(alice.fact(bound("alice", "f-1-again", "otp-1", FactorType.OTP_APP, null, LATER).build(), LATER)
        .isEmpty()).isTrue();
  }

  @Test
  void aBindingUnderAnotherIssuersTicketIsCountedButDecidedByItsIssuer() {
    enrolled(false);
    String rebind = TicketIds.derive(TicketPurpose.REBIND, "mover-worker", "hr-2", "ticket", "REBIND");
    String recovery = TicketIds.derive(TicketPurpose.RECOVERY, "recovery-worker", "req-1", "recovery-ticket");

    var underRebind = alice.fact(bound("alice", "f-1", "sms-1", FactorType.SMS, rebind, LATER).build(), LATER);
    var underRecovery = alice.fact(bound("alice", "f-2", "otp-1", FactorType.OTP_APP, recovery, LATER).build(), LATER);

    // Not the joiner's to revoke or announce, even a type policy refuses: the mover decides on its ticket.
    assertThat(underRebind.commands()).isEmpty();
    assertThat(underRebind.notifications()).isEmpty();
    assertThat(underRecovery.commands()).isEmpty();
    assertThat(underRecovery.notifications()).isEmpty();
    assertThat(underRebind.auditActions()).containsExactly("enrollment.second.factor.bound");
    assertThat(alice.state.getFactors()).extracting(f -> f.getAuthenticatorId() + ":" + f.getActive())
        .containsExactly("key-1:true", "sms-1:true", "otp-1:true");
  }
}
