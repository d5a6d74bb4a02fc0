package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.JoinerFixtures.T0;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
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
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.JoinerTicketStatus;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HireDecisionsTest {

  private final Machine alice = new Machine();

  @Test
  void issuesOneOnboardingTicketLimitedToWhatPolicyAllowsForAVerifiedJoiner() {
    var out = alice.hr(joiner("alice", "hr-1", T0).build(), T0);

    // The id names its purpose, so any worker can tell whose binding a ticket's use is.
    String ticketId = "onboarding-" + Ids.derive("joiner-worker", "hr-1", "enrollment-ticket", "ONBOARDING");
    AuthenticatorCommand expected = AuthenticatorCommand.newBuilder()
        .setCommandId(Ids.derive("joiner-worker", "hr-1", "ISSUE_ENROLLMENT_TICKET", "ONBOARDING"))
        .setEventTime(T0).setCausationId("hr-1").setCausationTime(T0).setCorrelationId("joiner:alice:hr-1")
        .setSubjectId("alice").setAction(CommandAction.ISSUE_ENROLLMENT_TICKET)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(TicketPurpose.ONBOARDING)
            .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD,
                FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING, FactorType.OTP_APP))
            .setNotBefore(T0).setExpiresAt(T0.plus(Duration.ofHours(1))).setSingleUse(true)
            .setDeliveryChannel(Channel.IDP_PORTAL).build())
        .setReason("JOINER with identity verified at IAL2 by IN_PERSON_PROOFING")
        .setPolicyRef("NIST SP 800-63B-4 4.1.2.1").setIssuedBy("joiner-worker").build();
    assertThat(out.commands()).containsExactly(expected);
    assertThat(out.notifications()).isEmpty();
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.ticket.issued");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REQUESTED);
    assertThat(audit.getSeverity()).isEqualTo(Severity.INFO);
    assertThat(audit.getPolicyRef()).isEqualTo("NIST SP 800-63B-4 4.1.2.1");
    assertThat(audit.getControlRefs()).containsExactly("NIST CSF 2.0 PR.AA-02");
    assertThat(audit.getCausationId()).isEqualTo("hr-1");
    assertThat(audit.getCorrelationId()).isEqualTo("joiner:alice:hr-1");
    assertThat(audit.getCommandIds()).containsExactly(expected.getCommandId());
    assertThat(audit.getDetails()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("ticketId", ticketId), Map.entry("purpose", "ONBOARDING"),
        Map.entry("allowedFactorTypes", "HARDWARE_PASSKEY,PIV_SMART_CARD,SYNCED_PASSKEY,PUSH_NUMBER_MATCHING,OTP_APP"),
        Map.entry("notBefore", "2026-11-02T09:00:00Z"), Map.entry("expiresAt", "2026-11-02T10:00:00Z"),
        Map.entry("singleUse", "true"), Map.entry("deliveryChannel", "IDP_PORTAL"),
        Map.entry("verificationId", "iv-hr-1"), Map.entry("verificationMethod", "IN_PERSON_PROOFING"),
        Map.entry("verificationLevel", "IAL2"), Map.entry("requiredIdentityLevel", "IAL2"),
        Map.entry("requiredAssuranceLevel", "AAL2")));
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
    assertThat(alice.state.getUsedVerificationIds()).containsExactly("iv-hr-1");
  }

  @Test
  void schedulesARemindersAtEachOffsetBeforeExpiryAndTheExpiryItself() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);

    String ticketId = alice.ticketId("hr-1");
    assertThat(alice.timers).containsOnlyKeys("ticket.reminder.0", "ticket.reminder.1", "ticket.expiry");
    assertThat(alice.timer("ticket.reminder.0")).isEqualTo(TimerEntry.newBuilder().setOwner("alice")
        .setKind("ticket.reminder.0").setDueAt(Instant.parse("2026-11-02T09:30:00Z")).setCausationId("hr-1")
        .setCorrelationId("joiner:alice:hr-1").setAttributes(Map.of("ticketId", ticketId, "before", "PT30M")).build());
    assertThat(alice.timer("ticket.reminder.1").getDueAt()).isEqualTo(Instant.parse("2026-11-02T09:50:00Z"));
    assertThat(alice.timer("ticket.expiry").getDueAt()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
  }

  @Test
  void aTicketForAFutureHireIsNotValidBeforeTheHireDate() {
    Instant hire = T0.plus(Duration.ofDays(3));

    var out = alice.hr(joiner("alice", "hr-1", T0).setEffectiveTime(hire).build(), T0);

    EnrollmentTicket ticket = single(out.commands()).getTicket();
    assertThat(ticket.getNotBefore()).isEqualTo(hire);
    assertThat(ticket.getExpiresAt()).isEqualTo(hire.plus(Duration.ofHours(1)));
    assertThat(alice.timer("ticket.expiry").getDueAt()).isEqualTo(hire.plus(Duration.ofHours(1)));
  }

  @Test
  void aTicketForAHireDateAlreadyPassedIsValidFromNow() {
    var out = alice.hr(joiner("alice", "hr-1", T0).setEffectiveTime(T0.minus(Duration.ofDays(2))).build(), T0);

    assertThat(single(out.commands()).getTicket().getNotBefore()).isEqualTo(T0);
  }

  @Test
  void theConfiguredLifetimeAndDeliveryChannelShapeTheTicket() {
    Machine custom = new Machine(Map.of("joiner.ticket.lifetime", "8h", "joiner.ticket.delivery-channel", "IN_PERSON",
        "joiner.ticket.reminder-offsets", "1h"));

    EnrollmentTicket ticket = single(custom.hr(joiner("alice", "hr-1", T0).build(), T0).commands()).getTicket();

    assertThat(ticket.getExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(8)));
    assertThat(ticket.getDeliveryChannel()).isEqualTo(Channel.IN_PERSON);
    assertThat(custom.timers).containsOnlyKeys("ticket.reminder.0", "ticket.expiry");
  }

  @Test
  void theSameHrEventAlwaysYieldsTheSameTicketAndCommandIds() {
    Machine replay = new Machine();

    AuthenticatorCommand first = single(alice.hr(joiner("alice", "hr-1", T0).build(), T0).commands());
    AuthenticatorCommand again = single(replay.hr(joiner("alice", "hr-1", T0).build(), T0.plusSeconds(5)).commands());
    AuthenticatorCommand other = single(new Machine().hr(joiner("alice", "hr-2", T0).build(), T0).commands());

    assertThat(again.getCommandId()).isEqualTo(first.getCommandId());
    assertThat(again.getTicket().getTicketId()).isEqualTo(first.getTicket().getTicketId());
    assertThat(other.getTicket().getTicketId()).isNotEqualTo(first.getTicket().getTicketId());
  }

  @Test
  void aRehireWithAFreshVerificationGetsATicketToo() {
    var out = alice.hr(joiner("alice", "hr-9", T0).setType(WorkerEventType.REHIRE).build(), T0);

    assertThat(single(out.commands()).getReason()).isEqualTo("REHIRE with identity verified at IAL2 by IN_PERSON_PROOFING");
  }

  @Test
  void refusesAJoinerWithoutVerificationAndAsksManagerAndHelpDeskForProofing() {
    var out = alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(null).build(), T0);

    assertThat(out.commands()).isEmpty();
    String message = "No enrollment ticket for alice (IDENTITY_NOT_VERIFIED): arrange in-person or remote identity "
        + "proofing at IAL2 or above; a ticket follows a new verification event.";
    SubjectNotification toManager = SubjectNotification.newBuilder()
        .setEventId(Ids.derive("joiner-worker", "hr-1", "enrollment.proofing.required", "MANAGER"))
        .setEventTime(T0).setSubjectId("alice").setRecipient(RecipientRole.MANAGER).setRecipientId("mgr-1")
        .setChannels(List.of(Channel.WORK_EMAIL)).setTopic("enrollment.proofing.required").setMessage(message)
        .setCausationId("hr-1").setCorrelationId("joiner:alice:hr-1").setSentBy("joiner-worker").build();
    SubjectNotification toHelpDesk = SubjectNotification.newBuilder(toManager)
        .setEventId(Ids.derive("joiner-worker", "hr-1", "enrollment.proofing.required", "HELP_DESK"))
        .setRecipient(RecipientRole.HELP_DESK).setRecipientId(null).setChannels(List.of(Channel.HELP_DESK)).build();
    assertThat(out.notifications()).containsExactly(toManager, toHelpDesk);
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.refused");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(audit.getReason()).isEqualTo("IDENTITY_NOT_VERIFIED");
    assertThat(audit.getPolicyRef()).isEqualTo(PolicyRefs.BINDING);
    assertThat(audit.getControlRefs()).containsExactly(PolicyRefs.CSF_PROOFED_AND_BOUND);
    assertThat(audit.getDetails()).containsEntry("verificationId", "none")
        .containsEntry("notificationIds", toManager.getEventId() + "," + toHelpDesk.getEventId());
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.AWAITING_VERIFICATION);
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void aVerificationOfMethodNoneCountsAsNoVerification() {
    IdentityVerification none = IdentityVerification.newBuilder(verified("iv-1", IdentityAssuranceLevel.IAL3))
        .setMethod(VerificationMethod.NONE).build();

    var out = alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(none).build(), T0);

    assertThat(out.commands()).isEmpty();
    assertThat(single(out.audits()).getReason()).isEqualTo("IDENTITY_NOT_VERIFIED");
  }

  @Test
  void refusesAVerificationBelowTheLevelTheSubjectNeeds() {
    Machine admin = new Machine();

    var weakStandard = alice.hr(joiner("alice", "hr-1", T0)
        .setIdentityVerification(verified("iv-1", IdentityAssuranceLevel.IAL1)).build(), T0);
    var weakPrivileged = admin.hr(joiner("root", "hr-2", T0).setPrivileged(true)
        .setIdentityVerification(verified("iv-2", IdentityAssuranceLevel.IAL2)).build(), T0);

    assertThat(weakStandard.commands()).isEmpty();
    assertThat(single(weakStandard.audits()).getReason()).isEqualTo("VERIFICATION_TOO_WEAK");
    assertThat(weakPrivileged.commands()).isEmpty();
    assertThat(single(weakPrivileged.audits()).getReason()).isEqualTo("VERIFICATION_TOO_WEAK");
    assertThat(single(weakPrivileged.audits()).getDetails()).containsEntry("requiredIdentityLevel", "IAL3");
  }

  @Test
  void withoutAManagerOnlyTheHelpDeskIsAskedForProofing() {
    var out = alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(null).setManagerId(null).build(), T0);

    assertThat(out.notifications()).extracting(SubjectNotification::getRecipient).containsExactly(RecipientRole.HELP_DESK);
  }

  @Test
  void aServiceIdentityIsRefusedHumanMfaAndPointedToWorkloadIdentity() {
    var out = alice.hr(joiner("svc-build", "hr-1", T0).setIdentityType(IdentityType.SERVICE).build(), T0);

    assertThat(out.commands()).isEmpty();
    assertThat(out.notifications()).isEmpty();
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("nhi.human.mfa.refused");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(audit.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(audit.getReason()).isEqualTo("SERVICE_IDENTITY");
    assertThat(audit.getPolicyRef()).isEqualTo("OWASP NHI4:2025 Insecure Authentication");
    assertThat(audit.getDetails()).containsEntry("identityType", "SERVICE")
        .containsEntry("guidance", "use workload identity with short-lived credentials, not human MFA");
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.NON_HUMAN);
  }

  @Test
  void anIdentityOfUnknownTypeIsNotTreatedAsAVerifiedHumanEvenWithAVerification() {
    var out = alice.hr(joiner("x-1", "hr-1", T0).setIdentityType(IdentityType.UNKNOWN).build(), T0);

    assertThat(out.commands()).isEmpty();
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("nhi.human.mfa.refused");
    assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(audit.getReason()).isEqualTo("IDENTITY_TYPE_UNKNOWN");
    assertThat(single(out.notifications()).getRecipient()).isEqualTo(RecipientRole.MANAGER);
  }

  @Test
  void aServiceIdentityRecordClosesATicketOpenedWhenHrCalledItHuman() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);

    var out = alice.hr(joiner("alice", "hr-2", T0).setIdentityType(IdentityType.SERVICE).build(), T0);

    AuthenticatorCommand invalidate = single(out.commands());
    assertThat(invalidate.getAction()).isEqualTo(CommandAction.INVALIDATE_TICKET);
    assertThat(invalidate.getTicket().getTicketId()).isEqualTo(alice.ticketId("hr-1"));
    assertThat(single(out.audits()).getCommandIds()).containsExactly(invalidate.getCommandId());
    assertThat(alice.timers).isEmpty();
  }

  @Test
  void aRepeatedJoinerCarryingTheSameVerificationDoesNotIssueASecondTicket() {
    IdentityVerification once = verified("iv-7", IdentityAssuranceLevel.IAL2);
    alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(once).build(), T0);

    var out = alice.hr(joiner("alice", "hr-2", T0).setIdentityVerification(once).build(), T0.plusSeconds(60));

    assertThat(out.commands()).isEmpty();
    AuditEvent.Builder audit = single(out.audits());
    assertThat(audit.getAction()).isEqualTo("enrollment.refused");
    assertThat(audit.getReason()).isEqualTo("VERIFICATION_ALREADY_USED");
    assertThat(audit.getDetails()).containsEntry("openTicketId", alice.ticketId("hr-1"));
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
    assertThat(alice.timers).containsKey("ticket.expiry");
  }

  @Test
  void aFreshVerificationReplacesTheOpenTicket() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    Instant later = T0.plus(Duration.ofMinutes(20));

    var out = alice.hr(joiner("alice", "hr-2", later).build(), later);

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET, CommandAction.ISSUE_ENROLLMENT_TICKET);
    AuthenticatorCommand invalidate = out.commands().get(0);
    assertThat(invalidate.getTicket().getTicketId()).isEqualTo(alice.ticketId("hr-1"));
    assertThat(invalidate.getCausationId()).isEqualTo("hr-2");
    assertThat(invalidate.getPolicyRef()).isEqualTo(PolicyRefs.INVALIDATION);
    assertThat(out.audits()).extracting(AuditEvent.Builder::getAction)
        .containsExactly("enrollment.ticket.superseded", "enrollment.ticket.issued");
    assertThat(out.cancelled()).containsExactlyElementsOf(Machine.TICKET_TIMERS);
    assertThat(alice.timer("ticket.expiry").getDueAt()).isEqualTo(later.plus(Duration.ofHours(1)));
    assertThat(alice.state.getTickets()).extracting(t -> t.getStatus())
        .containsExactly(JoinerTicketStatus.SUPERSEDED, JoinerTicketStatus.OPEN);
  }

  @Test
  void aDuplicateHrEventChangesNothingAndEmitsNothing() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);

    var again = alice.hr(joiner("alice", "hr-1", T0).build(), T0.plusSeconds(1));

    assertThat(again.isEmpty()).isTrue();
  }

  @Test
  void aDuplicateRefusedJoinerIsNotRefusedTwice() {
    alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(null).build(), T0);

    assertThat(alice.hr(joiner("alice", "hr-1", T0).setIdentityVerification(null).build(), T0).isEmpty()).isTrue();
  }

  @Test
  void aMoverIsNotTheJoinersToDecideButItsStandingFollowsTheMove() {
    alice.hr(joiner("alice", "hr-1", T0).build(), T0);

    var out = alice.hr(joiner("alice", "hr-2", T0).setType(WorkerEventType.MOVER).setRole("sre").build(), T0);

    assertThat(out.outputs()).isEmpty();
    assertThat(out.timers()).isEmpty();
    assertThat(alice.state.getStanding().getRole()).isEqualTo("sre");
    assertThat(alice.state.getRole()).isEqualTo("sre");
    assertThat(alice.state.getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
  }

  static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
