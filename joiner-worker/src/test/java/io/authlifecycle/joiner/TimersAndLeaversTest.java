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
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimersAndLeaversTest {

  private static final Instant EXPIRES = T0.plus(Duration.ofHours(1));

  private final Machine alice = new Machine();
  private String ticket;

  private void verifiedJoiner() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    ticket = alice.ticketId("hr-1");
  }

  @Test
  void eachReminderBeforeExpiryTellsTheSubjectOnceWithItsOwnId() {
    verifiedJoiner();

    var first = alice.fire("ticket.reminder.0");
    var second = alice.fire("ticket.reminder.1");

    SubjectNotification expected = SubjectNotification.newBuilder()
        .setEventId(Ids.derive("joiner-worker", ticket, "ticket.reminder.0"))
        .setEventTime(Instant.parse("2026-11-02T09:30:00Z")).setSubjectId("alice").setRecipient(RecipientRole.SUBJECT)
        .setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH)).setTopic("enrollment.ticket.reminder")
        .setMessage("Your enrollment ticket expires at 2026-11-02T10:00:00Z. Use it through IDP_PORTAL to set up "
            + "your sign-in before then.")
        .setCausationId("hr-1").setCorrelationId("joiner:alice:hr-1").setSentBy("joiner-worker").build();
    assertThat(first.notifications()).containsExactly(expected);
    assertThat(single(second.notifications()).getEventId()).isNotEqualTo(expected.getEventId());
    AuditEvent.Builder audit = single(first.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.ticket.reminder");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.NOTIFIED);
    assertThat(audit.getDetails()).containsEntry("before", "PT30M").containsEntry("ticketId", ticket);
    assertThat(first.commands()).isEmpty();
    assertThat(first.state()).isEmpty();
  }

  @Test
  void aReminderForATicketAlreadyUsedDoesNothing() {
    verifiedJoiner();
    TimerEntry stale = alice.timer("ticket.reminder.0");
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, T0.plusSeconds(60)).build(), T0);

    assertThat(alice.decisions.onTimer(alice.state, stale, stale.getDueAt()).isEmpty()).isTrue();
  }

  @Test
  void anUnusedTicketIsInvalidatedAtExpiryAuditedAndEscalatedToTheManager() {
    verifiedJoiner();

    var out = alice.fire("ticket.expiry");

    AuthenticatorCommand expected = AuthenticatorCommand.newBuilder()
        .setCommandId(Ids.derive("joiner-worker", "hr-1", "INVALIDATE_TICKET", ticket))
        .setEventTime(EXPIRES).setCausationId("hr-1").setCausationTime(EXPIRES).setCorrelationId("joiner:alice:hr-1")
        .setSubjectId("alice").setAction(CommandAction.INVALIDATE_TICKET)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticket).setPurpose(TicketPurpose.ONBOARDING)
            .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD,
                FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING, FactorType.OTP_APP))
            .setNotBefore(T0).setExpiresAt(EXPIRES).setSingleUse(true).setDeliveryChannel(Channel.IDP_PORTAL).build())
        .setReason("onboarding ticket expired unused").setPolicyRef(PolicyRefs.INVALIDATION)
        .setIssuedBy("joiner-worker").build();
    assertThat(out.commands()).containsExactly(expected);
    SubjectNotification escalation = single(out.notifications());
    assertThat(escalation.getRecipient()).isEqualTo(RecipientRole.MANAGER);
    assertThat(escalation.getRecipientId()).isEqualTo("mgr-1");
    assertThat(escalation.getTopic()).isEqualTo("enrollment.ticket.expired");
    assertThat(escalation.getMessage()).isEqualTo("The enrollment ticket of alice expired unused at "
        + "2026-11-02T10:00:00Z. A new ticket needs a new identity verification event.");
    assertThat(out.audits()).extracting(AuditEvent.Builder::getAction)
        .containsExactly("enrollment.ticket.expired", "enrollment.escalated");
    AuditEvent.Builder expired = out.audits().get(0);
    assertThat(expired.getOutcome()).isEqualTo(AuditOutcome.EXPIRED);
    assertThat(expired.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(expired.getCommandIds()).containsExactly(expected.getCommandId());
    assertThat(out.audits().get(1).getOutcome()).isEqualTo(AuditOutcome.ESCALATED);
    assertThat(out.audits().get(1).getDetails()).containsEntry("notificationId", escalation.getEventId());
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_EXPIRED);
    assertThat(alice.state.getTickets().get(0).getStatus()).isEqualTo(JoinerTicketStatus.EXPIRED);
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void afterExpiryOnlyANewVerificationEventGetsANewTicket() {
    alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL2)).build(), T0);
    alice.fire("ticket.expiry");
    Instant later = T0.plus(Duration.ofDays(1));

    var sameVerification = alice.hr(joiner("alice", "hr-2", later)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL2)).build(), later);
    var newVerification = alice.hr(joiner("alice", "hr-3", later)
        .setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL2)).build(), later);

    assertThat(sameVerification.commands()).isEmpty();
    assertThat(single(sameVerification.audits()).getReason()).isEqualTo("VERIFICATION_ALREADY_USED");
    assertThat(sameVerification.notifications()).extracting(SubjectNotification::getRecipient)
        .containsExactly(RecipientRole.MANAGER, RecipientRole.HELP_DESK);
    assertThat(single(newVerification.commands()).getTicket().getTicketId()).isEqualTo(alice.ticketId("hr-3"));
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
  }

  @Test
  void aSubjectWithExactlyOneFactorIsRemindedToBindASecondAfterTheConfiguredPeriod() {
    verifiedJoiner();
    Instant bindAt = T0.plus(Duration.ofMinutes(5));
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, bindAt).build(), bindAt);
    assertThat(alice.timer("factor.second.reminder").getDueAt()).isEqualTo(bindAt.plus(Duration.ofDays(7)));

    var out = alice.fire("factor.second.reminder");

    SubjectNotification notice = single(out.notifications());
    assertThat(notice.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(notice.getTopic()).isEqualTo("factor.second.reminder");
    assertThat(notice.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.PUSH);
    assertThat(notice.getCausationId()).isEqualTo("f-1");
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.second.factor.reminder");
    assertThat(audit.getPolicyRef()).isEqualTo("NIST SP 800-63B-4 4.1.2.1");
    assertThat(audit.getDetails()).containsEntry("activeFactors", "1").containsEntry("after", "PT168H");
    assertThat(alice.state.getSecondFactorReminderAt()).isNull();
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void theSecondFactorPeriodIsConfigurable() {
    Machine quick = new Machine(Map.of("joiner.ticket.reminder-offsets", "", "joiner.second-factor.reminder-after", "2d"));
    quick.hr(joiner("alice", "hr-1", T0).build(), T0);

    quick.fact(bound("alice", "f-1", "a-1", FactorType.OTP_APP, quick.ticketId("hr-1"), T0).build(), T0);

    assertThat(quick.timer("factor.second.reminder").getDueAt()).isEqualTo(T0.plus(Duration.ofDays(2)));
  }

  @Test
  void aSecondFactorReminderThatComesDueWithTwoFactorsSaysNothing() {
    verifiedJoiner();
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, T0).build(), T0);
    TimerEntry due = alice.timer("factor.second.reminder");
    alice.fact(bound("alice", "f-2", "a-2", FactorType.OTP_APP, null, T0).build(), T0);

    var out = alice.decisions.onTimer(alice.state, due, due.getDueAt());

    assertThat(out.notifications()).isEmpty();
    assertThat(out.audits()).isEmpty();
  }

  @Test
  void anEffectiveLeaverClosesTheCaseSoNoReminderOrEscalationFollows() {
    verifiedJoiner();
    Instant left = T0.plus(Duration.ofMinutes(10));

    var out = alice.hr(leaver("alice", "hr-9", left).build(), left);

    assertThat(out.commands()).isEmpty();
    List<String> closing = new ArrayList<>(Machine.TICKET_TIMERS);
    closing.addAll(List.of("factor.second.reminder", "leaver.effective"));
    assertThat(out.cancelled()).containsExactlyElementsOf(closing);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.case.closed");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.CANCELLED);
    assertThat(audit.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("previousPhase", "TICKET_OPEN",
        "openTicketId", ticket));
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void aBindingThroughTheTicketOfAClosedCaseIsRevoked() {
    verifiedJoiner();
    alice.hr(leaver("alice", "hr-9", T0).build(), T0);

    var out = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, T0).build(), T0);

    assertThat(single(out.commands()).getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
    assertThat(single(out.audits()).getReason()).isEqualTo("TICKET_SUPERSEDED");
  }

  @Test
  void aFutureDatedLeaverClosesTheCaseWhenItBecomesEffective() {
    verifiedJoiner();
    Instant effective = T0.plus(Duration.ofDays(30));

    var scheduled = alice.hr(leaver("alice", "hr-9", T0).setImmediate(false).setEffectiveTime(effective).build(), T0);

    assertThat(scheduled.audits()).isEmpty();
    assertThat(alice.timer("leaver.effective").getDueAt()).isEqualTo(effective);
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);

    var closed = alice.fire("leaver.effective");

    AuditEvent.Builder audit = single(closed.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.case.closed");
    assertThat(audit.getCausationId()).isEqualTo("hr-9");
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(alice.timers).isEmpty();
    Instant after = effective.plus(Duration.ofDays(1));
    assertThat(single(alice.hr(joiner("alice", "hr-10", after).build(), after).audits()).getReason())
        .isEqualTo("SUBJECT_TERMINATED");
  }

  @Test
  void aCancelledOrRehiredFutureLeaverNeverClosesTheCase() {
    verifiedJoiner();
    alice.hr(leaver("alice", "hr-9", T0).setImmediate(false).setEffectiveTime(T0.plus(Duration.ofDays(30))).build(), T0);

    var cancelled = alice.hr(leaver("alice", "hr-10", T0)
        .setType(io.authlifecycle.avro.WorkerEventType.LEAVER_CANCELLED).build(), T0);

    assertThat(cancelled.cancelled()).containsExactly("leaver.effective");
    assertThat(alice.timers).doesNotContainKey("leaver.effective");

    alice.hr(leaver("alice", "hr-11", T0).setImmediate(false).setEffectiveTime(T0.plus(Duration.ofDays(40))).build(), T0);
    alice.hr(joiner("alice", "hr-12", T0).setType(io.authlifecycle.avro.WorkerEventType.REHIRE).build(), T0);

    assertThat(alice.timers).doesNotContainKey("leaver.effective");
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
  }

  @Test
  void aSecondFutureLeaverMovesTheClosingToItsTime() {
    verifiedJoiner();
    alice.hr(leaver("alice", "hr-9", T0).setImmediate(false).setEffectiveTime(T0.plus(Duration.ofDays(30))).build(), T0);

    alice.hr(leaver("alice", "hr-10", T0).setImmediate(false).setEffectiveTime(T0.plus(Duration.ofDays(10))).build(), T0);

    assertThat(alice.timer("leaver.effective").getDueAt()).isEqualTo(T0.plus(Duration.ofDays(10)));
    assertThat(alice.timer("leaver.effective").getCausationId()).isEqualTo("hr-10");
  }

  @Test
  void aJoinerForASubjectWhoHasLeftIsRefusedWithoutATicketOnlyARehireReopens() {
    verifiedJoiner();
    alice.hr(leaver("alice", "hr-9", T0).build(), T0);
    Instant later = T0.plus(Duration.ofDays(3));

    var out = alice.hr(joiner("alice", "hr-10", later).build(), later);

    assertThat(out.commands()).isEmpty();
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.refused");
    assertThat(audit.getReason()).isEqualTo("SUBJECT_TERMINATED");
    assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(audit.getPolicyRef()).isEqualTo(PolicyRefs.INVALIDATION);
    assertThat(single(out.notifications()).getRecipient()).isEqualTo(RecipientRole.HELP_DESK);
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void aLeaverForASubjectNeverSeenHereStillClosesTheDoorToALaterJoiner() {
    var left = alice.hr(leaver("alice", "hr-9", T0).build(), T0);

    assertThat(single(left.audits()).getAction()).isEqualTo("enrollment.case.closed");
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.CLOSED);

    var out = alice.hr(joiner("alice", "hr-10", T0.plus(Duration.ofHours(1))).build(), T0.plus(Duration.ofHours(1)));

    assertThat(out.commands()).isEmpty();
    assertThat(single(out.audits()).getReason()).isEqualTo("SUBJECT_TERMINATED");
  }

  @Test
  void aRehireAfterALeaverOpensANewCaseOnAFreshVerification() {
    verifiedJoiner();
    alice.hr(leaver("alice", "hr-9", T0).build(), T0);
    Instant back = T0.plus(Duration.ofDays(90));

    var out = alice.hr(joiner("alice", "hr-10", back).setType(io.authlifecycle.avro.WorkerEventType.REHIRE)
        .setIdentityVerification(io.authlifecycle.avro.IdentityVerification.newBuilder(
            verified("iv-hr-10", io.authlifecycle.avro.IdentityAssuranceLevel.IAL2)).setVerifiedAt(back.minus(
                Duration.ofDays(1))).build()).build(), back);

    assertThat(single(out.commands()).getAction()).isEqualTo(CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
  }

  @Test
  void timersForASubjectWithoutACaseOrOfAnUnknownKindDoNothing() {
    TimerEntry stray = TimerEntry.newBuilder().setOwner("ghost").setKind("ticket.expiry").setDueAt(T0)
        .setAttributes(Map.of("ticketId", "t")).build();
    verifiedJoiner();
    TimerEntry unknown = TimerEntry.newBuilder(stray).setOwner("alice").setKind("something.else").build();

    assertThat(alice.decisions.onTimer(null, stray, T0).isEmpty()).isTrue();
    assertThat(alice.decisions.onTimer(alice.state, unknown, T0).isEmpty()).isTrue();
  }
}
