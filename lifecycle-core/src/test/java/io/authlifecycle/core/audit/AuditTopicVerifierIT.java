package io.authlifecycle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.AuditChainHead;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Verifying chains as the SOC would: from the topic, read-committed, with offsets in the report. */
class AuditTopicVerifierIT {

  private static KafkaTestCluster kafka;
  private static List<AuditEvent> written;

  @BeforeAll
  static void writeAChain() throws Exception {
    kafka = KafkaTestCluster.start(1, Map.of());
    kafka.createTopics(List.of("audit-copy-edited", "audit-copy-gap"), 1);
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<String, AuditChainHead> heads = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("heads"),
        Serdes.String(), AvroSerde.of(AuditChainHead.class)).withLoggingDisabled().build();
    heads.init(context.getStateStoreContext(), heads);
    AuditWriter writer = new AuditWriter("leaver-worker", heads);
    written = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      for (String subject : List.of("alice", "bob")) {
        written.add(writer.append(AuditEvent.newBuilder().setSubjectId(subject).setAction("leaver.revocation.requested")
            .setOutcome(AuditOutcome.REQUESTED).setSeverity(Severity.INFO).setReason("step " + i), 1000L * i));
      }
    }
    write(Topics.AUDIT.name(), written);
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  @Test
  void theWrittenTopicVerifies() {
    AuditChainVerifier.Report report = verifier().verify(client(), Topics.AUDIT.name(), Optional.empty());

    assertThat(report.intact()).isTrue();
    assertThat(report.records()).isEqualTo(8);
    assertThat(report.chains()).isEqualTo(2);
  }

  @Test
  void anEditedCopyIsCaughtAtTheEditedOffset() {
    List<AuditEvent> copy = new ArrayList<>(written);
    copy.set(4, AuditEvent.newBuilder(copy.get(4)).setSeverity(Severity.LOW).build());
    write("audit-copy-edited", copy);

    AuditChainVerifier.Report report = verifier().verify(client(), "audit-copy-edited", Optional.empty());

    assertThat(report.breaks()).singleElement().satisfies(b -> {
      assertThat(b.chain()).isEqualTo("leaver-worker / alice");
      assertThat(b.position()).isEqualTo("partition 0 offset 4");
      assertThat(b.problem()).contains("altered");
    });
  }

  @Test
  void aCopyMissingARecordIsCaughtAsAGapAndTheSubjectFilterKeepsOtherChainsOut() {
    List<AuditEvent> copy = new ArrayList<>(written);
    copy.remove(3);
    write("audit-copy-gap", copy);

    AuditChainVerifier.Report bob = verifier().verify(client(), "audit-copy-gap", Optional.of("bob"));
    AuditChainVerifier.Report alice = verifier().verify(client(), "audit-copy-gap", Optional.of("alice"));

    assertThat(bob.breaks()).singleElement().satisfies(b -> assertThat(b.problem()).contains("gap: sequence 3 follows 1"));
    assertThat(alice.intact()).isTrue();
    assertThat(alice.records()).isEqualTo(4);
  }

  private static AuditTopicVerifier verifier() {
    return new AuditTopicVerifier(SchemaCatalog.get());
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  private static void write(String topic, List<AuditEvent> events) {
    AvroSerde<AuditEvent> serde = AvroSerde.of(AuditEvent.class);
    kafka.produceRaw(events.stream().map(e -> new ProducerRecord<>(topic,
        e.getSubjectId().getBytes(StandardCharsets.UTF_8), serde.encode(e))).toList());
  }
}
