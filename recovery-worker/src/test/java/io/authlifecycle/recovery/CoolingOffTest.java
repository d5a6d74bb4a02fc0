package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.AP2;
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

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decision 7: quorum starts a cooling-off the subject can cancel; then one short-lived RECOVERY ticket and the lost factors revoked. */
class CoolingOffTest {

  private final TopologyHarness h = RecoveryFixtures.harness();
  private final List<AuditEvent> allAudits = new ArrayList<>();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void twoApprovalsStartA24HourCoolingOffForAPrivilegedSubjectWithNotice() {
    openPrivileged();
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    drain();

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));

    List<AuditEvent> audits = audits();
    assertThat(actions(audits)).containsExactly("approval.counted", "recovery.approved", "recovery.subject-notified");
    AuditEvent approved = only(audits, "recovery.approved");
    assertThat(approved.getOutcome()).isEqualTo(AuditOutcome.SCHEDULED);
    assertThat(approved.getDetails()).containsEntry("approvers", "ap-1,ap-2")
        .containsEntry("coolingOffEndsAt", h.now().plus(Duration.ofHours(24)).toString());
    SubjectNotification note = h.read(Topics.NOTIFICATIONS).get(0);
    assertThat(note.getTopic()).isEqualTo("recovery.approved");
    // The request reports a lost device: its push and SMS may be in someone else's hands.
    assertThat(note.getChannels()).containsExactly(Channel.WORK_EMAIL);
    assertThat(note.getMessage()).contains(h.now().plus(Duration.ofHours(24)).toString()).contains(note.getNotMeRef());
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.QUORUM_REACHED);
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();

    h.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void afterTheCoolingOffOneSingleUseRecoveryTicketOfAtMostTenMinutesIsIssuedAndLostFactorsRevoked() {
    openPrivileged();
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    drain();

    h.advance(Duration.ofHours(24));

    Instant now = h.now();
    List<AuthenticatorCommand> commands = h.read(Topics.COMMANDS_RECOVERY);
    assertThat(commands).hasSize(2);
    AuthenticatorCommand revoke = commands.get(0);
    assertThat(revoke).isEqualTo(AuthenticatorCommand.newBuilder()
        .setCommandId(Ids.derive("recovery-worker", "ev-r-1", "REVOKE_AUTHENTICATOR", "lost-key-1"))
        .setEventTime(now).setCausationId("ev-r-1").setCausationTime(TopologyHarness.START)
        .setCorrelationId("recovery:root-ann:r-1").setSubjectId(ADMIN).setAction(CommandAction.REVOKE_AUTHENTICATOR)
        .setAuthenticatorId("lost-key-1").setReason("reported lost in recovery request r-1")
        .setPolicyRef(PolicyRefs.LOSS_THEFT).setIssuedBy("recovery-worker").build());
    AuthenticatorCommand ticket = commands.get(1);
    String ticketId = "recovery-" + Ids.derive("recovery-worker", "ev-r-1", "recovery-ticket");
    assertThat(ticket).isEqualTo(AuthenticatorCommand.newBuilder()
        .setCommandId(Ids.derive("recovery-worker", "ev-r-1", "ISSUE_ENROLLMENT_TICKET", "RECOVERY"))
        .setEventTime(now).setCausationId("ev-r-1").setCausationTime(TopologyHarness.START)
        .setCorrelationId("recovery:root-ann:r-1").setSubjectId(ADMIN).setAction(CommandAction.ISSUE_ENROLLMENT_TICKET)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId(ticketId).setPurpose(TicketPurpose.RECOVERY)
            .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD))
            .setNotBefore(now).setExpiresAt(now.plus(Duration.ofMinutes(10))).setSingleUse(true)
            .setDeliveryChannel(Channel.IDP_PORTAL).build())
        .setReason("recovery approved by ap-1, ap-2; cooling-off ended uncancelled")
        .setPolicyRef(PolicyRefs.ACCOUNT_RECOVERY).setIssuedBy("recovery-worker").build());

    List<AuditEvent> audits = audits();
    assertThat(actions(audits)).containsExactly("recovery.factor-revocation.requested", "recovery.completed",
        "recovery.subject-notified");
    AuditEvent completed = only(audits, "recovery.completed");
    assertThat(completed.getCommandIds()).containsExactly(revoke.getCommandId(), ticket.getCommandId());
    assertThat(completed.getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_RECOVERY);
    assertThat(completed.getDetails()).containsEntry("ticketId", ticketId);
    assertThat(only(audits, "recovery.factor-revocation.requested").getPolicyRef()).isEqualTo(PolicyRefs.LOSS_THEFT);
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("recovery.completed");
    assertThat(AuditChainVerifier.verify(allAudits).breaks()).isEmpty();

    // Unused, the ticket is closed at the IdP at its expiry, and nothing else follows.
    h.advance(Duration.ofDays(3));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).extracting(AuthenticatorCommand::getAction, c -> c.getTicket().getTicketId())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandAction.INVALIDATE_TICKET, ticketId));
  }

  @Test
  void aStandardSubjectWaitsOneHourAndGetsTheTypesItsPolicyAllows() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-1", AP3));
    drain();

    h.advance(Duration.ofMinutes(59));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
    h.advance(Duration.ofMinutes(1));

    AuthenticatorCommand ticket = h.read(Topics.COMMANDS_RECOVERY).stream()
        .filter(c -> c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET).findFirst().orElseThrow();
    assertThat(ticket.getTicket().getAllowedFactorTypes()).containsExactly(FactorType.HARDWARE_PASSKEY,
        FactorType.PIV_SMART_CARD, FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING, FactorType.OTP_APP);
  }

  @Test
  void theSubjectsCancelThroughTheNotMeReferenceInTheWindowEndsItWithoutATicket() {
    openPrivileged();
    String notMeRef = h.read(Topics.NOTIFICATIONS).get(0).getNotMeRef();
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    drain();
    h.advance(Duration.ofHours(3));

    submit(h, cancel(h, ADMIN, notMeRef, "cancel-1"));

    List<AuditEvent> audits = audits();
    assertThat(actions(audits)).containsExactly("recovery.cancelled", "recovery.subject-notified");
    AuditEvent cancelled = audits.get(0);
    assertThat(cancelled.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(cancelled.getReason()).isEqualTo("cancelled by the subject through SELF_SERVICE");
    assertThat(cancelled.getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_NOTIFICATIONS);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.CANCELLED);
    h.advance(Duration.ofDays(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void aCancelNamingTheRequestIdWorksWhileApprovalsArePending() {
    openPrivileged();

    submit(h, cancel(h, ADMIN, "r-1", "cancel-1"));

    assertThat(actions(audits())).containsExactly("recovery.cancelled", "recovery.subject-notified");
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    assertThat(actions(audits())).containsExactly("approval.closed");
  }

  @Test
  void aCancelForNoOpenRequestIsRecordedAndChangesNothing() {
    openPrivileged();

    submit(h, cancel(h, ADMIN, "r-other", "cancel-1"));

    AuditEvent ignored = only(audits(), "recovery.cancel.ignored");
    assertThat(ignored.getSeverity()).isEqualTo(Severity.LOW);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  @Test
  void theTicketsUseIsRecordedAndAnUnusedTicketsExpiryToo() {
    openPrivileged();
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    h.advance(Duration.ofHours(24));
    drain();
    String ticketId = "recovery-" + Ids.derive("recovery-worker", "ev-r-1", "recovery-ticket");

    h.pipe(Topics.AUTHENTICATOR_EVENTS, ADMIN, bound(h, ADMIN, "key-new", FactorType.HARDWARE_PASSKEY, ticketId));
    h.advance(Duration.ofMinutes(11));

    AuditEvent used = only(audits(), "recovery.ticket.used");
    assertThat(used.getAuthenticatorId()).isEqualTo("key-new");
    assertThat(used.getFactorType()).isEqualTo(FactorType.HARDWARE_PASSKEY);
    assertThat(used.getPolicyRef()).isEqualTo(PolicyRefs.BINDING_CODE);
  }

  @Test
  void anUnusedTicketExpiresOnItsTimer() {
    openPrivileged();
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    h.advance(Duration.ofHours(24));
    drain();

    h.advance(Duration.ofMinutes(10));

    assertThat(only(audits(), "recovery.ticket.expired").getOutcome()).isEqualTo(AuditOutcome.EXPIRED);
  }

  @Test
  void coolingOffTicketLifetimeAndChannelFollowConfiguration() {
    try (TopologyHarness quick = RecoveryFixtures.harness(Map.of("recovery.cooling-off.privileged", "5m",
        "recovery.ticket.lifetime", "3m", "recovery.ticket.delivery-channel", "IN_PERSON"))) {
      known(quick, ADMIN, true);
      submit(quick, helpDesk(quick, ADMIN, "r-1"));
      quick.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(quick, ADMIN, "r-1", AP1));
      quick.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(quick, ADMIN, "r-1", AP2));

      quick.advance(Duration.ofMinutes(5));

      EnrollmentTicket ticket = quick.read(Topics.COMMANDS_RECOVERY).stream().filter(c -> c.getTicket() != null)
          .findFirst().orElseThrow().getTicket();
      assertThat(ticket.getExpiresAt()).isEqualTo(quick.now().plus(Duration.ofMinutes(3)));
      assertThat(ticket.getDeliveryChannel()).isEqualTo(Channel.IN_PERSON);
    }
  }

  private void openPrivileged() {
    known(h, ADMIN, true);
    submit(h, helpDesk(h, ADMIN, "r-1"));
    audits();
    h.read(Topics.APPROVAL_REQUESTS);
  }

  private List<AuditEvent> audits() {
    List<AuditEvent> read = h.read(Topics.AUDIT);
    allAudits.addAll(read);
    return read;
  }

  private void drain() {
    audits();
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
  }
}
