package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.withVerification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.MoverTicketStatus;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * REBIND tickets have a life of their own: at most 8 hours, used once (a second binding under one
 * is revoked and audited HIGH), closed at the IdP when used or when they expire unused, and re-issued
 * with a reminder while a role change's grace still runs. The mover is the one decider on bindings
 * made under them.
 */
class RebindTicketsTest extends RegistryFixture {

  private String ticketId;
  private Instant moveAt;

  /** An engineer with an OTP app becomes an admin: a REBIND ticket for a hardware factor, the OTP app graced. */
  private void promoted() {
    // Verified at IAL3 at hire, so the move into a privileged role passes the identity gate.
    on(withVerification(joiner("alice", "engineer", false, T0), IdentityAssuranceLevel.IAL3, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    moveAt = later(Duration.ofHours(1));
    Decision<MoverSubject> move = on(mover("alice", "admin", true, "hr-move-1", moveAt));
    ticketId = move.commands().get(0).getTicket().getTicketId();
    assertThat(TicketIds.purposeOf(ticketId)).isEqualTo(TicketPurpose.REBIND);
  }

  private static AuthenticatorBound underTicket(String authId, FactorType type, String ticket, Instant at) {
    return AuthenticatorBound.newBuilder(bound("alice", authId, type, "dev-" + authId, null, at)).setTicketId(ticket).build();
  }

  @Test
  void aQualifyingBindingUnderTheTicketIsTheReplacementTheTicketIsClosedAndTheSubjectTold() {
    promoted();
    Instant bindAt = later(Duration.ofHours(2));

    Decision<MoverSubject> out = on(underTicket("a-key", FactorType.HARDWARE_PASSKEY, ticketId, bindAt));

    AuthenticatorCommand close = out.commands().get(0);
    assertThat(out.commands()).singleElement();
    assertThat(close.getAction()).isEqualTo(CommandAction.INVALIDATE_TICKET);
    assertThat(close.getTicket().getTicketId()).isEqualTo(ticketId);
    assertThat(close.getTicket().getPurpose()).isEqualTo(TicketPurpose.REBIND);
    SubjectNotification told = out.notifications().get(0);
    assertThat(out.notifications()).singleElement();
    assertThat(told.getTopic()).isEqualTo("factor.bound");
    // A factor bound to a device is not announced by push: push would land on that device.
    assertThat(told.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.SMS, Channel.PERSONAL_EMAIL);
    assertThat(told.getNotMeRef()).isNotBlank();
    assertThat(out.auditActions()).containsExactly("mover.subject.notified", "mover.rebind.replacement-bound");
    AuditEvent.Builder replaced = out.audits().get(1);
    assertThat(replaced.getCommandIds()).containsExactly(close.getCommandId());
    assertThat(replaced.getDetails()).containsEntry("ticketId", ticketId).containsEntry("ticketStatus", "USED");
    assertThat(MoverSubjects.ticket(alice, ticketId).getStatus()).isEqualTo(MoverTicketStatus.USED);
    assertThat(MoverSubjects.ticket(alice, ticketId).getUsedBy()).isEqualTo("a-key");
  }

  @Test
  void aSecondBindingUnderAUsedTicketIsRevokedAndAuditedHighAsReuse() {
    promoted();
    on(underTicket("a-key", FactorType.HARDWARE_PASSKEY, ticketId, later(Duration.ofHours(2))));

    Decision<MoverSubject> again = on(underTicket("a-other", FactorType.HARDWARE_PASSKEY, ticketId,
        later(Duration.ofMinutes(1))));

    assertThat(again.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-other"));
    assertThat(again.notifications()).isEmpty();
    AuditEvent.Builder reuse = again.audits().stream().filter(a -> a.getAction().equals("mover.ticket.reuse"))
        .findFirst().orElseThrow();
    assertThat(reuse.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(reuse.getReason()).isEqualTo("TICKET_ALREADY_USED");
    assertThat(reuse.getPolicyRef()).isEqualTo(PolicyRefs.BINDING_CODE);
    assertThat(reuse.getDetails()).containsEntry("firstUsedBy", "a-key");
    assertThat(factor("a-other").getRequested()).isEqualTo(MoverRequest.REVOKE);
    // The same binding reported again is no reuse.
    assertThat(on(underTicket("a-key", FactorType.HARDWARE_PASSKEY, ticketId, later(Duration.ofMinutes(1)))).commands())
        .isEmpty();
  }

  @Test
  void aTypeThePolicyRefusesUnderTheTicketIsRevokedAndSpendsTheTicket() {
    promoted();

    Decision<MoverSubject> out = on(underTicket("a-otp2", FactorType.OTP_APP, ticketId, later(Duration.ofHours(2))));

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET, CommandAction.REVOKE_AUTHENTICATOR);
    assertThat(out.audits()).filteredOn(a -> a.getAction().equals("mover.binding.refused"))
        .singleElement().satisfies(a -> {
          assertThat(a.getReason()).isEqualTo("FACTOR_TYPE_NOT_ALLOWED");
          assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
          assertThat(a.getPolicyRef()).isEqualTo(PolicyRefs.OWASP_MFA_PRIVILEGED);
        });
    assertThat(MoverSubjects.ticket(alice, ticketId).getStatus()).isEqualTo(MoverTicketStatus.USED);
  }

  @Test
  void aBindingUnderARebindIdTheMoverNeverIssuedIsRevoked() {
    promoted();
    String forged = TicketIds.derive(TicketPurpose.REBIND, "someone", "x");

    Decision<MoverSubject> out = on(underTicket("a-x", FactorType.HARDWARE_PASSKEY, forged, later(Duration.ofHours(2))));

    assertThat(out.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-x"));
    assertThat(out.audits()).extracting(AuditEvent.Builder::getAction, AuditEvent.Builder::getReason)
        .contains(tuple("mover.binding.refused", "TICKET_NOT_ISSUED"));
  }

  @Test
  void anUnusedTicketIsClosedAtExpiryAndReissuedWithAReminderWhileTheGraceRuns() {
    promoted();
    Instant expiry = moveAt.plus(Duration.ofHours(8));
    assertThat(decisions.nextDue(alice)).isEqualTo(expiry);

    Decision<MoverSubject> expired = at(expiry);

    assertThat(expired.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET, CommandAction.ISSUE_ENROLLMENT_TICKET);
    AuthenticatorCommand close = expired.commands().get(0);
    assertThat(close.getTicket().getTicketId()).isEqualTo(ticketId);
    assertThat(close.getCausationId()).isEqualTo("ticket-expiry:" + ticketId);
    String fresh = expired.commands().get(1).getTicket().getTicketId();
    assertThat(fresh).isNotEqualTo(ticketId).startsWith("rebind-");
    assertThat(expired.commands().get(1).getTicket().getExpiresAt()).isEqualTo(expiry.plus(Duration.ofHours(8)));
    assertThat(expired.notifications()).extracting(SubjectNotification::getTopic)
        .containsExactly("factor.replacement-reminder");
    assertThat(expired.auditActions()).containsExactly("mover.ticket.expired", "mover.ticket.issue-requested",
        "mover.subject.notified");
    assertThat(MoverSubjects.ticket(alice, ticketId).getStatus()).isEqualTo(MoverTicketStatus.EXPIRED);
    assertThat(alice.getRebind().getTicketId()).isEqualTo(fresh);

    // The expired ticket cannot be used any more; the fresh one can.
    Decision<MoverSubject> late = on(underTicket("a-late", FactorType.HARDWARE_PASSKEY, ticketId, expiry.plusSeconds(60)));
    assertThat(late.audits()).extracting(AuditEvent.Builder::getAction, AuditEvent.Builder::getReason)
        .contains(tuple("mover.binding.refused", "TICKET_EXPIRED"));
    assertThat(on(underTicket("a-key", FactorType.HARDWARE_PASSKEY, fresh, expiry.plusSeconds(90))).auditActions())
        .contains("mover.rebind.replacement-bound");
  }

  @Test
  void noTicketIsReissuedOnceNoFactorWaitsForItsReplacement() {
    promoted();
    // The OTP app goes some other way (the leaver, the subject): nothing waits for a replacement.
    on(Inputs.revoked("alice", "a-otp", null, later(Duration.ofHours(1))));
    assertThat(alice.getRebind()).isNull();

    Decision<MoverSubject> expired = at(moveAt.plus(Duration.ofHours(8)));

    assertThat(expired.commands()).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.INVALIDATE_TICKET);
    assertThat(decisions.nextDue(alice)).isNull();
  }

  @Test
  void aDeviceLossTicketIsClosedAtExpiryAndNotReissued() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-phone", FactorType.HARDWARE_PASSKEY, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    Instant lostAt = later(Duration.ofHours(1));
    String lossTicket = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt)).commands().stream()
        .filter(c -> c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET).findFirst().orElseThrow()
        .getTicket().getTicketId();

    Decision<MoverSubject> expired = at(lostAt.plus(Duration.ofHours(8)));

    assertThat(expired.commands()).extracting(AuthenticatorCommand::getAction, c -> c.getTicket().getTicketId())
        .containsExactly(tuple(CommandAction.INVALIDATE_TICKET, lossTicket));
    assertThat(expired.notifications()).isEmpty();
  }
}
