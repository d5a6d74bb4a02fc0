package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.audit.AuditHasher;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who issued a command is known from its topic: the gateway refuses what the issuer may not ask
 * for, dead-letters it and audits it CRITICAL, reads the shared topic only when told to, and keeps
 * its audit chains from its own state, whatever else claims to be it on the audit topic.
 */
// A running gateway is the test's environment even where the body does not name it.
@SuppressWarnings("try")
class CommandProvenanceIT {

  private static KafkaTestCluster kafka;
  private static GatewayOutputs out;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = KafkaTestCluster.start();
    out = new GatewayOutputs(kafka);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void aRecoveryTicketAskedForOnTheLeaversTopicIsRefusedDeadLetteredAndAuditedCritical() {
    Instant now = Instant.now();
    AuthenticatorCommand forged = AuthenticatorCommand.newBuilder(TestGateway.ticket("S-zoe", "forged-zoe-1", TicketPurpose.RECOVERY,
        List.of(FactorType.OTP_APP), now, now.plus(Duration.ofMinutes(10)))).setIssuedBy("leaver-worker").build();
    AuthenticatorCommand after = TestGateway.revokeAll("S-zoe", "hr-zoe-2");
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(Topics.COMMANDS_LEAVER, "S-zoe", forged);
      kafka.produce(Topics.COMMANDS_LEAVER, "S-zoe", after);
      out.applied(after.getCommandId());

      DeadLetter letter = out.deadLetters(l -> key(l).equals("S-zoe"), 1).get(0);
      AuditEvent refused = out.audits("S-zoe", 2).get(0);

      assertThat(out.factsAbout("S-zoe")).noneMatch(f -> f instanceof CommandApplied a && a.getCommandId().equals(forged.getCommandId()));
      assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.INVALID);
      assertThat(letter.getSourceTopic()).isEqualTo(Topics.COMMANDS_LEAVER.name());
      assertThat(letter.getError()).isEqualTo("refused: leaver-worker may not issue ISSUE_ENROLLMENT_TICKET; "
          + "leaver-worker may not issue RECOVERY tickets (only recovery-worker does)");
      assertThat(Topics.COMMANDS_LEAVER.valueSerde().deserializer().deserialize(null, bytes(letter))).isEqualTo(forged);
      assertThat(refused.getAction()).isEqualTo("gateway.command.refused");
      assertThat(refused.getSeverity()).isEqualTo(Severity.CRITICAL);
      assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
      assertThat(refused.getCommandIds()).containsExactly(forged.getCommandId());
      assertThat(refused.getDetails()).containsEntry("sourceTopic", Topics.COMMANDS_LEAVER.name());
    }
  }

  @Test
  void anIssuerClaimingToBeAnotherWorkerOrATicketBeyondItsPurposesLimitsIsRefused() {
    Instant now = Instant.now();
    AuthenticatorCommand spoofed = AuthenticatorCommand.newBuilder(TestGateway.revokeAll("S-abe", "hr-abe-1"))
        .setIssuedBy("mover-worker").build();
    AuthenticatorCommand longRecovery = TestGateway.ticket("S-abe", "rec-abe-2", TicketPurpose.RECOVERY,
        List.of(FactorType.OTP_APP), now, now.plus(Duration.ofHours(1)));
    AuthenticatorCommand emailed = TestGateway.ticket("S-abe", "hr-abe-3", TicketPurpose.ONBOARDING,
        List.of(FactorType.OTP_APP), now, now.plus(Duration.ofHours(1)));
    emailed.getTicket().setDeliveryChannel(io.authlifecycle.avro.Channel.WORK_EMAIL);
    AuthenticatorCommand moverSuspends = TestGateway.command(CommandAction.SUSPEND_AUTHENTICATOR, "S-abe", "mdm-abe-4")
        .setIssuedBy("mover-worker").setAuthenticatorId("otp-1").build();
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(Topics.COMMANDS_LEAVER, "S-abe", spoofed);
      kafka.produce(Topics.COMMANDS_RECOVERY, "S-abe", longRecovery);
      kafka.produce(Topics.COMMANDS_JOINER, "S-abe", emailed);
      kafka.produce(Topics.COMMANDS_MOVER, "S-abe", moverSuspends);
      out.applied(moverSuspends.getCommandId());

      List<String> errors = out.deadLetters(l -> key(l).equals("S-abe"), 3).stream().map(DeadLetter::getError).toList();

      assertThat(errors).containsExactlyInAnyOrder(
          "refused: issuedBy 'mover-worker' on authn.commands.leaver.v1, the topic of leaver-worker",
          "refused: RECOVERY ticket lifetime PT1H exceeds PT10M",
          "refused: ticket ticket-hr-abe-3 delivered on WORK_EMAIL (never email: NIST SP 800-63B-4 4.1.2.2)");
      assertThat(out.audits("S-abe", 4)).filteredOn(a -> a.getAction().equals("gateway.command.refused")).hasSize(3)
          .allSatisfy(a -> assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL));
    }
  }

  @Test
  void theSharedCommandTopicIsReadOnlyWithTheMigrationSetting() {
    AuthenticatorCommand shared = TestGateway.revokeAll("S-bea", "hr-bea-1");
    AuthenticatorCommand marker = TestGateway.revokeAll("S-bea", "hr-bea-2");
    kafka.produce(Topics.COMMANDS, "S-bea", shared);
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(Topics.COMMANDS_LEAVER, "S-bea", marker);
      out.applied(marker.getCommandId());
      assertThat(out.factsAbout("S-bea")).noneMatch(f -> f instanceof CommandApplied a && a.getCommandId().equals(shared.getCommandId()));
    }
    try (RunningGateway migrating = TestGateway.start(kafka.bootstrapServers(), Map.of("gateway.commands.legacy-topic", "true"))) {
      assertThat(out.applied(shared.getCommandId()).getDryRun()).isTrue();
    }
  }

  @Test
  void anAuditRecordClaimingToBeTheGatewaysIsNeverTakenAsItsChainHead() {
    AuditEvent forged = AuditEvent.newBuilder().setEventId("idp-gateway:S-cid:41").setEventTime(Instant.now())
        .setWorker(IdpGateway.NAME).setSubjectId("S-cid").setAction("gateway.command.applied").setOutcome(AuditOutcome.COMPLETED)
        .setSeverity(Severity.INFO).setSequence(41).setPrevHash(AuditHasher.GENESIS).setHash("f".repeat(64)).build();
    kafka.produce(Topics.AUDIT, "S-cid", forged);
    AuthenticatorCommand command = TestGateway.revokeAll("S-cid", "hr-cid-1");
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(Topics.COMMANDS_LEAVER, "S-cid", command);
      out.applied(command.getCommandId());

      AuditEvent own = out.audits("S-cid", 2).stream().filter(a -> !a.getEventId().equals(forged.getEventId())).findFirst().orElseThrow();

      assertThat(own.getSequence()).isEqualTo(1);
      assertThat(own.getPrevHash()).isEqualTo(AuditHasher.GENESIS);
    }
  }

  private static String key(DeadLetter l) {
    return l.getKey() == null ? "" : StandardCharsets.UTF_8.decode(l.getKey().duplicate()).toString();
  }

  private static byte[] bytes(DeadLetter letter) {
    byte[] b = new byte[letter.getValue().remaining()];
    letter.getValue().duplicate().get(b);
    return b;
  }
}
