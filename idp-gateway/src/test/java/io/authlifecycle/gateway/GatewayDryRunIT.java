package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway on a real broker with the default dry-run adapter: shadow mode, dead letters, idempotency, endpoints. */
// A running gateway is the test's environment even where the body does not name it.
@SuppressWarnings("try")
class GatewayDryRunIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static KafkaTestCluster kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = KafkaTestCluster.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void dryRunReportsWhatItWouldHaveDoneAndAppliesNothing() {
    AuthenticatorCommand command = TestGateway.revokeAll("dora", "hr-dora-1");
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "dora", command);

      CommandApplied applied = appliedFor(command.getCommandId());
      AuditEvent audit = auditFor("dora", a -> a.getAction().equals("gateway.command.shadow"));

      assertThat(gateway.adapter().name()).isEqualTo("dry-run");
      assertThat(applied).isEqualTo(CommandApplied.newBuilder()
          .setEventId(Ids.derive(IdpGateway.NAME, command.getCommandId(), "applied"))
          .setEventTime(applied.getEventTime()).setSubjectId("dora").setCommandId(command.getCommandId())
          .setAction(CommandAction.REVOKE_ALL).setAuthenticatorIds(List.of()).setDryRun(true)
          .setDetail("dry run: would remove every factor, backup codes, open enrollments of dora")
          .setSource("dry-run").build());
      assertThat(facts(f -> f instanceof io.authlifecycle.avro.AuthenticatorRevoked r && r.getSubjectId().equals("dora"))).isEmpty();
      assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
      assertThat(audit.getReason()).isEqualTo("shadow mode, nothing changed at the IdP: "
          + "dry run: would remove every factor, backup codes, open enrollments of dora");
      assertThat(audit.getSeverity()).isEqualTo(Severity.INFO);
      assertThat(audit.getCommandIds()).containsExactly(command.getCommandId());
      assertThat(audit.getCorrelationId()).isEqualTo("leaver:dora:hr-dora-1");
    }
  }

  @Test
  void deadLettersGarbageAndInvalidCommandsWithAnAuditRecordEachAndKeepsRunning() {
    AuthenticatorCommand wrongKey = TestGateway.revokeAll("erin", "hr-erin-1");
    AuthenticatorCommand noAuthenticator = TestGateway.command(CommandAction.REVOKE_AUTHENTICATOR, "erin", "mdm-erin-2").build();
    AuthenticatorCommand good = TestGateway.revokeAll("erin", "hr-erin-3");
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produceRaw(List.of(new ProducerRecord<>(Topics.COMMANDS_LEAVER.name(), bytes("erin"), bytes("not avro at all"))));
      kafka.produce(TestGateway.topicOf(wrongKey), "someone-else", wrongKey);
      kafka.produce(TestGateway.topicOf(noAuthenticator), "erin", noAuthenticator);
      kafka.produce(TestGateway.topicOf(good), "erin", good);

      appliedFor(good.getCommandId());
      List<DeadLetter> letters = kafka.readCommitted(Topics.COMMANDS.deadLetterTopic(),
          ls -> ls.stream().filter(l -> l.getWorker().equals(IdpGateway.NAME)).count() >= 3, WAIT).stream()
          .filter(l -> l.getKey() != null && List.of("erin", "someone-else").contains(StandardCharsets.UTF_8.decode(l.getKey()).toString()))
          .toList();
      List<AuditEvent> audits = kafka.readCommitted(Topics.AUDIT, 4, WAIT);

      assertThat(letters).extracting(DeadLetter::getErrorKind)
          .containsExactlyInAnyOrder(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID, DeadLetterKind.INVALID);
      assertThat(letters).extracting(DeadLetter::getError).anySatisfy(e -> assertThat(e).contains("does not match subjectId"))
          .anySatisfy(e -> assertThat(e).isEqualTo("REVOKE_AUTHENTICATOR names no authenticatorId"));
      assertThat(letters).allSatisfy(l -> assertThat(l.getSourceTopic()).isEqualTo(Topics.COMMANDS_LEAVER.name()));
      assertThat(audits.stream().filter(a -> a.getAction().equals("input.dead-lettered")))
          .hasSizeGreaterThanOrEqualTo(3)
          .allSatisfy(a -> assertThat(a.getSeverity()).isEqualTo(Severity.HIGH));
      assertThat(AuditChainVerifier.verify(audits).breaks()).isEmpty();
      assertThat(gateway.status()).isEqualTo("RUNNING");
    }
  }

  @Test
  void aReplayedCommandIsAcknowledgedNotAppliedAgainEvenByANewInstance() {
    AuthenticatorCommand command = TestGateway.revokeAll("fred", "hr-fred-1");
    AuthenticatorCommand later = TestGateway.revokeAll("fred", "hr-fred-2");
    AuthenticatorCommand last = TestGateway.revokeAll("fred", "hr-fred-3");
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "fred", command);
      appliedFor(command.getCommandId());
      kafka.produce(TestGateway.topicOf(command), "fred", command);
      kafka.produce(TestGateway.topicOf(later), "fred", later);
      appliedFor(later.getCommandId());
    }
    // A new instance in a new group reads every command again; its state is rebuilt from what was committed.
    try (RunningGateway again = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(TestGateway.topicOf(last), "fred", last);
      appliedFor(last.getCommandId());
    }

    List<SpecificRecord> applied = facts(f -> f instanceof CommandApplied a && a.getSubjectId().equals("fred"));
    assertThat(applied).extracting(f -> ((CommandApplied) f).getCommandId())
        .containsExactly(command.getCommandId(), later.getCommandId(), last.getCommandId());
    List<AuditEvent> fredAudits = kafka.readCommitted(Topics.AUDIT, 1, WAIT).stream()
        .filter(a -> a.getSubjectId().equals("fred")).toList();
    assertThat(fredAudits).extracting(AuditEvent::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(AuditChainVerifier.verify(fredAudits).breaks()).isEmpty();
  }

  @Test
  void servesHealthReadinessAndResilienceMetrics() throws Exception {
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      AuthenticatorCommand command = TestGateway.revokeAll("gina", "hr-gina-1");
      kafka.produce(TestGateway.topicOf(command), "gina", command);
      appliedFor(command.getCommandId());

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + gateway.httpPort();
      HttpResponse<String> health = get(http, base + "/health");
      HttpResponse<String> ready = get(http, base + "/ready");
      String metrics = get(http, base + "/metrics").body();

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo(
          "{\"state\":\"RUNNING\",\"adapter\":\"dry-run\",\"shadowMode\":true,\"circuitBreaker\":\"CLOSED\",\"pausedPartitions\":0}");
      assertThat(metrics)
          .contains("resilience4j_circuitbreaker_state{name=\"idp\",state=\"closed\"} 1.0")
          .contains("resilience4j_ratelimiter_available_permissions{name=\"idp\"}")
          .contains("resilience4j_bulkhead_available_concurrent_calls{name=\"idp\"}")
          .contains("resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"idp\"}")
          .contains("lifecycle_decisions_total{decision=\"dry-run\",worker=\"idp-gateway\"}")
          .contains("gateway_partitions_paused{worker=\"idp-gateway\"} 0.0")
          .contains("lifecycle_gateway_shadow_mode{worker=\"idp-gateway\"} 1.0");
    }
  }

  @Test
  void aGatewayInShadowModeSaysSoAtStartWithAWarning() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(IdpGateway.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      assertThat(seen.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(e.getFormattedMessage()).contains("runs in SHADOW MODE (gateway.adapter=dry-run)")
            .contains("NOTHING is changed at the IdP");
      });
    } finally {
      logger.detachAppender(seen);
    }
  }

  @Test
  void isFoundByTheLocalStackAsALaunchable() {
    assertThat(ServiceLoader.load(Launchable.class).stream().map(p -> p.type().getName()))
        .contains(IdpGateway.class.getName());
  }

  private static CommandApplied appliedFor(String commandId) {
    return (CommandApplied) facts(f -> f instanceof CommandApplied a && a.getCommandId().equals(commandId), 1).get(0);
  }

  private static AuditEvent auditFor(String subject, Predicate<AuditEvent> which) {
    return kafka.readCommitted(Topics.AUDIT, as -> as.stream().anyMatch(a -> a.getSubjectId().equals(subject) && which.test(a)), WAIT)
        .stream().filter(a -> a.getSubjectId().equals(subject) && which.test(a)).findFirst().orElseThrow();
  }

  private static List<SpecificRecord> facts(Predicate<SpecificRecord> which) {
    return facts(which, 0);
  }

  private static List<SpecificRecord> facts(Predicate<SpecificRecord> which, int atLeast) {
    List<SpecificRecord> found = kafka.readCommitted(Topics.AUTHENTICATOR_EVENTS,
            fs -> fs.stream().filter(which).count() >= Math.max(1, atLeast), atLeast == 0 ? Duration.ofSeconds(3) : WAIT)
        .stream().filter(which).toList();
    assertThat(found).hasSizeGreaterThanOrEqualTo(atLeast);
    return found;
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
