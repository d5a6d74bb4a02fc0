package io.authlifecycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void roundTripsOneRecordOfEveryContractInSingleObjectEncoding() {
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      AvroSerde serde = AvroSerde.of(record.getClass());
      byte[] bytes = serde.encode(record);

      assertThat(bytes[0]).isEqualTo((byte) 0xC3);
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
      assertThat(SchemaCatalog.headerFingerprint(bytes)).contains(SchemaCatalog.fingerprint(record.getSchema()));
      assertThat(serde.decode(bytes)).isEqualTo(record);
    }
  }

  @Test
  void decodesARecordWrittenWithAnEarlierSchemaVersion() throws IOException {
    Schema earlier = previous("WorkerEvent-earlier.avsc");
    SchemaCatalog catalog = SchemaCatalog.of(Map.of()).register(earlier);
    GenericRecord old = new GenericRecordBuilder(earlier)
        .set("eventId", "hr-old").set("eventTime", 1_700_000_000_000L)
        .set("type", new GenericData.EnumSymbol(earlier.getField("type").schema(), "LEAVER"))
        .set("subjectId", "s-old").set("effectiveTime", 1_700_000_000_000L)
        .build();

    WorkerEvent decoded = AvroSerde.of(WorkerEvent.class, catalog).decode(encode(earlier, old));

    assertThat(decoded.getEventId()).isEqualTo("hr-old");
    assertThat(decoded.getType()).isEqualTo(WorkerEventType.LEAVER);
    assertThat(decoded.getApprovers()).isEmpty();
    assertThat(decoded.getOwnedServiceIdentities()).isEmpty();
  }

  @Test
  void aFirstReleaseWorkerEventReadsAsNotStatingPrivilegeAndAFirstReleaseReaderSeesPrivileged() throws IOException {
    Schema first = SchemaCatalog.get().released().get(WorkerEvent.class.getName()).get(0).schema();
    GenericRecord old = new GenericRecordBuilder(first)
        .set("eventId", "hr-old").set("eventTime", 1L)
        .set("type", new GenericData.EnumSymbol(first.getField("type").schema(), "MOVER"))
        .set("subjectId", "s-old").set("effectiveTime", 1L).set("privileged", true)
        .build();
    WorkerEvent current = WorkerEvent.newBuilder(SampleRecords.joiner("s-1")).setPrivileged(true)
        .setStatedPrivileged(true).build();

    WorkerEvent decoded = AvroSerde.of(WorkerEvent.class).decode(encode(first, old));
    GenericRecord readByFirst = new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(GenericData.get(),
        first, SchemaCatalog.get()).decode(AvroSerde.of(WorkerEvent.class).encode(current));

    assertThat(decoded.getPrivileged()).isTrue();
    assertThat(decoded.getStatedPrivileged()).isNull();
    assertThat(readByFirst.get("privileged")).isEqualTo(true);
    assertThat(readByFirst.getSchema().getField("statedPrivileged")).isNull();
  }

  @Test
  void readsAnEventTypeFromALaterWriterAsUnknown() throws IOException {
    Schema later = previous("WorkerEvent-later.avsc");
    SchemaCatalog catalog = SchemaCatalog.of(Map.of()).register(later);
    GenericRecord newer = new GenericRecordBuilder(later)
        .set("eventId", "hr-new").set("eventTime", 1L)
        .set("type", new GenericData.EnumSymbol(later.getField("type").schema(), "CONTRACT_CONVERSION"))
        .set("subjectId", "s-new").set("effectiveTime", 1L).set("costCenter", "cc-9")
        .build();

    WorkerEvent decoded = AvroSerde.of(WorkerEvent.class, catalog).decode(encode(later, newer));

    assertThat(decoded.getType()).isEqualTo(WorkerEventType.UNKNOWN);
  }

  @Test
  void refusesBytesWithoutTheSingleObjectHeader() {
    AvroSerde<WorkerEvent> serde = AvroSerde.of(WorkerEvent.class);
    assertThatThrownBy(() -> serde.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode WorkerEvent");
  }

  @Test
  void refusesAFingerprintNoReleaseKnows() {
    byte[] bytes = AvroSerde.of(WorkerEvent.class).encode(SampleRecords.joiner("s-1"));
    bytes[5] ^= 0x5A;
    assertThatThrownBy(() -> AvroSerde.of(WorkerEvent.class).decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("MissingSchemaException");
  }

  @Test
  void multiRecordSerdePicksTheClassFromTheHeaderAndRefusesOtherTypes() {
    MultiRecordSerde facts = new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS);
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      if (Contracts.AUTHENTICATOR_FACTS.contains(record.getClass())) {
        assertThat(facts.decode(facts.encode(record))).isEqualTo(record);
      }
    }
    byte[] workerEvent = AvroSerde.of(WorkerEvent.class).encode(SampleRecords.joiner("s-1"));
    assertThatThrownBy(() -> facts.decode(workerEvent))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("WorkerEvent is not allowed on this topic");
  }

  @Test
  void multiRecordSerdeNamesTheWriterTypeFromTheHeaderAloneAndNothingForUnknownHeaders() {
    MultiRecordSerde facts = new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS);
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      if (Contracts.AUTHENTICATOR_FACTS.contains(record.getClass())) {
        byte[] encoded = facts.encode(record);
        // Only the header is needed: a body cut to nothing still names its type.
        assertThat(facts.writerType(java.util.Arrays.copyOf(encoded, SchemaCatalog.HEADER_LENGTH)))
            .contains(record.getClass());
      }
    }
    byte[] workerEvent = AvroSerde.of(WorkerEvent.class).encode(SampleRecords.joiner("s-1"));
    assertThat(facts.writerType(workerEvent)).isEmpty();
    assertThat(facts.writerType(new byte[] {1, 2, 3})).isEmpty();
    byte[] unknownFingerprint = workerEvent.clone();
    unknownFingerprint[5] ^= 0x5A;
    assertThat(facts.writerType(unknownFingerprint)).isEmpty();
  }

  @Test
  void avroJsonRoundTripsEveryContract() throws IOException {
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      assertThat(AvroJson.read(record.getClass(), AvroJson.write(record))).isEqualTo(record);
    }
  }

  private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  static Schema previous(String file) throws IOException {
    try (InputStream in = AvroSerdeTest.class.getResourceAsStream("/previous/" + file)) {
      return new Schema.Parser().parse(in);
    }
  }

}
