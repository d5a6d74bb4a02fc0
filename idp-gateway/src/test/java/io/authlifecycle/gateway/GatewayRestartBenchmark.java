package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long a gateway restart and a rebalance take with a large backlog on the facts and audit
 * topics (not a timed test; tagged {@code benchmark}, which the normal suite excludes). Fills both
 * topics with other components' records, lets the gateway apply some commands of its own, then
 * times (1) a restart: start until a new command on every partition is applied, and (2) a second
 * instance joining the group: join until a new command on every partition is applied.
 *
 * <p>{@code mvn -B -pl idp-gateway -am test -Dtest=GatewayRestartBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsurefire.excludedGroups= -Dbench.backlog=500000}
 */
@Tag("benchmark")
class GatewayRestartBenchmark {

  private static final int BACKLOG = Integer.getInteger("bench.backlog", 500_000);
  private static final int OWN_COMMANDS = Integer.getInteger("bench.commands", 600);
  private static final Duration WAIT = Duration.ofMinutes(10);

  @Test
  void restartAndRebalanceWithALargeBacklog() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      long fillStart = System.nanoTime();
      fill(kafka);
      System.out.printf("BENCH backlog: %,d facts + %,d audit records written in %,d ms%n", BACKLOG, BACKLOG,
          (System.nanoTime() - fillStart) / 1_000_000);
      String prefix = "bench-" + UUID.randomUUID();
      Map<String, String> settings = Map.of(CoreSettings.APPLICATION_ID_PREFIX.key(), prefix);
      try (RunningGateway first = TestGateway.start(kafka.bootstrapServers(), settings)) {
        List<AuthenticatorCommand> own = IntStream.range(0, OWN_COMMANDS)
            .mapToObj(i -> TestGateway.revokeAll("own-" + i, "bench-own-" + i)).toList();
        produce(kafka, own);
        awaitApplied(kafka, own);
      }

      long restartStart = System.nanoTime();
      try (RunningGateway restarted = TestGateway.start(kafka.bootstrapServers(), settings)) {
        List<AuthenticatorCommand> probes = probes("restart");
        produce(kafka, probes);
        awaitApplied(kafka, probes);
        long restart = (System.nanoTime() - restartStart) / 1_000_000;

        long joinStart = System.nanoTime();
        try (RunningGateway second = TestGateway.start(kafka.bootstrapServers(), settings)) {
          awaitAssigned(second);
          List<AuthenticatorCommand> after = probes("join");
          produce(kafka, after);
          awaitApplied(kafka, after);
          long join = (System.nanoTime() - joinStart) / 1_000_000;
          System.out.printf("BENCH restart: start → a new command on every partition applied: %,d ms%n", restart);
          System.out.printf("BENCH rebalance: second instance joins → a new command on every partition applied: %,d ms%n",
              join);
          assertThat(second.status()).isEqualTo("RUNNING");
        }
      }
    }
  }

  private static void awaitAssigned(RunningGateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (gateway.assignedPartitions().isEmpty()) {
      assertThat(System.nanoTime()).as("second instance assigned").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Other components' records: factor use on the facts topic, the mover's audit records. */
  private static void fill(KafkaTestCluster kafka) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    Instant now = Instant.now();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < BACKLOG; i++) {
        String subject = "s-" + (i % 100_000);
        byte[] key = subject.getBytes(StandardCharsets.UTF_8);
        AuthenticatorUsed used = AuthenticatorUsed.newBuilder().setEventId("use-" + i).setEventTime(now)
            .setSubjectId(subject).setAuthenticatorId("otp-" + subject).setFactorType(FactorType.OTP_APP)
            .setSource("keycloak").build();
        producer.send(new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), key,
            Topics.AUTHENTICATOR_EVENTS.valueSerde().serializer().serialize(Topics.AUTHENTICATOR_EVENTS.name(), used)));
        AuditEvent audit = AuditEvent.newBuilder().setEventId("mover-worker:" + subject + ":" + i).setEventTime(now)
            .setWorker("mover-worker").setSubjectId(subject).setAction("mover.level.recorded")
            .setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO).setReason("benchmark backlog")
            .setSequence(i + 1L).setPrevHash("0".repeat(64)).setHash("f".repeat(64)).build();
        producer.send(new ProducerRecord<>(Topics.AUDIT.name(), key, Topics.AUDIT.valueSerde().serializer()
            .serialize(Topics.AUDIT.name(), audit)));
      }
      producer.flush();
    }
  }

  /** One command per partition: subjects chosen so that each of the partitions gets one. */
  private static List<AuthenticatorCommand> probes(String round) {
    Map<Integer, AuthenticatorCommand> byPartition = new HashMap<>();
    for (int i = 0; byPartition.size() < Topics.DEFAULT_PARTITIONS; i++) {
      String subject = "probe-" + round + "-" + i;
      int partition = org.apache.kafka.common.utils.Utils.toPositive(
          org.apache.kafka.common.utils.Utils.murmur2(subject.getBytes(StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
      byPartition.putIfAbsent(partition, TestGateway.revokeAll(subject, "bench-" + round + "-" + i));
    }
    return List.copyOf(byPartition.values());
  }

  private static void produce(KafkaTestCluster kafka, List<AuthenticatorCommand> commands) {
    Map<String, AuthenticatorCommand> byKey = new HashMap<>();
    commands.forEach(c -> byKey.put(c.getSubjectId(), c));
    kafka.produce(Topics.COMMANDS_LEAVER, byKey);
  }

  /** Reads the facts topic's last records, and what follows, until every command is applied. */
  private static void awaitApplied(KafkaTestCluster kafka, List<AuthenticatorCommand> commands) {
    Set<String> wanted = ConcurrentHashMap.newKeySet();
    commands.forEach(c -> wanted.add(c.getCommandId()));
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUTHENTICATOR_EVENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      // The commands may have been applied before this reader started: look back past them.
      consumer.endOffsets(partitions).forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - OWN_COMMANDS * 2L)));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!wanted.isEmpty()) {
        assertThat(System.nanoTime()).as("waiting for " + wanted.size() + " commands").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          if (Topics.AUTHENTICATOR_EVENTS.valueSerde().deserializer().deserialize(null, r.value()) instanceof CommandApplied a) {
            wanted.remove(a.getCommandId());
          }
        }
      }
    }
  }
}
