package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every joiner decision through the production topology, the wall clock moved by hand. */
class JoinerTopologyTest {

  private final TopologyHarness harness = new TopologyHarness(new JoinerWorker());
  private final List<AuditEvent> audit = new ArrayList<>();

  @AfterEach
  void chainsVerifyAndClose() {
    audit.addAll(harness.read(Topics.AUDIT));
    assertThat(AuditChainVerifier.verify(audit).breaks()).isEmpty();
    harness.close();
  }

  private List<String> auditActions() {
    List<AuditEvent> read = harness.read(Topics.AUDIT);
    audit.addAll(read);
    return read.stream().map(AuditEvent::getAction).toList();
  }

  private String ticketOf(String hrEventId) {
    return new JoinerDecisions(JoinerRules.from(harness.context())).ticketId(hrEventId);
  }

  @Test
  void aVerifiedJoinerGetsOneTicketCommandKeyedBySubjectAndAnAudit() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());

    List<KeyValue<String, AuthenticatorCommand>> commands = harness.readKeyed(Topics.COMMANDS_JOINER);
    assertThat(commands).hasSize(1);
    assertThat(commands.get(0).key).isEqualTo("alice");
    AuthenticatorCommand command = commands.get(0).value;
    assertThat(command.getAction()).isEqualTo(CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(command.getTicket().getTicketId()).isEqualTo(ticketOf("hr-1"));
    assertThat(command.getTicket().getNotBefore()).isEqualTo(harness.now());
    assertThat(command.getTicket().getExpiresAt()).isEqualTo(harness.now().plus(Duration.ofHours(1)));
    assertThat(command.getTicket().getDeliveryChannel()).isEqualTo(Channel.IDP_PORTAL);
    assertThat(auditActions()).containsExactly("enrollment.ticket.issued");
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
    KeyValueStore<String, JoinerCase> cases = harness.store("joiner-worker-cases");
    assertThat(cases.get("alice").getPhase()).isEqualTo(JoinerPhase.TICKET_OPEN);
  }

  @Test
  void theHappyPathEndsWithTheSubjectNotifiedAndNoTimerLeft() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.advance(Duration.ofMinutes(5));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());

    SubjectNotification notice = single(harness.read(Topics.NOTIFICATIONS));
    assertThat(notice.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(notice.getTopic()).isEqualTo("factor.bound");
    assertThat(notice.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.PUSH);
    assertThat(auditActions()).containsExactly("enrollment.ticket.issued", "enrollment.factor.bound");

    // The ticket, then its closing once used; nothing after that.
    assertThat(harness.read(Topics.COMMANDS_JOINER)).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.ISSUE_ENROLLMENT_TICKET, CommandAction.INVALIDATE_TICKET);
    harness.advanceInSteps(Duration.ofHours(2), Duration.ofMinutes(10));
    assertThat(harness.read(Topics.COMMANDS_JOINER)).isEmpty();
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
    assertThat(auditActions()).isEmpty();
  }

  @Test
  void anUnverifiedJoinerIsRefusedAndTheManagerAndHelpDeskAskedForProofing() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "bob", joiner("bob", "hr-2", harness.now()).setIdentityVerification(null).build());

    assertThat(harness.read(Topics.COMMANDS_JOINER)).isEmpty();
    assertThat(harness.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getRecipient, SubjectNotification::getTopic)
        .containsExactly(tuple(RecipientRole.MANAGER, "enrollment.proofing.required"),
            tuple(RecipientRole.HELP_DESK, "enrollment.proofing.required"));
    List<AuditEvent> refused = harness.read(Topics.AUDIT);
    audit.addAll(refused);
    assertThat(single(refused).getAction()).isEqualTo("enrollment.refused");
    assertThat(refused.get(0).getReason()).isEqualTo("IDENTITY_NOT_VERIFIED");
    assertThat(refused.get(0).getWorker()).isEqualTo("joiner-worker");
  }

  @Test
  void aServiceIdentityIsRefusedHumanMfa() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "svc-build",
        joiner("svc-build", "hr-3", harness.now()).setIdentityType(IdentityType.SERVICE).build());

    assertThat(harness.read(Topics.COMMANDS_JOINER)).isEmpty();
    List<AuditEvent> refused = harness.read(Topics.AUDIT);
    audit.addAll(refused);
    assertThat(single(refused).getAction()).isEqualTo("nhi.human.mfa.refused");
    assertThat(refused.get(0).getPolicyRef()).isEqualTo("OWASP NHI4:2025 Insecure Authentication");
  }

  @Test
  void anUnusedTicketIsRemindedAtEachOffsetThenInvalidatedAndEscalatedAtExpiry() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.read(Topics.COMMANDS_JOINER);
    assertThat(auditActions()).containsExactly("enrollment.ticket.issued");

    harness.advance(Duration.ofMinutes(29));
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();

    harness.advance(Duration.ofMinutes(1));
    assertThat(single(harness.read(Topics.NOTIFICATIONS)).getTopic()).isEqualTo("enrollment.ticket.reminder");
    assertThat(auditActions()).containsExactly("enrollment.ticket.reminder");

    harness.advance(Duration.ofMinutes(20));
    assertThat(single(harness.read(Topics.NOTIFICATIONS)).getTopic()).isEqualTo("enrollment.ticket.reminder");
    assertThat(auditActions()).containsExactly("enrollment.ticket.reminder");

    harness.advance(Duration.ofMinutes(9));
    assertThat(harness.read(Topics.COMMANDS_JOINER)).isEmpty();

    harness.advance(Duration.ofMinutes(1));
    AuthenticatorCommand invalidate = single(harness.read(Topics.COMMANDS_JOINER));
    assertThat(invalidate.getAction()).isEqualTo(CommandAction.INVALIDATE_TICKET);
    assertThat(invalidate.getTicket().getTicketId()).isEqualTo(ticketOf("hr-1"));
    SubjectNotification escalation = single(harness.read(Topics.NOTIFICATIONS));
    assertThat(escalation.getRecipient()).isEqualTo(RecipientRole.MANAGER);
    assertThat(escalation.getRecipientId()).isEqualTo("mgr-1");
    assertThat(auditActions()).containsExactly("enrollment.ticket.expired", "enrollment.escalated");
  }

  @Test
  void aSecondBindingOnTheSameTicketIsRevoked() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());
    harness.read(Topics.COMMANDS_JOINER);
    auditActions();

    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-2", "a-2", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());

    AuthenticatorCommand revoke = single(harness.read(Topics.COMMANDS_JOINER));
    assertThat(revoke.getAction()).isEqualTo(CommandAction.REVOKE_AUTHENTICATOR);
    assertThat(revoke.getAuthenticatorId()).isEqualTo("a-2");
    assertThat(auditActions()).containsExactly("ticket.reuse");
  }

  @Test
  void aFactorTypeTheTicketDidNotAllowIsRevoked() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.read(Topics.COMMANDS_JOINER);
    auditActions();

    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.SMS, ticketOf("hr-1"), harness.now()).build());

    assertThat(harness.read(Topics.COMMANDS_JOINER)).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.INVALIDATE_TICKET);
    assertThat(auditActions()).containsExactly("enrollment.policy.violation", "enrollment.escalated");
    assertThat(single(harness.read(Topics.NOTIFICATIONS)).getRecipient()).isEqualTo(RecipientRole.MANAGER);
  }

  @Test
  void aBindingWithoutATicketDuringOnboardingIsRevoked() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.read(Topics.COMMANDS_JOINER);
    auditActions();

    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.OTP_APP, null, harness.now()).build());

    assertThat(single(harness.read(Topics.COMMANDS_JOINER)).getAuthenticatorId()).isEqualTo("a-1");
    assertThat(auditActions()).containsExactly("enrollment.binding.without.ticket");
  }

  @Test
  void aSubjectLeftWithOneFactorIsRemindedAfterSevenDays() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());
    harness.read(Topics.NOTIFICATIONS);
    auditActions();

    harness.advance(Duration.ofDays(7).minusMinutes(1));
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();

    harness.advance(Duration.ofMinutes(1));
    SubjectNotification reminder = single(harness.read(Topics.NOTIFICATIONS));
    assertThat(reminder.getTopic()).isEqualTo("factor.second.reminder");
    assertThat(reminder.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(auditActions()).containsExactly("enrollment.second.factor.reminder");
  }

  @Test
  void duplicateInputsOnBothTopicsChangeNothing() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());

    assertThat(harness.read(Topics.COMMANDS_JOINER)).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.ISSUE_ENROLLMENT_TICKET, CommandAction.INVALIDATE_TICKET);
    assertThat(harness.read(Topics.NOTIFICATIONS)).hasSize(1);
    assertThat(auditActions()).containsExactly("enrollment.ticket.issued", "enrollment.factor.bound");
  }

  @Test
  void consumingTheTicketRemovesItsTimersFromTheIndex() {
    KeyValueStore<String, ?> byDue = harness.store("joiner-worker-timers-by-due");
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    assertThat(count(byDue)).isEqualTo(3);

    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "alice",
        bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticketOf("hr-1"), harness.now()).build());

    // The three ticket timers are gone; only the second-factor reminder remains indexed.
    assertThat(count(byDue)).isEqualTo(1);
    auditActions();
  }

  private static long count(KeyValueStore<String, ?> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
