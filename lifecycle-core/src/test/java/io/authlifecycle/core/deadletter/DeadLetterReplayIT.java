package io.authlifecycle.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.SampleRecords;
import io.authlifecycle.schemas.SchemaCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator lists dead letters, fixes the cause, and replays them: the record is decided and the replay audited. */
class DeadLetterReplayIT {

  @Test
  void aLetterReplayedAfterTheFixIsDecidedAndTheReplayIsAudited(@TempDir Path state) throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1, Map.of())) {
      WorkerEvent early = WorkerEvent.newBuilder(SampleRecords.joiner("alice"))
          .setEventId("hr-clock-skew").setEventTime(Instant.now().plus(Duration.ofMinutes(10))).build();
      try (RunningWorker strict = probe(kafka, state, "1m")) {
        kafka.produce(Topics.HR_WORKER_EVENTS, "alice", early);
        kafka.readCommitted(Topics.HR_WORKER_EVENTS.deadLetterTopic(), 1, Duration.ofSeconds(60));
      }
      DeadLetterReplay replay = new DeadLetterReplay(Map.of("bootstrap.servers", kafka.bootstrapServers()));

      List<DeadLetterReplay.Positioned> letters = replay.list(Topics.HR_WORKER_EVENTS.deadLetterTopic(),
          DeadLetterReplay.since(Instant.now().minus(Duration.ofHours(1))));
      assertThat(letters).singleElement().satisfies(p -> {
        assertThat(p.letter().getErrorKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(p.letter().getError()).contains("in the future");
      });

      try (RunningWorker tolerant = probe(kafka, state, "1h")) {
        List<AuditEvent> replayed = replay.replay(letters, "ops-anna", "clock skew tolerance raised to 1h");
        List<AuditEvent> audit = kafka.readCommitted(Topics.AUDIT,
            a -> a.stream().anyMatch(e -> e.getAction().equals("probe.received")), Duration.ofSeconds(60));

        assertThat(replayed).singleElement().satisfies(a -> {
          assertThat(a.getAction()).isEqualTo("dlq.replayed");
          assertThat(a.getWorker()).isEqualTo("lifecyclectl");
          assertThat(a.getDetails()).containsEntry("operator", "ops-anna").containsEntry("sourceTopic", "hr.worker-events.v1");
        });
        assertThat(audit).extracting(AuditEvent::getAction)
            .containsExactly("input.dead-lettered", "dlq.replayed", "probe.received");
        assertThat(audit.get(2).getCausationId()).isEqualTo("hr-clock-skew");
        assertThat(new AuditTopicVerifier(SchemaCatalog.get())
            .verify(Map.of("bootstrap.servers", kafka.bootstrapServers()), Topics.AUDIT.name(), Optional.empty()).breaks())
            .isEmpty();
      }
    }
  }

  private static RunningWorker probe(KafkaTestCluster kafka, Path state, String skew) throws InterruptedException {
    ProbeWorker app = new ProbeWorker();
    RunningWorker worker = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), state.toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.MAX_FUTURE_SKEW.key(), skew)));
    assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
    return worker;
  }
}
