package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.testing.SecuredKafka;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Command provenance on a broker with the secured ACLs (SASL/PLAIN, the standard authorizer, the
 * access plan): the gateway runs as its own principal; a leaked leaver-worker credential cannot put a
 * RECOVERY ticket anywhere the gateway reads, and what it can write (its own topic) is refused.
 */
// A running gateway is the test's environment even where the body does not name it.
@SuppressWarnings("try")
class SecuredCommandProvenanceIT {

  private static final String PREFIX = "authn-lifecycle";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static SecuredKafka kafka;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    // hr-feed: the principal SecuredKafka probes with until the broker enforces the plan's ACLs.
    kafka = SecuredKafka.start(List.of("idp-gateway", "leaver-worker", "recovery-worker", "hr-feed"));
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  @Test
  void aLeakedLeaverCredentialCannotGetARecoveryTicketToTheGateway() throws Exception {
    Instant now = Instant.now();
    AuthenticatorCommand forged = TestGateway.ticket("S-yara", "forged-1", TicketPurpose.RECOVERY, List.of(FactorType.OTP_APP),
        now, now.plus(Duration.ofMinutes(10)));
    AuthenticatorCommand legit = TestGateway.ticket("S-yara", "rec-yara-1", TicketPurpose.RECOVERY, List.of(FactorType.OTP_APP),
        now, now.plus(Duration.ofMinutes(10)));
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), gatewaySettings())) {
      // Every other topic the gateway reads (and its state) is closed to the leaver's principal.
      for (TopicSpec<?> topic : List.of(Topics.COMMANDS_RECOVERY, Topics.COMMANDS_JOINER, Topics.COMMANDS_MOVER,
          Topics.GATEWAY_STATE)) {
        assertRefused("leaver-worker", topic, forged);
      }
      // Its own topic it can write, as the leaver worker does, in a transaction; the gateway refuses the command.
      sendTransactionally("leaver-worker", Topics.COMMANDS_LEAVER, forged);
      sendTransactionally("recovery-worker", Topics.COMMANDS_RECOVERY, legit);

      DeadLetter letter = read(Topics.COMMANDS.deadLetterTopic(), l -> l.getSourceTopic().equals(Topics.COMMANDS_LEAVER.name()));
      AuditEvent refused = read(Topics.AUDIT, a -> a.getAction().equals("gateway.command.refused"));
      CommandApplied applied = read(Topics.AUTHENTICATOR_EVENTS,
          f -> f instanceof CommandApplied a && a.getCommandId().equals(legit.getCommandId())) instanceof CommandApplied a ? a : null;

      assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.INVALID);
      assertThat(letter.getError()).isEqualTo("refused: issuedBy 'recovery-worker' on authn.commands.leaver.v1, the topic of "
          + "leaver-worker; leaver-worker may not issue ISSUE_ENROLLMENT_TICKET; leaver-worker may not issue RECOVERY tickets "
          + "(only recovery-worker does)");
      assertThat(refused.getSeverity()).isEqualTo(Severity.CRITICAL);
      assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
      assertThat(refused.getSubjectId()).isEqualTo("S-yara");
      assertThat(applied).isNotNull();
      assertThat(applied.getDryRun()).isTrue();
      assertThat(gateway.status()).isEqualTo("RUNNING");
    }
  }

  private static Map<String, String> gatewaySettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(CoreSettings.APPLICATION_ID_PREFIX.key(), PREFIX);
    settings.put("kafka.security.protocol", "SASL_PLAINTEXT");
    settings.put("kafka.sasl.mechanism", "PLAIN");
    settings.put("kafka.sasl.jaas.config", jaas("idp-gateway"));
    return settings;
  }

  private static void sendTransactionally(String principal, TopicSpec<AuthenticatorCommand> topic, AuthenticatorCommand command)
      throws Exception {
    Map<String, Object> props = client(principal);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, PREFIX + "-" + principal + "-" + UUID.randomUUID());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(topic, command)).get(30, TimeUnit.SECONDS);
      producer.commitTransaction();
    }
  }

  /** A plain producer, so the refusal is the topic ACL's. */
  private static void assertRefused(String principal, TopicSpec<?> topic, AuthenticatorCommand command) {
    Map<String, Object> props = client(principal);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(() -> producer.send(record(topic, command)).get(30, TimeUnit.SECONDS))
          .as(principal + " writing " + topic.name())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  private static ProducerRecord<byte[], byte[]> record(TopicSpec<?> topic, AuthenticatorCommand command) {
    return new ProducerRecord<>(topic.name(), command.getSubjectId().getBytes(StandardCharsets.UTF_8),
        Topics.COMMANDS_LEAVER.valueSerde().serializer().serialize(topic.name(), command));
  }

  /** The first committed record of a topic matching {@code which}, read as the admin. */
  private static <V> V read(TopicSpec<V> topic, Predicate<V> which) {
    Map<String, Object> props = client("admin");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          V value = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
          if (which.test(value)) {
            return value;
          }
        }
      }
    }
    throw new AssertionError("nothing matching on " + topic.name() + " within " + WAIT);
  }

  private static String jaas(String principal) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + principal
        + "\" password=\"" + principal + "-secret\";";
  }

  private static Map<String, Object> client(String principal) {
    return kafka.client(principal);
  }
}
