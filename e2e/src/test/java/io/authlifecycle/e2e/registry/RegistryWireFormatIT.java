package io.authlifecycle.e2e.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.resolver.SchemaResolverConfig;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.leaver.LeaverWorker;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SampleRecords;
import io.authlifecycle.schemas.SchemaCatalog;
import io.authlifecycle.schemas.TopicSerde;
import io.authlifecycle.schemas.Wire;
import io.authlifecycle.schemas.WireFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema-registry wire format against a real Apicurio Registry and a real broker: framing the
 * registry and Apicurio's own deserializer agree with, a reader that takes both framings during a
 * migration, and the leaver worker deciding on registry-framed input and writing registry framing.
 */
class RegistryWireFormatIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestRegistry registry;
  private static KafkaTestCluster kafka;
  private static RunningWorker leaver;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    kafka = KafkaTestCluster.start();
    LeaverWorker app = new LeaverWorker();
    Settings settings = WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), Files.createTempDirectory("registry-it").toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        SerdeSettings.FORMAT.key(), "registry",
        SerdeSettings.REGISTRY_URL.key(), registry.apiUrl(),
        // Apicurio 2.0 (the newest app Maven Central serves whole) lacks the references endpoint the
        // serde asks for every content-id lookup; global ids are read dereferenced, in one call.
        SerdeSettings.ID_KIND.key(), "global-id"));
    leaver = WorkerRunner.start(app, settings);
    assertThat(leaver.awaitRunning(WAIT)).isTrue();
    assertThat(Wire.format()).isEqualTo(WireFormat.REGISTRY);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (leaver != null) {
        leaver.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      Wire.reset();
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Test
  void everyContractIsFramedWithTheRegistrysSchemaIdAndReadBackByApicuriosOwnDeserializer() throws Exception {
    try (AvroKafkaDeserializer<SpecificRecord> apicurio = registryOnlyReader()) {
      for (SpecificRecord record : SampleRecords.oneOfEach()) {
        byte[] bytes = serde(record).encode("contracts", record);

        assertThat(bytes[0]).as("magic byte of %s", record.getSchema().getName()).isEqualTo((byte) 0);
        int id = WireFormat.registrySchemaId(bytes);
        JsonNode meta = JSON.readTree(registry.get(registry.apiUrl() + "/groups/" + record.getSchema().getNamespace()
            + "/artifacts/" + record.getSchema().getName() + "/meta"));
        assertThat(meta.get("globalId").asLong()).as("global id of %s", record.getSchema().getName()).isEqualTo(id);
        // What a Confluent-style reader does with the id: ask the compatible API for the schema.
        JsonNode byId = JSON.readTree(registry.get(registry.ccompatUrl() + "/schemas/ids/" + id));
        assertThat(new Schema.Parser().parse(byId.get("schema").asText())).isEqualTo(record.getSchema());
        assertThat(apicurio.deserialize("contracts", bytes)).isEqualTo(record);
        assertThat(serde(record).decode(bytes)).isEqualTo(record);
      }
    }
  }

  @Test
  void aMixedReaderTakesSingleObjectAndRegistryRecordsFromOneTopicWhileARegistryOnlyReaderTakesOnlyTheLatter()
      throws Exception {
    String topic = "registry-it.mixed.v1";
    kafka.createTopics(List.of(topic), 1);
    WorkerEvent before = SampleRecords.joiner("migrating-1");
    WorkerEvent after = SampleRecords.joiner("migrating-2");
    byte[] singleObject = AvroSerde.of(WorkerEvent.class).encode(before);
    byte[] framed = Topics.HR_WORKER_EVENTS.valueSerde().serializer().serialize(topic, after);
    kafka.produceRaw(List.of(new ProducerRecord<>(topic, utf8("migrating-1"), singleObject),
        new ProducerRecord<>(topic, utf8("migrating-2"), framed)));

    List<ConsumerRecord<String, byte[]>> read = kafka.readCommittedRaw(topic, rs -> rs.size() >= 2, WAIT);

    assertThat(read).extracting(r -> WireFormat.of(r.value()).orElseThrow())
        .containsExactly(WireFormat.SINGLE_OBJECT, WireFormat.REGISTRY);
    assertThat(read).extracting(r -> Topics.HR_WORKER_EVENTS.valueSerde().deserializer().deserialize(topic, r.value()))
        .containsExactly(before, after);
    try (AvroKafkaDeserializer<SpecificRecord> apicurio = registryOnlyReader()) {
      assertThat(apicurio.deserialize(topic, read.get(1).value())).isEqualTo(after);
      assertThatThrownBy(() -> apicurio.deserialize(topic, read.get(0).value())).isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void aLeaverInEitherFramingGetsItsRevokeAllInRegistryFramingWithAnIntactAuditChain() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // One leaver from a writer already on the registry, one from a writer still on single-object encoding.
    kafka.produce(Topics.HR_WORKER_EVENTS, "reg-leaver-1", leaver("reg-leaver-1", "hr-reg-1", now));
    kafka.produceRaw(List.of(new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), utf8("reg-leaver-2"),
        AvroSerde.of(WorkerEvent.class).encode(leaver("reg-leaver-2", "hr-reg-2", now)))));

    List<ConsumerRecord<String, byte[]>> commands = kafka.readCommittedRaw(Topics.COMMANDS_LEAVER.name(),
        rs -> revokeAllFor(rs, "reg-leaver-1") && revokeAllFor(rs, "reg-leaver-2"), WAIT);

    try (AvroKafkaDeserializer<SpecificRecord> apicurio = registryOnlyReader()) {
      for (String subject : List.of("reg-leaver-1", "reg-leaver-2")) {
        ConsumerRecord<String, byte[]> revokeAll = commands.stream().filter(r -> r.key().equals(subject))
            .filter(r -> ((AuthenticatorCommand) apicurio.deserialize(r.topic(), r.value())).getAction() == CommandAction.REVOKE_ALL)
            .findFirst().orElseThrow();
        assertThat(WireFormat.of(revokeAll.value())).contains(WireFormat.REGISTRY);
        AuthenticatorCommand command = (AuthenticatorCommand) apicurio.deserialize(revokeAll.topic(), revokeAll.value());
        assertThat(command.getCausationId()).isEqualTo(subject.equals("reg-leaver-1") ? "hr-reg-1" : "hr-reg-2");
        assertThat(command.getRevokeScope().getFactors()).isTrue();
      }
    }
    Map<String, Object> client = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    for (String subject : List.of("reg-leaver-1", "reg-leaver-2")) {
      var report = new AuditTopicVerifier(SchemaCatalog.get()).verify(client, Topics.AUDIT.name(), Optional.of(subject));
      assertThat(report.breaks()).isEmpty();
      assertThat(report.records()).isPositive();
    }
  }

  @Test
  void aRecordNamingASchemaIdTheRegistryDoesNotHoldIsDeadLetteredInRegistryFraming() throws Exception {
    byte[] unknownId = {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 2, 4, 6};
    kafka.produceRaw(List.of(new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), utf8("reg-unknown-id"), unknownId)));

    List<ConsumerRecord<String, byte[]>> letters = kafka.readCommittedRaw(Topics.HR_WORKER_EVENTS.deadLetterTopic().name(),
        rs -> rs.stream().anyMatch(r -> r.key().equals("reg-unknown-id")), WAIT);

    ConsumerRecord<String, byte[]> raw = letters.stream().filter(r -> r.key().equals("reg-unknown-id")).findFirst().orElseThrow();
    assertThat(WireFormat.of(raw.value())).contains(WireFormat.REGISTRY);
    DeadLetter letter = Topics.HR_WORKER_EVENTS.deadLetterTopic().valueSerde().deserializer().deserialize(raw.topic(), raw.value());
    assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
    assertThat(letter.getError()).contains("schema id 2147483646 is unknown to the schema registry");
    assertThat(letter.getValue().array()).isEqualTo(unknownId);
  }

  /** Apicurio's deserializer configured on its own, as a registry-only consumer would be. */
  private static AvroKafkaDeserializer<SpecificRecord> registryOnlyReader() {
    AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();
    deserializer.configure(Map.of(SerdeConfig.REGISTRY_URL, registry.apiUrl(), SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true,
        SerdeConfig.USE_ID, "globalId", SchemaResolverConfig.DESERIALIZER_DEREFERENCE_SCHEMA, true,
        AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true), false);
    return deserializer;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TopicSerde<SpecificRecord> serde(SpecificRecord record) {
    return (TopicSerde<SpecificRecord>) (TopicSerde) TopicSerde.of(record.getClass());
  }

  private static boolean revokeAllFor(List<ConsumerRecord<String, byte[]>> records, String subject) {
    return records.stream().filter(r -> r.key().equals(subject))
        .map(r -> Topics.COMMANDS_LEAVER.valueSerde().deserializer().deserialize(r.topic(), r.value()))
        .anyMatch(c -> c.getAction() == CommandAction.REVOKE_ALL);
  }

  private static WorkerEvent leaver(String subject, String eventId, Instant now) {
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(now).setType(WorkerEventType.LEAVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(now)
        .setSource("workday").build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
