package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.AP3;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.bound;
import static io.authlifecycle.recovery.RecoveryFixtures.cancel;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.binding.TicketIds;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The RECOVERY ticket after it is issued: the recovery worker is the one decider on what is bound
 * under it. Used once (a second binding is revoked and audited HIGH), closed at the IdP when used
 * or at its expiry, and a "this wasn't me" after the recovery completed puts whoever recovered the
 * account out again.
 */
class RecoveryTicketTest {

  private final TopologyHarness h = RecoveryFixtures.harness();
  private String ticketId;
  private String notMeRef;

  @AfterEach
  void close() {
    h.close();
  }

  /** A standard subject's help-desk recovery approved; after the one-hour cooling-off the ticket is issued. */
  private void recovered() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    notMeRef = h.read(Topics.NOTIFICATIONS).get(0).getNotMeRef();
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP3));
    h.advance(Duration.ofHours(1));
    ticketId = h.read(Topics.COMMANDS_RECOVERY).stream().filter(c -> c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET)
        .findFirst().orElseThrow().getTicket().getTicketId();
    assertThat(TicketIds.purposeOf(ticketId)).isEqualTo(TicketPurpose.RECOVERY);
    h.read(Topics.AUDIT);
    h.read(Topics.NOTIFICATIONS);
    h.read(Topics.APPROVAL_REQUESTS);
  }

  private AuthenticatorBound underTicket(String authenticatorId, FactorType type, String ticket) {
    return AuthenticatorBound.newBuilder(bound(h, SUBJECT, authenticatorId, type, ticket))
        .setEventId("bound-" + authenticatorId + "-" + h.now().toEpochMilli()).build();
  }

  @Test
  void theFirstBindingUnderTheTicketStandsTheTicketIsClosedAndTheSubjectToldOnAnIndependentChannel() {
    recovered();

    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("otp-new", FactorType.OTP_APP, ticketId));

    List<AuthenticatorCommand> commands = h.read(Topics.COMMANDS_RECOVERY);
    assertThat(commands).extracting(AuthenticatorCommand::getAction, c -> c.getTicket().getTicketId(),
        c -> c.getTicket().getPurpose()).containsExactly(tuple(CommandAction.INVALIDATE_TICKET, ticketId, TicketPurpose.RECOVERY));
    AuditEvent used = only(h.read(Topics.AUDIT), "recovery.ticket.used");
    assertThat(used.getCommandIds()).containsExactly(commands.get(0).getCommandId());
    SubjectNotification told = h.read(Topics.NOTIFICATIONS).get(0);
    assertThat(told.getTopic()).isEqualTo("factor.bound");
    assertThat(told.getNotMeRef()).isEqualTo(notMeRef);
    // Registered: work email, SMS, push; the case reports a lost device, whose push and SMS are not the subject's now.
    assertThat(told.getChannels()).containsExactly(Channel.WORK_EMAIL);
    // Used: its expiry closes nothing more.
    h.advance(Duration.ofMinutes(11));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void aSecondBindingUnderTheUsedTicketIsRevokedAndAuditedHighAsReuse() {
    recovered();
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("key-new", FactorType.HARDWARE_PASSKEY, ticketId));
    h.read(Topics.COMMANDS_RECOVERY);
    h.read(Topics.AUDIT);
    h.read(Topics.NOTIFICATIONS);

    h.advance(Duration.ofMinutes(1));
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("key-other", FactorType.HARDWARE_PASSKEY, ticketId));

    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "key-other"));
    AuditEvent reuse = only(h.read(Topics.AUDIT), "recovery.ticket.reuse");
    assertThat(reuse.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(reuse.getReason()).isEqualTo("TICKET_ALREADY_USED");
    assertThat(reuse.getDetails()).containsEntry("firstUsedBy", "key-new").containsEntry("ticketId", ticketId);
    assertThat(h.read(Topics.NOTIFICATIONS)).isEmpty();
  }

  @Test
  void anUnusedTicketIsClosedAtItsExpiryAndALaterBindingUnderItRevoked() {
    recovered();

    h.advance(Duration.ofMinutes(10));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, c -> c.getTicket().getTicketId())
        .containsExactly(tuple(CommandAction.INVALIDATE_TICKET, ticketId));
    assertThat(only(h.read(Topics.AUDIT), "recovery.ticket.expired").getCommandIds()).hasSize(1);

    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("late", FactorType.HARDWARE_PASSKEY, ticketId));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "late"));
    AuditEvent refused = only(h.read(Topics.AUDIT), "recovery.binding.refused");
    assertThat(refused.getReason()).isEqualTo("TICKET_EXPIRED");
    assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aBindingUnderARecoveryIdNoCaseIssuedIsRevoked() {
    known(h, SUBJECT, false);
    h.read(Topics.AUDIT);

    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("x", FactorType.HARDWARE_PASSKEY,
        TicketIds.derive(TicketPurpose.RECOVERY, "someone", "else")));

    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "x"));
    assertThat(only(h.read(Topics.AUDIT), "recovery.binding.refused").getReason()).isEqualTo("TICKET_NOT_ISSUED");
  }

  @Test
  void thisWasntMeAfterTheRecoveryCompletedClosesTheTicketRevokesWhatWasBoundUnderItAndEndsTheSessions() {
    recovered();
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("key-new", FactorType.HARDWARE_PASSKEY, ticketId));
    h.read(Topics.COMMANDS_RECOVERY);
    h.read(Topics.AUDIT);
    h.read(Topics.NOTIFICATIONS);

    submit(h, cancel(h, SUBJECT, notMeRef, "not-me-1"));

    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.INVALIDATE_TICKET, null), tuple(CommandAction.REVOKE_AUTHENTICATOR, "key-new"),
            tuple(CommandAction.TERMINATE_SESSIONS, null));
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.factor-revocation.requested", "recovery.disowned",
        "recovery.subject-notified");
    AuditEvent disowned = only(audits, "recovery.disowned");
    assertThat(disowned.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(disowned.getCommandIds()).hasSize(3);
    assertThat(disowned.getDetails()).containsEntry("revoked", "key-new").containsEntry("ticketId", ticketId);
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("recovery.disowned");

    // Anything bound under the disowned recovery's ticket afterwards is revoked too.
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("key-later", FactorType.HARDWARE_PASSKEY, ticketId));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "key-later"));
    // A second "this wasn't me" changes nothing more.
    submit(h, cancel(h, SUBJECT, notMeRef, "not-me-2"));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void aBindingUnderTheTicketAfterTheSubjectLeftIsTheLeaverWorkersToDecide() {
    recovered();
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, RecoveryFixtures.hr(h, "hr-leave", WorkerEventType.LEAVER, SUBJECT,
        h.now(), true));
    h.read(Topics.AUDIT);

    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, underTicket("key-new", FactorType.HARDWARE_PASSKEY, ticketId));

    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
    assertThat(h.read(Topics.NOTIFICATIONS)).isEmpty();
  }
}
