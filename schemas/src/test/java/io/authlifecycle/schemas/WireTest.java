package io.authlifecycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.WorkerEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WireTest {

  private static final byte[] REGISTRY_FRAMED = {0, 0, 0, 0, 7, 2, 4, 6};

  @AfterEach
  void reset() {
    Wire.reset();
  }

  @Test
  void theFirstBytesTellTheTwoFramingsApartAndGarbageIsNeither() {
    byte[] singleObject = AvroSerde.of(WorkerEvent.class).encode(SampleRecords.joiner("s-1"));

    assertThat(WireFormat.of(singleObject)).contains(WireFormat.SINGLE_OBJECT);
    assertThat(WireFormat.of(REGISTRY_FRAMED)).contains(WireFormat.REGISTRY);
    assertThat(WireFormat.registrySchemaId(REGISTRY_FRAMED)).isEqualTo(7);
    assertThat(WireFormat.of(new byte[] {1, 2, 3, 4, 5, 6})).isEmpty();
    assertThat(WireFormat.of(new byte[] {0, 0, 0})).isEmpty();
    assertThat(WireFormat.of(null)).isEmpty();
  }

  @Test
  void settingValuesNameTheFormatsAndAnythingElseIsRefused() {
    assertThat(WireFormat.parse(" Registry ")).isEqualTo(WireFormat.REGISTRY);
    assertThat(WireFormat.parse("single-object")).isEqualTo(WireFormat.SINGLE_OBJECT);
    assertThatThrownBy(() -> WireFormat.parse("confluent")).hasMessageContaining("single-object or registry");
  }

  @Test
  void byDefaultTopicSerdesWriteSingleObjectEncoding() {
    WorkerEvent event = SampleRecords.joiner("s-1");

    byte[] bytes = TopicSerde.of(WorkerEvent.class).encode("hr.worker-events.v1", event);

    assertThat(bytes).isEqualTo(AvroSerde.of(WorkerEvent.class).encode(event));
    assertThat(TopicSerde.of(WorkerEvent.class).decode(bytes)).isEqualTo(event);
  }

  @Test
  void aTopicSerdeRefusesATypeItsTopicDoesNotCarry() {
    TopicSerde<SpecificRecord> facts = TopicSerde.of(new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS));

    assertThatThrownBy(() -> facts.encode("authn.authenticator-events.v1", SampleRecords.joiner("s-1")))
        .isInstanceOf(SerializationException.class).hasMessageContaining("WorkerEvent is not allowed");
  }

  @Test
  void aRegistryFramedRecordWithoutAConfiguredRegistryIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> AvroSerde.of(WorkerEvent.class).decode(REGISTRY_FRAMED))
        .isInstanceOf(SerializationException.class).hasMessageContaining("schema id 7").hasMessageContaining("serde.registry.url");
    assertThatThrownBy(() -> new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS).decode(REGISTRY_FRAMED))
        .isInstanceOf(SerializationException.class).hasMessageContaining("serde.registry.url");
  }

  @Test
  void theRegistryFormatNeedsARegistry() {
    assertThatThrownBy(() -> Wire.configure(WireFormat.REGISTRY, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry URL");
  }

  @Test
  void anUnreachableRegistryIsReportedAsUnavailableNotAsABadRecord() throws IOException {
    Wire.configure(WireFormat.REGISTRY, Optional.of(RegistryOptions.open("http://127.0.0.1:" + closedPort() + "/apis/registry/v2")));

    assertThatThrownBy(() -> TopicSerde.of(WorkerEvent.class).encode("hr.worker-events.v1", SampleRecords.joiner("s-1")))
        .isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("WorkerEvent");
    assertThatThrownBy(() -> AvroSerde.of(WorkerEvent.class).decode(REGISTRY_FRAMED))
        .isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("schema id 7");
    assertThatThrownBy(() -> new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS).decode(REGISTRY_FRAMED))
        .isInstanceOf(RegistryUnavailableException.class);
    assertThatThrownBy(() -> Wire.decodeWithWriterSchema(REGISTRY_FRAMED, SchemaCatalog.get()))
        .isInstanceOf(RegistryUnavailableException.class);
  }

  @Test
  void singleObjectRecordsStillReadWhileWritersUseTheRegistry() throws IOException {
    Wire.configure(WireFormat.REGISTRY, Optional.of(RegistryOptions.open("http://127.0.0.1:" + closedPort() + "/apis/registry/v2")));
    AuthenticatorBound bound = (AuthenticatorBound) SampleRecords.oneOfEach().stream()
        .filter(AuthenticatorBound.class::isInstance).findFirst().orElseThrow();
    byte[] old = AvroSerde.of(AuthenticatorBound.class).encode(bound);

    assertThat(new MultiRecordSerde(SchemaCatalog.get(), Contracts.AUTHENTICATOR_FACTS).decode(old)).isEqualTo(bound);
    assertThat(String.valueOf(Wire.decodeWithWriterSchema(old, SchemaCatalog.get()).get("eventId"))).isEqualTo(bound.getEventId());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
