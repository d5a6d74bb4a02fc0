package io.authlifecycle.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroJson;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real in-JVM KRaft broker. */
class LifecycleCtlIT {

  private static KafkaTestCluster kafka;

  @TempDir
  Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = KafkaTestCluster.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void roundTripsARecordOfEverySchemaThroughProduceAndConsume() throws Exception {
    Map<TopicSpec<?>, List<SpecificRecord>> byTopic = new LinkedHashMap<>();
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      TopicSpec<?> topic = Topics.allWithDeadLetters().stream().filter(t -> t.carries(record.getClass()))
          .findFirst().orElseThrow();
      byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(record);
    }

    for (Map.Entry<TopicSpec<?>, List<SpecificRecord>> entry : byTopic.entrySet()) {
      TopicSpec<?> topic = entry.getKey();
      List<SpecificRecord> sent = entry.getValue();
      Path input = dir.resolve(topic.name() + ".jsonl");
      Files.write(input, sent.stream().map(r -> RecordLines.format(topic, r)).toList(), StandardCharsets.UTF_8);

      Cli produced = run("produce", "--topic", topic.name(), "--file", input.toString());
      Cli consumed = run("consume", "--topic", topic.name(), "--from-beginning",
          "--max", String.valueOf(sent.size()), "--timeout-ms", "30000");

      assertThat(produced.exitCode()).as(produced.err()).isZero();
      assertThat(consumed.exitCode()).as(consumed.err()).isZero();
      List<SpecificRecord> received = new ArrayList<>();
      for (String line : consumed.outLines()) {
        received.add(RecordLines.parse(topic, line));
      }
      // Records of one subject share a partition, so they come back in the order they were sent.
      assertThat(received).as(topic.name()).containsExactlyElementsOf(sent);
    }
    assertThat(byTopic.values().stream().mapToInt(List::size).sum()).isEqualTo(SampleRecords.oneOfEach().size());
    assertThat(byTopic.values().stream().flatMap(List::stream).map(r -> r.getClass()).collect(Collectors.toSet()))
        .hasSize(SampleRecords.oneOfEach().size());
  }

  @Test
  void reportsAMalformedLineByNumberAndWritesNothingOfTheBatch() throws Exception {
    String topic = Topics.RECOVERY_REQUESTS.name();
    Map<TopicPartition, Long> before = endOffsets(topic);
    String good = RecordLines.format(Topics.RECOVERY_REQUESTS, SampleRecords.oneOfEach().stream()
        .filter(r -> r.getSchema().getName().equals("RecoveryRequest")).findFirst().orElseThrow());
    Path input = dir.resolve("batch.jsonl");
    Files.write(input, List.of(good, "", good.replace("\"r-1\"", "\"r-2\""), "{\"eventId\": \"r-3\", \"kind\": ", good),
        StandardCharsets.UTF_8);

    Cli produced = run("produce", "--topic", topic, "--file", input.toString());

    assertThat(produced.exitCode()).isEqualTo(ProduceCommand.MALFORMED_INPUT);
    assertThat(produced.err()).startsWith("line 4: not JSON")
        .contains("nothing written to recovery.requests.v1: 1 malformed line");
    assertThat(endOffsets(topic)).isEqualTo(before);
  }

  @Test
  void producesAndConsumesAvrosOwnJsonFormWithTheOption() throws Exception {
    TopicSpec<?> topic = Topics.MDM_DEVICE_EVENTS;
    SpecificRecord sent = SampleRecords.oneOfEach().stream().filter(r -> topic.carries(r.getClass())).findFirst().orElseThrow();
    Path input = Files.write(dir.resolve("avro.jsonl"), List.of(AvroJson.write(sent)), StandardCharsets.UTF_8);

    Cli produced = run("produce", "--topic", topic.name(), "--file", input.toString(), "--avro-json");
    Cli plain = run("consume", "--topic", topic.name(), "--from-beginning", "--max", "1", "--timeout-ms", "30000");
    Cli avro = run("consume", "--topic", topic.name(), "--from-beginning", "--max", "1", "--timeout-ms", "30000",
        "--avro-json");

    assertThat(produced.exitCode()).as(produced.err()).isZero();
    assertThat(plain.outLines()).containsExactly(RecordLines.format(topic, sent));
    assertThat(avro.outLines()).containsExactly(AvroJson.write(sent));
  }

  private static Cli run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap";
    all[args.length + 1] = kafka.bootstrapServers();
    return Cli.run(all);
  }

  private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
      for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
      return offsets;
    }
  }
}
