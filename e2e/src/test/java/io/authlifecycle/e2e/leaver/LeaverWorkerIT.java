package io.authlifecycle.e2e.leaver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RevokeScope;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.GatewaySettings;
import io.authlifecycle.gateway.IdpGateway;
import io.authlifecycle.gateway.RunningGateway;
import io.authlifecycle.leaver.LeaverWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The leaver worker on a real in-JVM KRaft broker, fed with records encoded as the CLI encodes them. */
class LeaverWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static KafkaTestCluster kafka;
  private static RunningWorker worker;

  @BeforeAll
  static void startBrokerAndWorker() throws Exception {
    kafka = KafkaTestCluster.start();
    LeaverWorker app = new LeaverWorker();
    Settings settings = WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), Files.createTempDirectory("leaver-it").toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.TIMER_TICK.key(), "200ms"));
    worker = WorkerRunner.start(app, settings);
    assertThat(worker.awaitRunning(WAIT)).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    kafka.close();
  }

  @Test
  void anEffectiveLeaverIsRevokedAndCompletedWhenTheIdpConfirms() {
    String subject = "e2e-leaver-now";
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    kafka.produce(Topics.HR_WORKER_EVENTS, subject, leaver(subject, "hr-now", now, now));

    List<AuthenticatorCommand> commands = commandsOf(subject, cs -> cs.size() >= 2);
    assertThat(commands).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCausationId,
            AuthenticatorCommand::getCorrelationId, AuthenticatorCommand::getPolicyRef)
        .containsExactly(
            tuple(CommandAction.REVOKE_ALL, "hr-now", "leaver:e2e-leaver-now:hr-now", "NIST SP 800-63B-4 4.5"),
            tuple(CommandAction.TERMINATE_SESSIONS, "hr-now", "leaver:e2e-leaver-now:hr-now", "NIST SP 800-63B-4 4.5"));
    assertThat(commands.get(0).getRevokeScope()).isEqualTo(new RevokeScope(true, true, true));
    assertThat(auditOf(subject, as -> has(as, "leaver.revocation.requested")))
        .extracting(AuditEvent::getAction).containsExactly("leaver.revocation.requested");

    // Both halves must be confirmed: the factors revoked and the sessions ended.
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, subject, CommandApplied.newBuilder().setEventId("idp-1")
        .setEventTime(Instant.now()).setSubjectId(subject).setCommandId(commands.get(0).getCommandId())
        .setAction(CommandAction.REVOKE_ALL).setSource("idp").build());
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, subject, CommandApplied.newBuilder().setEventId("idp-2")
        .setEventTime(Instant.now()).setSubjectId(subject).setCommandId(commands.get(1).getCommandId())
        .setAction(CommandAction.TERMINATE_SESSIONS).setSource("idp").build());

    List<AuditEvent> audit = auditOf(subject, as -> has(as, "leaver.completed"));
    assertThat(audit).extracting(AuditEvent::getAction, AuditEvent::getOutcome).containsExactly(
        tuple("leaver.revocation.requested", AuditOutcome.REQUESTED), tuple("leaver.completed", AuditOutcome.COMPLETED));
    assertThat(Long.parseLong(audit.get(1).getDetails().get("elapsedMillis"))).isNotNegative();
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
  }

  @Test
  void inShadowModeTheGatewaysDryRunConfirmationsAreAuditedAsShadowAndCompleteNoLeaver() throws Exception {
    String subject = "e2e-leaver-shadow";
    // The gateway as production starts it, on its default adapter: dry run.
    Settings gatewaySettings = Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.APPLICATION_ID_PREFIX.key(), "shadow-it",
        CoreSettings.HTTP_PORT.key(), "0"));
    try (RunningGateway gateway = IdpGateway.start(gatewaySettings)) {
      assertThat(gateway.adapter().dryRun()).isTrue();
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      kafka.produce(Topics.HR_WORKER_EVENTS, subject, leaver(subject, "hr-shadow", now, now));

      List<AuditEvent> audit = auditOf(subject, as -> leaverActions(as).stream()
          .filter("leaver.revocation.shadow"::equals).count() >= 2);

      assertThat(leaverActions(audit)).containsExactly("leaver.revocation.requested", "leaver.revocation.shadow",
          "leaver.revocation.shadow");
      assertThat(audit).filteredOn(a -> a.getAction().equals("leaver.revocation.shadow"))
          .extracting(a -> a.getDetails().get("action")).containsExactlyInAnyOrder("REVOKE_ALL", "TERMINATE_SESSIONS");
    }
    // Nothing was revoked at the IdP: no completion, however long one waits for it.
    assertThat(kafka.readCommitted(Topics.AUDIT, all -> false, Duration.ofSeconds(3)))
        .filteredOn(a -> a.getSubjectId().equals(subject)).extracting(AuditEvent::getAction)
        .doesNotContain("leaver.completed");
  }

  private static List<String> leaverActions(List<AuditEvent> audit) {
    return audit.stream().filter(a -> a.getWorker().equals(LeaverWorker.NAME)).map(AuditEvent::getAction).toList();
  }

  @Test
  void aFutureDatedLeaverIsRevokedAfterItsEffectiveTimeAndNotBefore() {
    String subject = "e2e-leaver-later";
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant effective = now.plusSeconds(3);
    kafka.produce(Topics.HR_WORKER_EVENTS, subject, leaver(subject, "hr-later", now, effective));

    assertThat(auditOf(subject, as -> has(as, "leaver.scheduled"))).extracting(AuditEvent::getAction)
        .containsExactly("leaver.scheduled");
    List<AuthenticatorCommand> commands = commandsOf(subject, cs -> cs.size() >= 2);

    assertThat(commands).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
    assertThat(commands).allSatisfy(c -> assertThat(c.getEventTime()).isAfterOrEqualTo(effective));
    assertThat(auditOf(subject, as -> has(as, "leaver.revocation.requested"))).extracting(AuditEvent::getAction)
        .containsExactly("leaver.scheduled", "leaver.revocation.requested");
  }

  @Test
  void garbageAndInvalidRecordsOnBothInputsAreDeadLetteredWhileTheWorkerKeepsRunning() throws Exception {
    String subject = "e2e-leaver-bad-input";
    Instant now = Instant.now();
    byte[] garbage = "terminate everyone".getBytes(StandardCharsets.UTF_8);
    kafka.produceRaw(List.of(
        new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), utf8(subject), garbage),
        new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), utf8(subject), garbage)));
    kafka.produce(Topics.HR_WORKER_EVENTS, subject,
        WorkerEvent.newBuilder(leaver(subject, "hr-bad", now, now)).setEventId("").build());
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, subject, AuthenticatorBound.newBuilder().setEventId("f-bad")
        .setEventTime(now).setSubjectId("someone-else").setAuthenticatorId("a-1")
        .setFactorType(FactorType.HARDWARE_PASSKEY).build());

    List<DeadLetter> hrLetters = lettersOf(Topics.HR_WORKER_EVENTS.deadLetterTopic(), subject, 2);
    List<DeadLetter> factLetters = lettersOf(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic(), subject, 2);

    assertThat(hrLetters).extracting(DeadLetter::getErrorKind)
        .containsExactlyInAnyOrder(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID);
    assertThat(factLetters).extracting(DeadLetter::getErrorKind)
        .containsExactlyInAnyOrder(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID);
    assertThat(hrLetters).extracting(DeadLetter::getWorker).containsOnly("leaver-worker");
    assertThat(auditOf(subject, as -> as.size() >= 4)).extracting(AuditEvent::getAction)
        .containsOnly("input.dead-lettered").hasSize(4);
    assertThat(worker.state()).isEqualTo(KafkaStreams.State.RUNNING);

    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("lifecycle_leaver_scheduled{worker=\"leaver-worker\"}")
        .contains("lifecycle_leaver_overdue{worker=\"leaver-worker\"}")
        .contains("lifecycle_dead_letters_total{kind=\"UNDECODABLE\",topic=\"authn.authenticator-events.v1\",worker=\"leaver-worker\"}");
  }

  private static WorkerEvent leaver(String subject, String eventId, Instant eventTime, Instant effective) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(eventTime).setType(WorkerEventType.LEAVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(effective)
        .setSource("workday").build();
  }

  private static List<AuthenticatorCommand> commandsOf(String subject, Predicate<List<AuthenticatorCommand>> done) {
    return kafka.readCommitted(Topics.COMMANDS_LEAVER, all -> done.test(only(all, subject)), WAIT).stream()
        .filter(c -> c.getSubjectId().equals(subject)).toList();
  }

  private static List<AuditEvent> auditOf(String subject, Predicate<List<AuditEvent>> done) {
    return kafka.readCommitted(Topics.AUDIT, all -> done.test(onlyAudit(all, subject)), WAIT).stream()
        .filter(a -> a.getSubjectId().equals(subject)).toList();
  }

  private static List<DeadLetter> lettersOf(TopicSpec<DeadLetter> topic, String subject, int count) {
    return kafka.readCommitted(topic, all -> all.stream().filter(l -> subject.equals(key(l))).count() >= count, WAIT)
        .stream().filter(l -> subject.equals(key(l))).toList();
  }

  private static String key(DeadLetter letter) {
    return letter.getKey() == null ? null : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
  }

  private static List<AuthenticatorCommand> only(List<AuthenticatorCommand> all, String subject) {
    return all.stream().filter(c -> c.getSubjectId().equals(subject)).toList();
  }

  private static List<AuditEvent> onlyAudit(List<AuditEvent> all, String subject) {
    return all.stream().filter(a -> a.getSubjectId().equals(subject)).toList();
  }

  private static boolean has(List<AuditEvent> audit, String action) {
    return audit.stream().anyMatch(a -> a.getAction().equals(action));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
