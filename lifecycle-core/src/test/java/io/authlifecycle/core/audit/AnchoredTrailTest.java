package io.authlifecycle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.audit.AuditChainVerifier.Break;
import io.authlifecycle.core.audit.AuditChainVerifier.Kind;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpointWriter;
import io.authlifecycle.core.audit.checkpoint.AuditCheckpoints;
import io.authlifecycle.core.audit.checkpoint.CheckpointLedger;
import io.authlifecycle.core.audit.checkpoint.CheckpointVerifier;
import io.authlifecycle.core.audit.checkpoint.WriterKeyFile;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The audit trail anchored by its writers' signed checkpoints: the attacks on an unkeyed hash chain
 * (a record appended or a tail removed by anyone who can write the topic, one junk record hiding
 * later edits, a chain that cannot be trusted once its start expired) and how the checkpoints expose
 * or settle each.
 */
class AnchoredTrailTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  /** One task's records and checkpoints share a clock; a few seconds cover what skew a test needs. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final WriterKeyFile leaverKey = WriterKeyFile.generate("leaver-worker");
  private final WriterKeyFile recoveryKey = WriterKeyFile.generate("recovery-worker");
  private final WriterKeys trusted = WriterKeys.parse(List.of(leaverKey.publicEntry(), recoveryKey.publicEntry()));
  private final Trail trail = new Trail();
  private final Writer leaver = new Writer(leaverKey, "leaver-worker");

  @Test
  void aTrailItsWriterCheckpointedVerifiesWithNothingPending() {
    leaver.append("alice", 0);
    leaver.append("bob", 1_000);
    leaver.append("alice", 2_000);
    leaver.checkpoint(60_000);

    AuditChainVerifier.Report report = trail.verify(trusted, T0.plusSeconds(61));

    assertThat(report.breaks()).isEmpty();
    assertThat(report.pending()).isZero();
    assertThat(report.records()).isEqualTo(3);
  }

  @Test
  void oneJunkRecordDoesNotHideALaterEditOfTheSameChain() {
    leaver.append("alice", 0);
    leaver.append("alice", 1_000);
    AuditEvent junk = AuditEvent.newBuilder(trail.records.get(1).event()).setSequence(3).setPrevHash("f".repeat(64))
        .setReason("junk").setHash("").build();
    junk.setHash(AuditHasher.hash(junk));
    trail.records.add(new Stamped(junk, 1_500));
    leaver.append("alice", 2_000);
    leaver.append("alice", 3_000);
    trail.edit(4, e -> e.setReason("nothing happened here"));

    List<Break> breaks = trail.verify(WriterKeys.none(), T0.plusSeconds(10)).breaks();

    assertThat(breaks).extracting(Break::kind).containsExactly(Kind.BROKEN_LINK, Kind.ALTERED);
    assertThat(breaks).extracting(Break::position).containsExactly("record 2", "record 4");
  }

  @Test
  void aRecordAnotherWriterChainedOntoAnIdleChainIsUnanchoredThoughItsLinksVerify() {
    leaver.append("alice", 0);
    leaver.append("alice", 1_000);
    leaver.checkpoint(60_000);
    trail.forgeNext("leaver-worker", "alice", "revocation confirmed", 90_000);
    leaver.checkpoint(120_000);

    assertThat(trail.verify(WriterKeys.none(), T0.plusSeconds(121)).breaks()).as("links alone").isEmpty();
    List<Break> breaks = trail.verify(trusted, T0.plusSeconds(121)).breaks();

    assertThat(breaks).singleElement().satisfies(b -> {
      assertThat(b.kind()).isEqualTo(Kind.UNANCHORED);
      assertThat(b.chain()).isEqualTo("leaver-worker / alice");
      assertThat(b.position()).isEqualTo("record 2");
      assertThat(b.problem()).contains("1 record(s) from sequence 3 are covered by no checkpoint of leaver-worker");
    });
  }

  @Test
  void aForgedRecordNewerThanTheLastCheckpointIsPendingUntilTheNextOneLeavesItOut() {
    leaver.append("alice", 0);
    leaver.checkpoint(60_000);
    trail.forgeNext("leaver-worker", "alice", "looks recent", 70_000);

    AuditChainVerifier.Report now = trail.verify(trusted, T0.plusSeconds(71));
    leaver.checkpoint(120_000);
    AuditChainVerifier.Report later = trail.verify(trusted, T0.plusSeconds(121));

    assertThat(now.breaks()).isEmpty();
    assertThat(now.pending()).isEqualTo(1);
    assertThat(later.breaks()).extracting(Break::kind).containsExactly(Kind.UNANCHORED);
  }

  @Test
  void aForgedRecordDatedInTheFutureIsNeverMerelyPending() {
    leaver.append("alice", 0);
    leaver.checkpoint(60_000);
    trail.forgeNext("leaver-worker", "alice", "from the future", Duration.ofDays(365).toMillis());

    assertThat(trail.verify(trusted, T0.plusSeconds(61)).breaks()).singleElement()
        .satisfies(b -> assertThat(b.problem()).contains("dated in the future"));
  }

  @Test
  void removingTheEndOfAChainAfterItsCheckpointIsReportedAsTruncation() {
    leaver.append("alice", 0);
    leaver.append("alice", 1_000);
    leaver.append("alice", 2_000);
    leaver.append("bob", 2_500);
    leaver.checkpoint(120_000);
    trail.records.remove(2);
    trail.records.remove(2);

    assertThat(trail.verify(WriterKeys.none(), T0.plusSeconds(121)).breaks()).as("links alone").isEmpty();
    List<Break> breaks = trail.verify(trusted, T0.plusSeconds(121)).breaks();

    assertThat(breaks).extracting(Break::kind).containsExactlyInAnyOrder(Kind.TRUNCATED, Kind.TRUNCATED);
    assertThat(breaks).filteredOn(b -> b.chain().endsWith("alice")).singleElement()
        .satisfies(b -> assertThat(b.problem()).contains("attests sequence 3 but the chain read ends at sequence 2"));
    assertThat(breaks).filteredOn(b -> b.chain().endsWith("bob")).singleElement()
        .satisfies(b -> assertThat(b.problem()).contains("ends at nothing"));
  }

  @Test
  void aForkIsReportedAndTheCheckpointTellsTheGenuineSideFromTheForgedOne() {
    leaver.append("alice", 0);
    leaver.checkpoint(60_000);
    trail.forgeNext("leaver-worker", "alice", "forged second", 70_000);
    leaver.append("alice", 80_000);
    leaver.checkpoint(120_000);

    List<Break> breaks = trail.verify(trusted, T0.plusSeconds(121)).breaks();

    assertThat(breaks).extracting(Break::kind, Break::position).containsExactly(
        tuple(Kind.NOT_ATTESTED_HASH, "record 1"), tuple(Kind.FORK, "record 2"), tuple(Kind.UNANCHORED, "record 1"));
  }

  @Test
  void aChainWhoseFirstRecordsExpiredIsTrustedFromItsFirstAttestedRecord() {
    leaver.append("alice", 0);
    leaver.append("alice", 1_000);
    leaver.checkpoint(60_000);
    leaver.append("alice", 61_000);
    leaver.checkpoint(120_000);
    trail.records.subList(0, 2).clear();
    trail.checkpoints.remove(0);

    assertThat(trail.verify(WriterKeys.none(), T0.plusSeconds(121)).breaks()).as("links alone")
        .extracting(Break::kind).containsExactly(Kind.MISSING_START);
    AuditChainVerifier.Report anchored = trail.verify(trusted, T0.plusSeconds(121));
    assertThat(anchored.breaks()).isEmpty();
    assertThat(anchored.notes()).anyMatch(n -> n.contains("checkpoints start at 2"));
  }

  @Test
  void aCheckpointSignedWithAnotherWritersKeyOrForAnotherWriterIsForgedAndAttestsNothing() {
    leaver.append("alice", 0);
    leaver.checkpoint(60_000);
    assertThatThrownBy(() -> new AuditCheckpointWriter(leaverKey, "recovery-worker", "0_0", CheckpointLedger.inMemory(), MINUTE, 10))
        .isInstanceOf(IllegalArgumentException.class);
    trail.forgeNext("recovery-worker", "carol", "approved", 70_000);
    // The leaver's principal may write the checkpoint topic, but only with its own key.
    trail.checkpoints.add(AuditCheckpoints.seal(AuditCheckpoint.newBuilder(trail.checkpoints.get(0))
        .setWriter("recovery-worker").setSigner("recovery-worker").setHeads(List.of(
            new io.authlifecycle.avro.CheckpointHead("carol", 1L, trail.records.get(1).event().getHash()))),
        leaverKey.privateKey()));
    trail.checkpoints.add(AuditCheckpoints.seal(AuditCheckpoint.newBuilder(trail.checkpoints.get(0))
        .setWriter("recovery-worker").setSigner("leaver-worker"), leaverKey.privateKey()));

    List<Break> breaks = trail.verify(trusted, T0.plusSeconds(80)).breaks();

    assertThat(breaks).extracting(Break::kind)
        .containsExactlyInAnyOrder(Kind.CHECKPOINT_FORGED, Kind.CHECKPOINT_FORGED, Kind.NO_CHECKPOINT);
    assertThat(breaks).anyMatch(b -> b.problem().contains("does not verify with recovery-worker's key"))
        .anyMatch(b -> b.problem().contains("claims signer leaver-worker, who cannot sign for recovery-worker"));
  }

  @Test
  void theWriterSignsOnlyTheHeadsChangedSinceItsLastCheckpointAndLinksToIt() {
    leaver.append("alice", 0);
    leaver.append("bob", 0);
    leaver.append("alice", 0);
    AuditCheckpoint first = leaver.checkpoint(60_000);
    AuditCheckpoint empty = leaver.checkpoint(120_000);
    leaver.append("carol", 130_000);
    AuditCheckpoint third = leaver.checkpoint(180_000);

    assertThat(first.getHeads()).extracting(h -> h.getSubjectId() + ":" + h.getSequence()).containsExactly("alice:2", "bob:1");
    assertThat(first.getPrevHash()).isEqualTo(AuditCheckpoints.GENESIS);
    assertThat(empty.getHeads()).isEmpty();
    assertThat(empty.getPrevHash()).isEqualTo(first.getHash());
    assertThat(third.getHeads()).extracting(h -> h.getSubjectId()).containsExactly("carol");
    assertThat(third.getSequence()).isEqualTo(3);
    assertThat(third.getEventId()).isEqualTo("leaver-worker/0_0/3");
    assertThat(AuditCheckpoints.verifies(Trail.generic(third), leaverKey.publicKey())).isTrue();
    assertThat(AuditCheckpoints.verifies(Trail.generic(third), recoveryKey.publicKey())).isFalse();
  }

  @Test
  void aWriterIsDueForACheckpointOnceEnoughChainsChanged() {
    AuditCheckpointWriter writer = new AuditCheckpointWriter(leaverKey, "leaver-worker", "0_0", CheckpointLedger.inMemory(), MINUTE, 2);
    writer.changed("alice", new AuditChainHead(1L, "a"));
    writer.changed("alice", new AuditChainHead(2L, "b"));
    assertThat(writer.full()).isFalse();
    writer.changed("bob", new AuditChainHead(1L, "c"));
    assertThat(writer.full()).isTrue();
    assertThat(writer.checkpoint(T0).getHeads()).hasSize(2);
    assertThat(writer.full()).isFalse();
  }

  /** An audit record as it sits on the topic, with its record timestamp. */
  record Stamped(AuditEvent event, long timestamp) {}

  /** The audit topic and the checkpoint topic as lists, each in the order written. */
  final class Trail {
    final List<Stamped> records = new ArrayList<>();
    final List<AuditCheckpoint> checkpoints = new ArrayList<>();

    /** What anyone with write access could do: chain a record onto the last one of a chain, hash recomputed. */
    void forgeNext(String worker, String subject, String reason, long atMillis) {
      AuditEvent last = records.stream().map(Stamped::event).filter(e -> e.getWorker().equals(worker)
          && e.getSubjectId().equals(subject)).reduce((a, b) -> b).orElse(null);
      AuditEvent forged = AuditEvent.newBuilder().setEventId(worker + ":" + subject + ":x").setEventTime(T0.plusMillis(atMillis))
          .setWorker(worker).setSubjectId(subject).setAction("recovery.approved").setOutcome(AuditOutcome.COMPLETED)
          .setSeverity(Severity.INFO).setReason(reason).setSequence(last == null ? 1 : last.getSequence() + 1)
          .setPrevHash(last == null ? AuditHasher.GENESIS : last.getHash()).setHash("").build();
      forged.setHash(AuditHasher.hash(forged));
      records.add(new Stamped(forged, T0.plusMillis(atMillis).toEpochMilli()));
    }

    void edit(int index, java.util.function.UnaryOperator<AuditEvent.Builder> change) {
      Stamped s = records.get(index);
      records.set(index, new Stamped(change.apply(AuditEvent.newBuilder(s.event())).build(), s.timestamp()));
    }

    AuditChainVerifier.Report verify(WriterKeys keys, Instant now) {
      CheckpointVerifier checkpointVerifier = new CheckpointVerifier(keys, true);
      for (int i = 0; i < checkpoints.size(); i++) {
        checkpointVerifier.accept(generic(checkpoints.get(i)), "checkpoint " + i);
      }
      AuditChainVerifier verifier = new AuditChainVerifier(checkpointVerifier.attestations(),
          new AuditChainVerifier.Options(Optional.empty(), GRACE, now));
      for (int i = 0; i < records.size(); i++) {
        AuditEvent e = records.get(i).event();
        verifier.accept(new AuditChainVerifier.Link(e.getWorker(), e.getSubjectId(), e.getSequence(), e.getPrevHash(),
            e.getHash(), AuditHasher.hash(e), "record " + i, records.get(i).timestamp()));
      }
      if (!records.isEmpty()) {
        verifier.windowStartsAt(records.get(0).timestamp());
      }
      AuditChainVerifier.Report chains = verifier.report();
      List<Break> breaks = new ArrayList<>(checkpointVerifier.breaks());
      breaks.addAll(chains.breaks());
      return new AuditChainVerifier.Report(chains.records(), chains.chains(), breaks, checkpointVerifier.valid(),
          chains.pending(), checkpointVerifier.notes(now));
    }

    static GenericRecord generic(AuditCheckpoint checkpoint) {
      byte[] bytes = AvroSerde.of(AuditCheckpoint.class).encode(checkpoint);
      try {
        return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), checkpoint.getSchema(), SchemaCatalog.get()).decode(bytes);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A writer as a worker's task runs it: the audit writer and the checkpoint writer over the same chains. */
  final class Writer {
    final AuditWriter audit;
    final AuditCheckpointWriter checkpoints;

    Writer(WriterKeyFile key, String name) {
      MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
      KeyValueStore<String, AuditChainHead> heads = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name + "-heads"),
          Serdes.String(), AvroSerde.of(AuditChainHead.class)).withLoggingDisabled().build();
      heads.init(context.getStateStoreContext(), heads);
      checkpoints = new AuditCheckpointWriter(key, name, "0_0", CheckpointLedger.inMemory(), MINUTE, 1000);
      audit = new AuditWriter(name, heads, e -> e, checkpoints);
    }

    AuditEvent append(String subject, long atMillis) {
      AuditEvent event = audit.append(AuditEvent.newBuilder().setSubjectId(subject).setAction("leaver.revocation.requested")
          .setOutcome(AuditOutcome.REQUESTED).setSeverity(Severity.INFO), T0.plusMillis(atMillis).toEpochMilli());
      trail.records.add(new Stamped(event, T0.plusMillis(atMillis).toEpochMilli()));
      return event;
    }

    AuditCheckpoint checkpoint(long atMillis) {
      AuditCheckpoint checkpoint = checkpoints.checkpoint(T0.plusMillis(atMillis));
      trail.checkpoints.add(checkpoint);
      return checkpoint;
    }
  }
}
