package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.HireDecisionsTest.single;
import static io.authlifecycle.joiner.JoinerFixtures.T0;
import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static io.authlifecycle.joiner.JoinerFixtures.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.joiner.JoinerFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactDecisionsTest {

  private static final Instant BIND_AT = T0.plus(Duration.ofMinutes(5));

  private final Machine alice = new Machine();
  private String ticket;

  private void verifiedJoiner() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    ticket = alice.ticketId("hr-1");
  }

  @Test
  void aValidBindingConsumesTheTicketAndTellsTheSubjectOnAnIndependentChannel() {
    verifiedJoiner();

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    AuthenticatorCommand close = single(out.commands());
    assertThat(close.getAction()).isEqualTo(CommandAction.INVALIDATE_TICKET);
    assertThat(close.getTicket().getTicketId()).isEqualTo(ticket);
    assertThat(close.getTicket().getPurpose()).isEqualTo(TicketPurpose.ONBOARDING);
    assertThat(close.getCausationId()).isEqualTo("f-1");
    assertThat(close.getReason()).isEqualTo("onboarding ticket used by a-1");
    SubjectNotification expected = SubjectNotification.newBuilder()
        .setEventId(Ids.derive("joiner-worker", "f-1", "factor.bound", "SUBJECT")).setEventTime(BIND_AT)
        .setSubjectId("alice").setRecipient(RecipientRole.SUBJECT)
        .setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH)).setTopic("factor.bound")
        .setMessage("A HARDWARE_PASSKEY authenticator was added to your account at 2026-11-02T09:05:00Z. "
            + "If this wasn't you, use the 'this wasn't me' link at once.")
        .setNotMeRef(Ids.derive("joiner-worker", "f-1", "not-me"))
        .setCausationId("f-1").setCorrelationId("joiner:alice:hr-1").setSentBy("joiner-worker").build();
    assertThat(out.notifications()).containsExactly(expected);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.factor.bound");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
    assertThat(audit.getPolicyRef()).isEqualTo("NIST SP 800-63B-4 4.1.2.1");
    assertThat(audit.getAuthenticatorId()).isEqualTo("a-1");
    assertThat(audit.getFactorType()).isEqualTo(FactorType.HARDWARE_PASSKEY);
    assertThat(audit.getCommandIds()).containsExactly(close.getCommandId());
    assertThat(audit.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("ticketId", ticket,
        "ticketStatus", "CONSUMED", "deviceId", "none", "notificationId", expected.getEventId(),
        "notificationRecipient", "SUBJECT", "notificationChannels", "WORK_EMAIL,PUSH"));
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.ENROLLED);
    assertThat(alice.state.getTickets().get(0).getStatus()).isEqualTo(JoinerTicketStatus.CONSUMED);
    assertThat(alice.state.getTickets().get(0).getConsumedBy()).isEqualTo("a-1");
    assertThat(out.cancelled()).containsAll(Machine.TICKET_TIMERS);
    assertThat(alice.timers).containsOnlyKeys("factor.second.reminder");
  }

  @Test
  void aPushFactorOnTheSubjectsPhoneIsNotAnnouncedByPushToThatPhone() {
    verifiedJoiner();

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.PUSH_NUMBER_MATCHING, ticket, BIND_AT)
        .setDeviceId("phone-1").build(), BIND_AT);

    assertThat(single(out.notifications()).getChannels()).containsExactly(Channel.WORK_EMAIL);
  }

  @Test
  void withNoIndependentChannelTheManagerIsToldInstead() {
    alice.hr(joiner("alice", "hr-1", T0).setChannels(List.of(Channel.PUSH, Channel.IDP_PORTAL)).build(), T0);
    ticket = alice.ticketId("hr-1");

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.SYNCED_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    SubjectNotification notice = single(out.notifications());
    assertThat(notice.getRecipient()).isEqualTo(RecipientRole.MANAGER);
    assertThat(notice.getRecipientId()).isEqualTo("mgr-1");
    assertThat(notice.getChannels()).containsExactly(Channel.WORK_EMAIL);
  }

  @Test
  void aSecondBindingOnTheSameTicketIsRevokedAndAuditedAsReuse() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    Instant later = BIND_AT.plusSeconds(30);
    var out = alice.fact(bound("alice", "f-2", "a-2", FactorType.OTP_APP, ticket, later).build(), later);

    AuthenticatorCommand expected = AuthenticatorCommand.newBuilder()
        .setCommandId(Ids.derive("joiner-worker", "f-2", "REVOKE_AUTHENTICATOR", "a-2"))
        .setEventTime(later).setCausationId("f-2").setCausationTime(later).setCorrelationId("joiner:alice:hr-1")
        .setSubjectId("alice").setAction(CommandAction.REVOKE_AUTHENTICATOR).setAuthenticatorId("a-2")
        .setReason("ticket.reuse: TICKET_ALREADY_USED").setPolicyRef(PolicyRefs.BINDING_CODE)
        .setIssuedBy("joiner-worker").build();
    assertThat(out.commands()).containsExactly(expected);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("ticket.reuse");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(audit.getCommandIds()).containsExactly(expected.getCommandId());
    assertThat(audit.getDetails()).containsEntry("firstUsedBy", "a-1").containsEntry("ticketId", ticket);
    assertThat(out.notifications()).isEmpty();
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.ENROLLED);
    assertThat(alice.state.getFactors()).extracting(f -> f.getAuthenticatorId() + ":" + f.getActive())
        .containsExactly("a-1:true", "a-2:false");
  }

  @Test
  void theFirstBindingReportedAgainUnderANewEventIdChangesNothing() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    var again = alice.fact(bound("alice", "f-1-retry", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(),
        BIND_AT.plusSeconds(2));

    assertThat(again.isEmpty()).isTrue();
  }

  @Test
  void aBindingReusingTheIdOfALaterHrEventDoesNotSuppressIt() {
    verifiedJoiner();
    alice.fact(bound("alice", "hr-2", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    var leaver = alice.hr(JoinerFixtures.leaver("alice", "hr-2", BIND_AT).build(), BIND_AT);

    assertThat(leaver.auditActions()).containsExactly("enrollment.case.closed");
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(alice.state.getRecentEventIds()).endsWith("authn.authenticator-events.v1/hr-2", "hr.worker-events.v1/hr-2");
  }

  @Test
  void aDuplicateBindingEventChangesNothing() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    assertThat(alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT)
        .isEmpty()).isTrue();
  }

  @Test
  void aFactorTypeTheTicketDidNotAllowIsRevokedAndTheManagerToldANewVerificationIsNeeded() {
    verifiedJoiner();

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.SMS, ticket, BIND_AT).build(), BIND_AT);

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.INVALIDATE_TICKET);
    AuthenticatorCommand revoke = out.commands().get(0);
    assertThat(out.commands().get(1).getTicket().getTicketId()).isEqualTo(ticket);
    assertThat(revoke.getAuthenticatorId()).isEqualTo("a-1");
    assertThat(revoke.getPolicyRef()).isEqualTo(PolicyRefs.RESTRICTED_AUTHENTICATORS);
    assertThat(out.audits()).extracting(AuditEvent.Builder::getAction)
        .containsExactly("enrollment.policy.violation", "enrollment.escalated");
    AuditEvent.Builder violation = out.audits().get(0);
    assertThat(violation.getReason()).isEqualTo("FACTOR_TYPE_NOT_ALLOWED");
    assertThat(violation.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(violation.getFactorType()).isEqualTo(FactorType.SMS);
    assertThat(violation.getDetails()).containsEntry("allowedFactorTypes",
        "HARDWARE_PASSKEY,PIV_SMART_CARD,SYNCED_PASSKEY,PUSH_NUMBER_MATCHING,OTP_APP");
    SubjectNotification escalation = single(out.notifications());
    assertThat(escalation.getRecipient()).isEqualTo(RecipientRole.MANAGER);
    assertThat(escalation.getTopic()).isEqualTo("enrollment.policy.violation");
    assertThat(out.audits().get(1).getDetails()).containsEntry("notificationId", escalation.getEventId());
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.POLICY_VIOLATION);
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void aTicketSpentOnAForbiddenTypeCannotBeUsedAgain() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.SMS, ticket, BIND_AT).build(), BIND_AT);

    var out = alice.fact(bound("alice", "f-2", "a-2", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);

    assertThat(single(out.audits()).getAction()).isEqualTo("ticket.reuse");
    assertThat(single(out.commands()).getAuthenticatorId()).isEqualTo("a-2");
  }

  @Test
  void aPrivilegedSubjectBindingAnOtpAppIsRevokedCitingThePrivilegedAccountRule() {
    Machine root = new Machine();
    root.hr(joiner("root", "hr-1", T0).setPrivileged(true)
        .setIdentityVerification(JoinerFixtures.verified("iv-1", IdentityAssuranceLevel.IAL3)).build(), T0);

    var out = root.fact(bound("root", "f-1", "a-1", FactorType.OTP_APP, root.ticketId("hr-1"), BIND_AT)
        .build(), BIND_AT);

    assertThat(out.commands().get(0).getPolicyRef()).isEqualTo(PolicyRefs.OWASP_MFA_PRIVILEGED);
    assertThat(out.audits().get(0).getReason()).isEqualTo("FACTOR_TYPE_NOT_ALLOWED");
  }

  @Test
  void aBindingBeforeTheTicketsNotBeforeIsRevoked() {
    alice.hr(joiner("alice", "hr-1", T0).setEffectiveTime(T0.plus(Duration.ofDays(3))).build(), T0);

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, alice.ticketId("hr-1"),
        BIND_AT).build(), BIND_AT);

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.INVALIDATE_TICKET);
    assertThat(out.audits().get(0).getReason()).isEqualTo("TICKET_NOT_YET_VALID");
  }

  @Test
  void aBindingAfterExpiryButBeforeTheExpiryTimerFiredIsRevoked() {
    verifiedJoiner();
    Instant late = T0.plus(Duration.ofHours(1));

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, late).build(), late);

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.INVALIDATE_TICKET);
    assertThat(out.audits().get(0).getReason()).isEqualTo("TICKET_EXPIRED");
  }

  @Test
  void aBindingThroughAnExpiredTicketIsRevokedWithoutASecondEscalation() {
    verifiedJoiner();
    alice.fire("ticket.expiry");
    Instant late = T0.plus(Duration.ofHours(2));

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, late).build(), late);

    assertThat(single(out.commands()).getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.policy.violation");
    assertThat(audit.getReason()).isEqualTo("TICKET_EXPIRED");
    assertThat(out.notifications()).isEmpty();
  }

  @Test
  void aBindingWithoutATicketWhileOnboardingIsRevoked() {
    verifiedJoiner();

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, null, BIND_AT).build(), BIND_AT);

    AuthenticatorCommand revoke = single(out.commands());
    assertThat(revoke.getAuthenticatorId()).isEqualTo("a-1");
    assertThat(revoke.getPolicyRef()).isEqualTo(PolicyRefs.BINDING);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.binding.without.ticket");
    assertThat(audit.getReason()).isEqualTo("NO_TICKET");
    assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(audit.getDetails()).containsEntry("phase", "TICKET_OPEN");
    assertThat(alice.state.getTickets().get(0).getStatus()).isEqualTo(JoinerTicketStatus.OPEN);
  }

  @Test
  void aBindingWhileStillAwaitingVerificationIsRevoked() {
    alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(null).build(), T0);

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.OTP_APP, null, BIND_AT).build(), BIND_AT);

    assertThat(single(out.commands()).getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
    assertThat(single(out.audits()).getDetails()).containsEntry("phase", "AWAITING_VERIFICATION");
  }

  @Test
  void aBindingCitingATicketThisWorkerNeverIssuedIsRevokedWhileOnboarding() {
    verifiedJoiner();

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, "someone-elses", BIND_AT).build(),
        BIND_AT);

    assertThat(single(out.audits()).getReason()).isEqualTo("TICKET_NOT_ISSUED_BY_JOINER");
    assertThat(single(out.commands()).getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
  }

  @Test
  void aHumanFactorBoundToAServiceIdentityIsRevoked() {
    alice.hr(joiner("svc", "hr-1", T0).setIdentityType(IdentityType.SERVICE).build(), T0);

    var out = alice.fact(bound("svc", "f-1", "a-1", FactorType.OTP_APP, null, BIND_AT).build(), BIND_AT);

    assertThat(single(out.commands()).getPolicyRef()).isEqualTo(PolicyRefs.NHI_WORKLOAD_IDENTITY);
    assertThat(single(out.audits()).getAction()).isEqualTo("nhi.human.mfa.refused");
  }

  @Test
  void factsAboutSubjectsThisWorkerNeverOnboardedAreNotItsToDecide() {
    var out = alice.fact(bound("bob", "f-1", "a-1", FactorType.SMS, null, BIND_AT).build(), BIND_AT);

    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void usageFactsChangeNothing() {
    verifiedJoiner();

    var out = alice.fact(AuthenticatorUsed.newBuilder().setEventId("u-1").setEventTime(BIND_AT).setSubjectId("alice")
        .setAuthenticatorId("a-1").setFactorType(FactorType.OTP_APP).build(), BIND_AT);

    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void aSecondFactorAddedAfterEnrollmentIsRecordedAndEndsTheReminder() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);
    Instant next = BIND_AT.plus(Duration.ofDays(1));

    var out = alice.fact(bound("alice", "f-2", "a-2", FactorType.OTP_APP, null, next).build(), next);

    assertThat(out.commands()).isEmpty();
    assertThat(out.cancelled()).containsExactly("factor.second.reminder");
    assertThat(out.auditActions()).containsExactly("binding.accepted", "enrollment.second.factor.bound");
    assertThat(out.audits().get(1).getDetails()).containsEntry("activeFactors", "2");
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void losingTheSecondFactorBringsTheReminderBack() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, BIND_AT).build(), BIND_AT);
    alice.fact(bound("alice", "f-2", "a-2", FactorType.OTP_APP, null, BIND_AT).build(), BIND_AT);
    Instant later = BIND_AT.plus(Duration.ofDays(2));

    var out = alice.fact(revoked("alice", "f-3", "a-2", later), later);

    assertThat(out.audits()).isEmpty();
    assertThat(alice.timer("factor.second.reminder").getDueAt()).isEqualTo(later.plus(Duration.ofDays(7)));
  }
}
