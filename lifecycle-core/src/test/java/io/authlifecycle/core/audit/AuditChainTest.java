package io.authlifecycle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.schemas.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private AuditWriter writer;

  @BeforeEach
  void openStore() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<String, AuditChainHead> heads = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("heads"),
        Serdes.String(), AvroSerde.of(AuditChainHead.class)).withLoggingDisabled().build();
    heads.init(context.getStateStoreContext(), heads);
    writer = new AuditWriter("leaver-worker", heads);
  }

  @Test
  void aWrittenSequenceVerifies() {
    List<AuditEvent> events = writeInterleaved();

    AuditChainVerifier.Report report = AuditChainVerifier.verify(events);

    assertThat(report.intact()).isTrue();
    assertThat(report.records()).isEqualTo(6);
    assertThat(report.chains()).isEqualTo(2);
    assertThat(events.get(0).getPrevHash()).isEqualTo(AuditHasher.GENESIS);
    assertThat(events.get(2).getPrevHash()).isEqualTo(events.get(0).getHash());
    assertThat(events.get(2).getEventId()).isEqualTo("leaver-worker:alice:2");
  }

  @Test
  void anEditedRecordIsCaught() {
    List<AuditEvent> events = writeInterleaved();
    events.set(2, AuditEvent.newBuilder(events.get(2)).setReason("nothing to see").build());

    AuditChainVerifier.Report report = AuditChainVerifier.verify(events);

    assertThat(report.breaks()).singleElement().satisfies(b -> {
      assertThat(b.chain()).isEqualTo("leaver-worker / alice");
      assertThat(b.position()).isEqualTo("record 2");
      assertThat(b.problem()).contains("altered");
    });
  }

  @Test
  void aRemovedRecordIsCaughtAsAGap() {
    List<AuditEvent> events = writeInterleaved();
    events.remove(2);

    AuditChainVerifier.Report report = AuditChainVerifier.verify(events);

    assertThat(report.breaks()).singleElement().satisfies(b -> assertThat(b.problem()).contains("gap: sequence 3 follows 1"));
  }

  @Test
  void aRecordRehashedAfterEditingIsCaughtByTheNextLink() {
    List<AuditEvent> events = writeInterleaved();
    AuditEvent forged = AuditEvent.newBuilder(events.get(2)).setSeverity(Severity.LOW).build();
    forged.setHash(AuditHasher.hash(forged));
    events.set(2, forged);

    AuditChainVerifier.Report report = AuditChainVerifier.verify(events);

    assertThat(report.breaks()).singleElement().satisfies(b -> {
      assertThat(b.position()).isEqualTo("record 4");
      assertThat(b.problem()).contains("prevHash does not link");
    });
  }

  @Test
  void aRecordReadBackGenericallyWithItsWriterSchemaRecomputesTheSameHash() throws Exception {
    AuditEvent event = writeInterleaved().get(3);
    byte[] bytes = AvroSerde.of(AuditEvent.class).encode(event);
    GenericRecord generic = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), event.getSchema()).decode(bytes);
    assertThat(AuditHasher.hash(generic)).isEqualTo(event.getHash());
  }

  private List<AuditEvent> writeInterleaved() {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (String subject : List.of("alice", "bob")) {
        events.add(writer.append(AuditEvent.newBuilder().setSubjectId(subject).setAction("leaver.revocation.requested")
            .setOutcome(AuditOutcome.REQUESTED).setSeverity(Severity.INFO).setReason("step " + i)
            .setDetails(Map.of("step", "" + i, "elapsedMillis", "12", "commandId", "c-" + i, "zeta", "z", "alpha", "a")), 1_000L * i));
      }
    }
    return events;
  }
}
