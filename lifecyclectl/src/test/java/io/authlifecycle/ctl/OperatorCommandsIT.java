package io.authlifecycle.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditHasher;
import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SOC and operator commands (audit verify, inspect, dlq list / replay) against a real broker and a running worker. */
class OperatorCommandsIT {

  private static KafkaTestCluster kafka;
  private static RunningWorker probe;
  private static Path tokenFile;
  private static Path writerKeys;

  @BeforeAll
  static void start(@TempDir Path state) throws Exception {
    kafka = KafkaTestCluster.start(1, Map.of());
    kafka.createTopics(List.of("audit-copy", "audit-forged"), 1);
    ProbeWorker app = new ProbeWorker();
    tokenFile = state.resolve("query-token");
    Files.writeString(tokenFile, "a-query-token-for-the-cli-tests\n");
    WriterKeyFile key = WriterKeyFile.generate(app.name());
    key.writeNew(state.resolve("probe.key"));
    writerKeys = state.resolve("writer-keys.txt");
    Files.writeString(writerKeys, "# the writers' public keys\n" + key.publicEntry() + "\n");
    probe = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), state.resolve("state").toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.HTTP_QUERY_TOKEN_FILE.key(), tokenFile.toString(),
        CheckpointSettings.SIGNING_KEY.key(), state.resolve("probe.key").toString(),
        CheckpointSettings.INTERVAL.key(), "500ms")));
    assertThat(probe.awaitRunning(Duration.ofSeconds(60))).isTrue();
    for (String subject : List.of("alice", "bob")) {
      kafka.produce(Topics.HR_WORKER_EVENTS, subject, WorkerEvent.newBuilder(SampleRecords.joiner(subject))
          .setEventTime(Instant.now()).build());
    }
    kafka.readCommitted(Topics.AUDIT, 2, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    probe.close();
    kafka.close();
  }

  @Test
  void auditVerifyPassesOnTheTrailAndFailsOnATamperedCopyNamingTheOffset() {
    Cli intact = run("audit", "verify");
    assertThat(intact.exitCode()).as(intact.err()).isZero();
    assertThat(intact.out()).contains("intact");

    List<ConsumerRecord<String, byte[]>> trail = kafka.readCommittedRaw(Topics.AUDIT.name(), r -> r.size() >= 2, Duration.ofSeconds(30));
    AvroSerde<AuditEvent> serde = AvroSerde.of(AuditEvent.class);
    List<ProducerRecord<byte[], byte[]>> copy = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : trail) {
      AuditEvent event = serde.decode(r.value());
      if (event.getSubjectId().equals("bob")) {
        event.setReason("edited after the fact");
      }
      copy.add(new ProducerRecord<>("audit-copy", r.key().getBytes(StandardCharsets.UTF_8), serde.encode(event)));
    }
    kafka.produceRaw(copy);

    Cli tampered = run("audit", "verify", "--topic", "audit-copy");
    Cli aliceOnly = run("audit", "verify", "--topic", "audit-copy", "--subject", "alice");

    assertThat(tampered.exitCode()).isEqualTo(2);
    assertThat(tampered.out()).contains("BROKEN probe-worker / bob at partition 0 offset").contains("altered");
    assertThat(aliceOnly.exitCode()).isZero();
  }

  @Test
  void inspectShowsTheSubjectAsTheWorkerHoldsItWithPendingTimers() {
    Cli inspect = run("inspect", "--subject", "alice", "--endpoint", "http://127.0.0.1:" + probe.httpPort(), "--json",
        "--token-file", tokenFile.toString());

    assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    assertThat(inspect.out())
        .startsWith("{\"subjectId\":\"alice\",\"workers\":[{\"worker\":\"probe-worker\"")
        .contains("\"probe-worker-audit-chain\":{\"sequence\":1")
        .contains("\"kind\":\"probe.later\"");
  }

  @Test
  void inspectReadsAsASectionPerWorkerWithIsoTimesAndNamesTheEndpointsItCouldNotReach() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Cli inspect = run("inspect", "--subject", "alice", "--token-file", tokenFile.toString(),
        "--endpoint", "http://127.0.0.1:" + probe.httpPort() + ",http://127.0.0.1:" + closed);

    assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    assertThat(inspect.out()).startsWith("subject alice\n\n== probe-worker  (served by ")
        .contains("  probe-worker-audit-chain:\n    sequence: 1\n")
        .containsPattern("  pending timers:\n    \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:[0-9.]+Z  probe.later\n")
        .endsWith("not reached: http://127.0.0.1:" + closed + "\n");
    assertThat(inspect.err()).contains("not reached: http://127.0.0.1:" + closed);
  }

  @Test
  void inspectWithoutTheWorkersQueryTokenGetsNothingAndSaysWhy() throws Exception {
    Path wrong = tokenFile.resolveSibling("wrong-token");
    Files.writeString(wrong, "not-the-token-of-the-workers");

    Cli none = run("inspect", "--subject", "alice", "--endpoint", "http://127.0.0.1:" + probe.httpPort(), "--json");
    Cli mistaken = run("inspect", "--subject", "alice", "--endpoint", "http://127.0.0.1:" + probe.httpPort(), "--json",
        "--token-file", wrong.toString());

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.out()).doesNotContain("probe-worker-audit-chain").contains("\"status\":401");
    assertThat(none.err()).contains("refused: no query token");
    assertThat(mistaken.exitCode()).isEqualTo(2);
    assertThat(mistaken.err()).contains("refused: wrong query token");
  }

  @Test
  void auditVerifyWithTheWritersKeysReportsARecordChainedInByAnotherWriterThatLinksAlonePass() throws Exception {
    // Wait until a checkpoint covers the probe's records, then copy the trail and chain a forgery onto alice's.
    assertThat(awaitVerified()).as("the trail anchored by the probe's checkpoints").isZero();
    List<ConsumerRecord<String, byte[]>> trail = kafka.readCommittedRaw(Topics.AUDIT.name(), r -> r.size() >= 2, Duration.ofSeconds(30));
    AvroSerde<AuditEvent> serde = AvroSerde.of(AuditEvent.class);
    List<ProducerRecord<byte[], byte[]>> copy = new ArrayList<>();
    AuditEvent aliceHead = null;
    for (ConsumerRecord<String, byte[]> r : trail) {
      AuditEvent event = serde.decode(r.value());
      if (event.getSubjectId().equals("alice") && event.getWorker().equals("probe-worker")) {
        aliceHead = event;
      }
      copy.add(new ProducerRecord<>("audit-forged", null, r.timestamp(), r.key().getBytes(StandardCharsets.UTF_8), r.value()));
    }
    AuditEvent forged = AuditEvent.newBuilder(aliceHead).setSequence(aliceHead.getSequence() + 1).setPrevHash(aliceHead.getHash())
        .setAction("recovery.approved").setReason("two approvals").setHash("").build();
    forged.setHash(AuditHasher.hash(forged));
    copy.add(new ProducerRecord<>("audit-forged", null, trail.get(0).timestamp(), "alice".getBytes(StandardCharsets.UTF_8),
        serde.encode(forged)));
    kafka.produceRaw(copy);

    Cli linksOnly = run("audit", "verify", "--topic", "audit-forged");
    Cli anchored = run("audit", "verify", "--topic", "audit-forged", "--writer-keys", writerKeys.toString(), "--grace", "PT1S");

    assertThat(linksOnly.exitCode()).as(linksOnly.out()).isZero();
    assertThat(linksOnly.out()).contains("NOTE no writer keys given");
    assertThat(anchored.exitCode()).as(anchored.out()).isEqualTo(2);
    assertThat(anchored.out()).contains("valid checkpoints of probe-worker")
        .contains("BROKEN probe-worker / alice at partition 0 offset " + (copy.size() - 1) + ": 1 record(s) from sequence "
            + forged.getSequence() + " are covered by no checkpoint of probe-worker");
  }

  /** Runs audit verify with the writers' keys until it passes (a checkpoint covers every record) or 30 s pass. */
  private static int awaitVerified() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Cli verify;
    do {
      Thread.sleep(200);
      verify = run("audit", "verify", "--writer-keys", writerKeys.toString(), "--grace", "PT1S");
    } while ((verify.exitCode() != 0 || !verify.out().contains("; 0 records too recent")) && System.nanoTime() < deadline);
    return verify.exitCode();
  }

  @Test
  void dlqListShowsReasonsAndReplaySendsTheOriginalBytesBackAudited() {
    byte[] original = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
    DeadLetter letter = DeadLetter.newBuilder().setEventId("mdm.device-events.v1:0:7").setEventTime(Instant.now())
        .setSourceTopic(Topics.MDM_DEVICE_EVENTS.name()).setPartition(0).setOffset(7)
        .setKey(ByteBuffer.wrap("dev-9".getBytes(StandardCharsets.UTF_8))).setValue(ByteBuffer.wrap(original))
        .setErrorKind(DeadLetterKind.UNDECODABLE).setError("not Avro single-object encoding").setWorker("mover-worker").build();
    kafka.produce(Topics.MDM_DEVICE_EVENTS.deadLetterTopic(), "dev-9", letter);

    Cli list = run("dlq", "list", "--topic", "mdm.device-events.dlq.v1", "--since", "1h");
    Cli notADlq = run("dlq", "list", "--topic", "hr.worker-events.v1");
    Cli replay = run("dlq", "replay", "--topic", "mdm.device-events.dlq.v1", "--offset", "0:0",
        "--operator", "ops-anna", "--reason", "MDM connector fixed");

    assertThat(list.out()).contains("0:0").contains("UNDECODABLE").contains("key=dev-9")
        .contains("not Avro single-object encoding").contains("1 dead letter(s)");
    assertThat(notADlq.exitCode()).isNotZero();
    assertThat(notADlq.err()).contains("not a dead-letter topic");
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("replayed 0:0 to mdm.device-events.v1").contains("1 letter(s) replayed");
    List<ConsumerRecord<String, byte[]>> source = kafka.readCommittedRaw(Topics.MDM_DEVICE_EVENTS.name(),
        r -> !r.isEmpty(), Duration.ofSeconds(30));
    assertThat(source).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("dev-9");
      assertThat(r.value()).isEqualTo(original);
    });
    assertThat(kafka.readCommitted(Topics.AUDIT, a -> a.stream().anyMatch(e -> e.getAction().equals("dlq.replayed")),
        Duration.ofSeconds(30))).filteredOn(e -> e.getAction().equals("dlq.replayed")).singleElement()
        .satisfies(e -> {
          assertThat(e.getDetails()).containsEntry("operator", "ops-anna").containsEntry("sourceTopic", "mdm.device-events.v1");
          assertThat(e.getReason()).isEqualTo("MDM connector fixed");
        });
  }

  private static Cli run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap";
    all[args.length + 1] = kafka.bootstrapServers();
    return args[0].equals("inspect") ? Cli.run(args) : Cli.run(all);
  }
}
