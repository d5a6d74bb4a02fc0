package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.hr;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.withVerification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

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
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Identity before assurance: a move into a role whose identity level the subject's latest
 * verification does not reach gets no REBIND ticket, but the joiner's path: manager and help desk
 * asked for proofing, the move audited as waiting, and the ticket issued when an HR event brings a
 * verification at that level.
 */
class IdentityGateTest extends RegistryFixture {

  private static final String MESSAGE = "No re-enrollment ticket yet for alice: the new role (admin) needs identity "
      + "verification at IAL3 or above, and the latest is IAL2. Arrange in-person or remote identity proofing; the "
      + "ticket follows an HR event carrying the new verification.";

  /** An engineer verified at IAL2 with an OTP app and an SMS number, moved into a privileged role. */
  private Decision<MoverSubject> moveIntoAdminOnAnIal2Verification() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(bound("alice", "a-sms", FactorType.SMS, null, null, T0));
    return on(mover("alice", "admin", true, "hr-move-1", later(Duration.ofHours(1))));
  }

  @Test
  void aMoveIntoARoleNeedingAHigherIdentityLevelGetsNoRebindTicketAndAsksForProofing() {
    Instant moveAt = T0.plus(Duration.ofHours(1));

    Decision<MoverSubject> move = moveIntoAdminOnAnIal2Verification();

    assertThat(move.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-sms"));
    SubjectNotification toManager = Decisions.notification(WORKER, "alice", RecipientRole.MANAGER,
        List.of(Channel.WORK_EMAIL), "enrollment.proofing.required", MESSAGE, "hr-move-1", "mover:alice:hr-move-1",
        moveAt).setRecipientId("mgr-1").build();
    SubjectNotification toHelpDesk = Decisions.notification(WORKER, "alice", RecipientRole.HELP_DESK,
        List.of(Channel.HELP_DESK), "enrollment.proofing.required", MESSAGE, "hr-move-1", "mover:alice:hr-move-1",
        moveAt).build();
    assertThat(move.notifications()).startsWith(toManager, toHelpDesk);
    assertThat(move.notifications().get(2).getTopic()).isEqualTo("factor.replacement-required");
    assertThat(move.notifications().get(2).getMessage()).contains("a new identity verification first");
    assertThat(move.auditActions()).containsExactly("mover.privilege.raised", "mover.level.raised",
        "mover.factor.revoke-requested", "mover.rebind.awaiting-verification", "mover.rebind.grace-scheduled",
        "mover.subject.notified");
    AuditEvent.Builder waiting = move.audits().get(3);
    assertThat(waiting.getOutcome()).isEqualTo(AuditOutcome.ESCALATED);
    assertThat(waiting.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(waiting.getPolicyRef()).isEqualTo(PolicyRefs.BINDING);
    assertThat(waiting.getControlRefs()).containsExactly(PolicyRefs.CSF_PROOFED_AND_BOUND);
    assertThat(waiting.getCausationId()).isEqualTo("hr-move-1");
    assertThat(waiting.getCorrelationId()).isEqualTo("mover:alice:hr-move-1");
    assertThat(waiting.getReason()).isEqualTo("identity before assurance: the REBIND ticket waits for a verification at IAL3");
    assertThat(waiting.getDetails()).isEqualTo(Map.of("requiredIdentityLevel", "IAL3", "verifiedLevel", "IAL2",
        "verificationId", "iv-hr-join-alice", "role", "admin",
        "notificationIds", toManager.getEventId() + "," + toHelpDesk.getEventId()));
    assertThat(alice.getAwaitingVerification().getRequiredIdentityLevel()).isEqualTo(IdentityAssuranceLevel.IAL3);
    assertThat(alice.getRebind().getTicketId()).isNull();
    assertThat(alice.getRebind().getGraceUntil()).containsOnlyKeys("a-otp");
  }

  @Test
  void theTicketIsIssuedWhenAnHrEventBringsAVerificationAtThatLevel() {
    moveIntoAdminOnAnIal2Verification();
    Instant proofed = later(Duration.ofHours(20));

    Decision<MoverSubject> verified = on(withVerification(mover("alice", "admin", true, "hr-proofed", proofed),
        IdentityAssuranceLevel.IAL3, proofed.minusSeconds(600)));

    String ticketId = TicketIds.derive(TicketPurpose.REBIND, WORKER, "hr-proofed", "ticket", "REBIND");
    assertThat(verified.commands()).containsExactly(command(CommandAction.ISSUE_ENROLLMENT_TICKET, "hr-proofed",
        proofed, "mover:alice:hr-move-1", "REBIND", "identity verified at IAL3 (iv-hr-proofed): the REBIND ticket the "
            + "move hr-move-1 waited for", PolicyRefs.BINDING, proofed)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(TicketPurpose.REBIND)
            .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD))
            .setNotBefore(proofed).setExpiresAt(proofed.plus(Duration.ofHours(8))).setSingleUse(true)
            .setDeliveryChannel(Channel.IDP_PORTAL).build())
        .build());
    assertThat(verified.auditActions()).contains("mover.ticket.issue-requested")
        .doesNotContain("mover.rebind.awaiting-verification");
    assertThat(alice.getAwaitingVerification()).isNull();
    assertThat(alice.getRebind().getTicketId()).isEqualTo(ticketId);
  }

  @Test
  void aSubjectWhoseOnlyFactorWasRevokedAtOnceStillGetsItsTicketOnceVerified() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-sms", FactorType.SMS, null, null, T0));
    on(mover("alice", "admin", true, "hr-move-1", later(Duration.ofHours(1))));
    assertThat(alice.getRebind()).isNull();
    Instant proofed = later(Duration.ofDays(2));

    Decision<MoverSubject> verified = on(withVerification(hr(WorkerEventType.REHIRE, "alice", "admin", true, "hr-proofed",
        proofed), IdentityAssuranceLevel.IAL3, proofed));

    assertThat(verified.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCorrelationId)
        .containsExactly(tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, "mover:alice:hr-move-1"));
  }

  @Test
  void aVerificationStillBelowTheLevelIssuesNothing() {
    moveIntoAdminOnAnIal2Verification();
    Instant again = later(Duration.ofHours(2));

    Decision<MoverSubject> weak = on(withVerification(hr(WorkerEventType.JOINER, "alice", "admin", true, "hr-again",
        again), IdentityAssuranceLevel.IAL2, again));

    assertThat(weak.commands()).isEmpty();
    assertThat(alice.getAwaitingVerification()).isNotNull();
  }

  @Test
  void aMoveThatAlreadyCarriesTheVerificationGetsItsTicketAtOnce() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Decision<MoverSubject> move = on(withVerification(mover("alice", "admin", true, "hr-move-1", T0),
        IdentityAssuranceLevel.IAL3, T0));

    assertThat(move.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(move.notifications()).extracting(SubjectNotification::getRecipient).containsExactly(RecipientRole.SUBJECT);
    assertThat(alice.getAwaitingVerification()).isNull();
  }

  @Test
  void aMoveBackDownDropsTheWaitSoALaterVerificationIssuesNothing() {
    moveIntoAdminOnAnIal2Verification();
    on(mover("alice", "engineer", false, "hr-move-2", later(Duration.ofHours(1))));
    Instant proofed = later(Duration.ofHours(1));

    Decision<MoverSubject> verified = on(withVerification(mover("alice", "engineer", false, "hr-proofed", proofed),
        IdentityAssuranceLevel.IAL3, proofed));

    assertThat(alice.getAwaitingVerification()).isNull();
    assertThat(verified.commands()).isEmpty();
  }

  @Test
  void aSubjectWhoLeftWhileWaitingGetsNoTicket() {
    moveIntoAdminOnAnIal2Verification();
    on(hr(WorkerEventType.LEAVER, "alice", "admin", true, "hr-left", later(Duration.ofHours(1))));
    Instant proofed = later(Duration.ofHours(1));

    Decision<MoverSubject> verified = on(withVerification(mover("alice", "admin", true, "hr-proofed", proofed),
        IdentityAssuranceLevel.IAL3, proofed));

    assertThat(verified.commands()).isEmpty();
    assertThat(alice.getAwaitingVerification()).isNull();
  }
}
