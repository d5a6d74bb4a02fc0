package io.authlifecycle.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.audit.AuditHasher;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpoints;
import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.audit.checkpoint.CheckpointVerifier;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SampleRecords;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Every decision processor signs checkpoints of the chains its task wrote, on the wall clock and by count. */
class CheckpointTopologyTest {

  @Test
  void eachIntervalTheTaskSignsTheHeadsItChangedAndTheTrailVerifiesAgainstThem() throws Exception {
    try (TopologyHarness harness = new TopologyHarness(new ProbeWorker()).withoutAuditCatalogCheck()) {
      // Ten seconds in, so the probe's timers (a minute after each event) do not fall on the checkpoint's tick.
      harness.advance(Duration.ofSeconds(10));
      harness.pipe(Topics.HR_WORKER_EVENTS, "alice", event("alice", "e1", harness));
      harness.pipe(Topics.HR_WORKER_EVENTS, "bob", event("bob", "e2", harness));
      harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", new byte[] {1, 2, 3});
      assertThat(harness.read(Topics.AUDIT_CHECKPOINTS)).as("nothing before the interval").isEmpty();

      harness.advance(Duration.ofSeconds(25));
      harness.advance(Duration.ofSeconds(25));
      List<KeyValue<String, AuditCheckpoint>> first = harness.readKeyed(Topics.AUDIT_CHECKPOINTS);
      harness.advance(Duration.ofMinutes(1));
      List<AuditCheckpoint> second = harness.read(Topics.AUDIT_CHECKPOINTS);

      assertThat(first).singleElement().satisfies(kv -> {
        assertThat(kv.key).isEqualTo("probe-worker/0_0");
        assertThat(kv.value.getWriter()).isEqualTo("probe-worker");
        assertThat(kv.value.getSequence()).isEqualTo(1);
        assertThat(kv.value.getIntervalMillis()).isEqualTo(60_000);
        assertThat(kv.value.getHeads()).extracting(h -> h.getSubjectId() + ":" + h.getSequence())
            .containsExactly("alice:2", "bob:1");
        assertThat(AuditCheckpoints.verifies(generic(kv.value), harness.signingKey().publicKey())).isTrue();
      });
      // The probe's timers fired at 70 s: the next checkpoint carries the heads they moved, linked to the first.
      assertThat(second).singleElement().satisfies(c -> {
        assertThat(c.getPrevHash()).isEqualTo(first.get(0).value.getHash());
        assertThat(c.getHeads()).extracting(h -> h.getSubjectId() + ":" + h.getSequence()).containsExactly("alice:3", "bob:2");
      });
      List<AuditEvent> audit = harness.read(Topics.AUDIT);
      assertThat(verify(audit, List.of(first.get(0).value, second.get(0)), harness).breaks()).isEmpty();
    }
  }

  @Test
  void aTaskThatChangedMaxHeadsChainsSignsAtOnceWithoutWaitingForTheClock() {
    try (TopologyHarness harness = new TopologyHarness(new ProbeWorker(),
        Map.of(CheckpointSettings.MAX_HEADS.key(), "2")).withoutAuditCatalogCheck()) {
      harness.pipe(Topics.HR_WORKER_EVENTS, "alice", event("alice", "e1", harness));
      assertThat(harness.read(Topics.AUDIT_CHECKPOINTS)).isEmpty();
      harness.pipe(Topics.HR_WORKER_EVENTS, "bob", event("bob", "e2", harness));
      harness.pipe(Topics.HR_WORKER_EVENTS, "carol", event("carol", "e3", harness));

      assertThat(harness.read(Topics.AUDIT_CHECKPOINTS)).singleElement()
          .satisfies(c -> assertThat(c.getHeads()).extracting(h -> h.getSubjectId()).containsExactly("alice", "bob"));
    }
  }

  @Test
  void deadLetteredInputsCountTowardsACheckpointToo() {
    try (TopologyHarness harness = new TopologyHarness(new ProbeWorker(),
        Map.of(CheckpointSettings.MAX_HEADS.key(), "2")).withoutAuditCatalogCheck()) {
      for (String key : List.of("junk-1", "junk-2", "junk-3")) {
        harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), key, new byte[] {1, 2, 3});
      }

      assertThat(harness.read(Topics.AUDIT_CHECKPOINTS)).singleElement()
          .satisfies(c -> assertThat(c.getHeads()).extracting(h -> h.getSubjectId()).containsExactly("junk-1", "junk-2"));
    }
  }

  @Test
  void aWorkerWithoutASigningKeyWritesNoCheckpoints() {
    try (TopologyHarness harness = new TopologyHarness(new ProbeWorker(),
        Map.of(CheckpointSettings.SIGNING_KEY.key(), "")).withoutAuditCatalogCheck()) {
      harness.pipe(Topics.HR_WORKER_EVENTS, "alice", event("alice", "e1", harness));
      harness.advance(Duration.ofMinutes(2));

      assertThat(harness.read(Topics.AUDIT)).isNotEmpty();
      assertThat(harness.read(Topics.AUDIT_CHECKPOINTS)).isEmpty();
    }
  }

  private static WorkerEvent event(String subject, String id, TopologyHarness harness) {
    return WorkerEvent.newBuilder(SampleRecords.joiner(subject)).setEventId(id).setEventTime(harness.now()).build();
  }

  private static AuditChainVerifier.Report verify(List<AuditEvent> audit, List<AuditCheckpoint> checkpoints, TopologyHarness harness)
      throws Exception {
    CheckpointVerifier checkpointVerifier = new CheckpointVerifier(WriterKeys.parse(List.of(harness.signingKey().publicEntry())), true);
    for (AuditCheckpoint c : checkpoints) {
      checkpointVerifier.accept(generic(c), c.getEventId());
    }
    AuditChainVerifier verifier = new AuditChainVerifier(checkpointVerifier.attestations(),
        new AuditChainVerifier.Options(Optional.empty(), Duration.ofSeconds(1), harness.now()));
    List<AuditChainVerifier.Break> breaks = new ArrayList<>(checkpointVerifier.breaks());
    for (int i = 0; i < audit.size(); i++) {
      AuditEvent e = audit.get(i);
      verifier.accept(new AuditChainVerifier.Link(e.getWorker(), e.getSubjectId(), e.getSequence(), e.getPrevHash(),
          e.getHash(), AuditHasher.hash(e), "record " + i, e.getEventTime().toEpochMilli()));
    }
    breaks.addAll(verifier.report().breaks());
    return new AuditChainVerifier.Report(audit.size(), 0, breaks);
  }

  private static GenericRecord generic(AuditCheckpoint checkpoint) throws Exception {
    return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), checkpoint.getSchema(), SchemaCatalog.get())
        .decode(AvroSerde.of(AuditCheckpoint.class).encode(checkpoint));
  }
}
