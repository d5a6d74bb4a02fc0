package io.authlifecycle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.CheckpointHead;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditChainVerifier.Break;
import io.authlifecycle.core.audit.AuditChainVerifier.Kind;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpoints;
import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.testing.SecuredKafka;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SampleRecords;
import io.authlifecycle.schemas.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail's writers attacking it on a broker with the secured ACLs. The OCSF feed's
 * principal may read and write the audit topic (it dead-letters, so it audits) and write the
 * checkpoint topic: with that alone it chains a record of its own making into a worker's chain and
 * signs a checkpoint in that worker's name with its own key. Links alone cannot tell; the SOC's
 * principal, verifying against the worker's signed checkpoints, reports both. A copy of the trail
 * with a chain's end removed is reported as truncated.
 */
class AuditForgeryIT {

  private static final String WORKER = "probe-worker";
  private static final String FORGER = "ocsf-feed";

  @TempDir
  Path dir;

  @Test
  void recordsAndCheckpointsForgedByAnotherAuthorisedWriterAreReportedAndATruncatedCopyToo() throws Exception {
    try (SecuredKafka kafka = SecuredKafka.start(List.of("hr-feed", "soc", FORGER))) {
      WriterKeyFile key = WriterKeyFile.generate(WORKER);
      key.writeNew(dir.resolve("probe.key"));
      WriterKeys trusted = WriterKeys.parse(List.of(key.publicEntry(), WriterKeyFile.generate(FORGER).publicEntry()));
      try (RunningWorker worker = WorkerRunner.start(new ProbeWorker(), settings(kafka, dir.resolve("probe.key")))) {
        assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
        send(kafka, "hr-feed", Topics.HR_WORKER_EVENTS.name(), "alice", Topics.HR_WORKER_EVENTS.valueSerde().serializer()
            .serialize(null, WorkerEvent.newBuilder(SampleRecords.joiner("alice")).setEventTime(Instant.now()).build()));
        send(kafka, "hr-feed", Topics.HR_WORKER_EVENTS.name(), "bob", Topics.HR_WORKER_EVENTS.valueSerde().serializer()
            .serialize(null, WorkerEvent.newBuilder(SampleRecords.joiner("bob")).setEventTime(Instant.now()).build()));

        AuditChainVerifier.Report clean = awaitReport(kafka, trusted, Topics.AUDIT.name(),
            r -> r.records() >= 2 && r.checkpoints() > 0 && r.pending() == 0 && r.breaks().isEmpty());
        assertThat(clean.breaks()).isEmpty();
        assertThat(clean.checkpoints()).isPositive();

        // The forger reads the chain (its ACL allows it), appends a record that links, and signs a checkpoint as the worker.
        AuditEvent head = chain(kafka, FORGER, "alice").get(chain(kafka, FORGER, "alice").size() - 1);
        AuditEvent forged = AuditEvent.newBuilder(head).setEventId(WORKER + ":alice:" + (head.getSequence() + 1))
            .setEventTime(Instant.now()).setAction("recovery.approved").setOutcome(AuditOutcome.COMPLETED)
            .setSeverity(Severity.INFO).setReason("approved by two approvers").setSequence(head.getSequence() + 1)
            .setPrevHash(head.getHash()).setHash("").build();
        forged.setHash(AuditHasher.hash(forged));
        send(kafka, FORGER, Topics.AUDIT.name(), "alice", AvroSerde.of(AuditEvent.class).encode(forged));
        AuditCheckpoint signedAsWorker = AuditCheckpoints.seal(AuditCheckpoint.newBuilder().setEventId(WORKER + "/0_9/1")
            .setCreatedAt(Instant.now()).setWriter(WORKER).setSigner(WORKER).setKeyId("0000000000000000").setScope("0_9")
            .setSequence(1).setPrevHash(AuditCheckpoints.GENESIS).setIntervalMillis(1000)
            .setHeads(List.of(new CheckpointHead("alice", forged.getSequence(), forged.getHash()))),
            WriterKeyFile.generate(WORKER).privateKey());
        send(kafka, FORGER, Topics.AUDIT_CHECKPOINTS.name(), "x", AvroSerde.of(AuditCheckpoint.class).encode(signedAsWorker));

        assertThat(new AuditTopicVerifier(SchemaCatalog.get()).verify(kafka.client("soc"), Topics.AUDIT.name(), Optional.empty())
            .breaks()).as("links alone").isEmpty();
        AuditChainVerifier.Report attacked = awaitReport(kafka, trusted, Topics.AUDIT.name(),
            r -> r.breaks().stream().anyMatch(b -> b.kind() == Kind.UNANCHORED));
        assertThat(attacked.breaks()).extracting(Break::kind).containsExactlyInAnyOrder(Kind.CHECKPOINT_FORGED, Kind.UNANCHORED);
        assertThat(attacked.breaks()).filteredOn(b -> b.kind() == Kind.UNANCHORED).singleElement()
            .satisfies(b -> assertThat(b.chain()).isEqualTo("probe-worker / alice"));
      }

      // A copy of the trail without bob's last record, as someone able to rewrite the topic could present it.
      try (Admin admin = Admin.create(kafka.client("admin"))) {
        admin.createTopics(List.of(new NewTopic("audit-copy", 1, (short) 1))).all().get();
      }
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> all = new ArrayList<>();
      TopicScan.readToEnd(kafka.client("admin"), Topics.AUDIT.name(), all::add);
      AvroSerde<AuditEvent> serde = AvroSerde.of(AuditEvent.class);
      int bobLast = -1;
      for (int i = 0; i < all.size(); i++) {
        if (serde.decode(all.get(i).value()).getSubjectId().equals("bob")) {
          bobLast = i;
        }
      }
      Map<String, Object> copier = kafka.producer("admin");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(copier, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < all.size(); i++) {
          if (i != bobLast) {
            // The copy keeps each record's time, as a faithful copy would.
            producer.send(new ProducerRecord<>("audit-copy", null, all.get(i).timestamp(),
                all.get(i).key().getBytes(StandardCharsets.UTF_8), all.get(i).value()));
          }
        }
      }
      AuditChainVerifier.Report copy = new AuditTopicVerifier(SchemaCatalog.get()).verify(kafka.client("admin"),
          new AuditTopicVerifier.Request("audit-copy", Topics.AUDIT_CHECKPOINTS.name(), Optional.of("bob"), trusted,
              new AuditChainVerifier.Options(Optional.empty(), Duration.ofSeconds(2), Instant.now())));
      assertThat(copy.breaks()).filteredOn(b -> b.kind() != Kind.CHECKPOINT_FORGED).singleElement().satisfies(b -> {
        assertThat(b.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(b.chain()).isEqualTo("probe-worker / bob");
      });
    }
  }

  private static Settings settings(SecuredKafka kafka, Path key) {
    Map<String, String> s = new HashMap<>();
    s.put(CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
    s.put(CoreSettings.STATE_DIR.key(), key.getParent().resolve("state").toString());
    s.put(CoreSettings.HTTP_PORT.key(), "0");
    s.put(CheckpointSettings.SIGNING_KEY.key(), key.toString());
    s.put(CheckpointSettings.INTERVAL.key(), "1s");
    // The probe is no principal of the plan: it runs as the admin, the attackers as who the plan names.
    kafka.client("admin").forEach((k, v) -> {
      if (!k.equals("bootstrap.servers")) {
        s.put(Settings.KAFKA_PREFIX + k, String.valueOf(v));
      }
    });
    return WorkerRunner.settings(new ProbeWorker(), Optional.empty(), s);
  }

  /** Verifies as the SOC until {@code done} holds (checkpoints come every second) or 60 s pass. */
  private static AuditChainVerifier.Report awaitReport(SecuredKafka kafka, WriterKeys keys, String topic,
      Predicate<AuditChainVerifier.Report> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      AuditChainVerifier.Report report = new AuditTopicVerifier(SchemaCatalog.get()).verify(kafka.client("soc"),
          new AuditTopicVerifier.Request(topic, Topics.AUDIT_CHECKPOINTS.name(), Optional.empty(), keys,
              new AuditChainVerifier.Options(Optional.empty(), Duration.ofSeconds(2), Instant.now())));
      if (done.test(report) || System.nanoTime() > deadline) {
        return report;
      }
      Thread.sleep(500);
    }
  }

  private static List<AuditEvent> chain(SecuredKafka kafka, String principal, String subject) {
    List<AuditEvent> chain = new ArrayList<>();
    TopicScan.readToEnd(kafka.client(principal), Topics.AUDIT.name(), r -> {
      AuditEvent e = AvroSerde.of(AuditEvent.class).decode(r.value());
      if (e.getWorker().equals(WORKER) && e.getSubjectId().equals(subject)) {
        chain.add(e);
      }
    });
    return chain;
  }

  /** A plain producer of the principal: all it needs is WRITE on the topic. */
  private static void send(SecuredKafka kafka, String principal, String topic, String key, byte[] value) throws Exception {
    Map<String, Object> props = kafka.producer(principal);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
    }
  }
}
