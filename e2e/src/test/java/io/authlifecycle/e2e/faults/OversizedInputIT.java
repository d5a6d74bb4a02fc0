package io.authlifecycle.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.bench.GroupProgress;
import io.authlifecycle.e2e.bench.WorkerStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The near-limit records of the poison report, on every input topic of a real broker with every
 * worker (the Streams applications: joiner, mover, leaver, recovery, OCSF feed) running in a JVM of
 * their own: an HR record with 1,048,250 random characters in
 * {@code role} (it fits under the broker's 1 MiB limit, so a dead letter that embedded it whole
 * would not), and one with 1,040,000 repetitions of one letter (it passes because compression hides
 * it). Each is dead-lettered exactly once by every reader of its topic, as TOO_LARGE with its first
 * bytes and the original's size and hash; every component stays RUNNING, no transaction fails on a
 * record too large, and a good record sent after them is still decided.
 */
class OversizedInputIT {

  static final int RANDOM_ROLE = 1_048_250;
  static final int REPEATED_ROLE = 1_040_000;

  @TempDir
  Path dir;

  @Test
  void nearLimitRecordsAreDeadLetteredOnceByEveryReaderAndNothingStops() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start(); FaultRig rig = new FaultRig(dir, kafka.bootstrapServers())) {
      List<String> components = new ArrayList<>(rig.workers);
      Map<TopicSpec<?>, Integer> readers = new LinkedHashMap<>();
      for (String topic : rig.inputs.allInputs()) {
        Topics.byName(topic).filter(t -> t.deadLetters().isPresent()).ifPresent(t -> readers.put(t, rig.inputs.consumersOf(topic).size()));
      }
      // The IdP gateway (the command topics) is not a decision processor: it builds its own dead letters,
      // whole, so it is not run here until it builds them with the core's DeadLetters.
      WorkerStack stack = rig.startStack("oversized", components, Map.of());

      Random random = new Random(15);
      byte[] randomRecord = hrRecord("oversized-random-" + rig.run, randomLetters(random, RANDOM_ROLE));
      byte[] repeatedRecord = hrRecord("oversized-repeated-" + rig.run, "A".repeat(REPEATED_ROLE));
      PoisonRecords goodOnes = new PoisonRecords(rig.run, 15);
      List<Sent> sent = new ArrayList<>();
      List<PoisonRecords.Poison> good = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(rig.bootstrap, "none"),
          new ByteArraySerializer(), new ByteArraySerializer());
          KafkaProducer<byte[], byte[]> compressing = new KafkaProducer<>(producerProps(rig.bootstrap, "lz4"),
              new ByteArraySerializer(), new ByteArraySerializer())) {
        int n = 0;
        for (TopicSpec<?> topic : readers.keySet()) {
          // The random one goes uncompressed (it fits as it is); the repeated one only fits compressed.
          sent.add(send(producer, topic, "oversized-random-" + rig.run, randomRecord));
          sent.add(send(compressing, topic, "oversized-repeated-" + rig.run, repeatedRecord));
          PoisonRecords.Poison after = goodOnes.good(topic, n++);
          producer.send(new ProducerRecord<>(topic.name(), PoisonRecords.utf8(after.key()), after.value())).get();
          good.add(after);
        }
      }
      try (GroupProgress groups = rig.progress(components)) {
        rig.awaitCaughtUp(groups, "near-limit records");
      }

      Map<String, List<DeadLetter>> letters = new HashMap<>();
      for (TopicSpec<?> topic : readers.keySet()) {
        TopicScan.readToEnd(Map.of("bootstrap.servers", rig.bootstrap), topic.deadLetterTopic().name(), r -> {
          DeadLetter l = topic.deadLetterTopic().valueSerde().deserializer().deserialize(r.topic(), r.value());
          letters.computeIfAbsent(l.getSourceTopic() + "/" + l.getPartition() + "/" + l.getOffset(), k -> new ArrayList<>()).add(l);
        });
      }
      List<String> problems = new ArrayList<>();
      for (Sent s : sent) {
        List<DeadLetter> mine = letters.getOrDefault(s.topic().name() + "/" + s.where().partition() + "/" + s.where().offset(), List.of());
        int expected = readers.get(s.topic());
        Set<String> byReader = new HashSet<>();
        for (DeadLetter l : mine) {
          byReader.add(l.getWorker());
          if (l.getErrorKind() != DeadLetterKind.TOO_LARGE || !l.getTruncated() || l.getValueSize() != s.value().length
              || !sha256(s.value()).equals(l.getValueSha256()) || l.getValue().remaining() >= s.value().length
              || !startsWith(s.value(), l.getValue())) {
            problems.add(s + " by " + l.getWorker() + ": " + l.getErrorKind() + " truncated " + l.getTruncated()
                + " size " + l.getValueSize() + " copy " + l.getValue().remaining() + " bytes: " + l.getError());
          }
        }
        System.out.printf("[oversized] %-34s %,9d bytes  dead letters %d (readers %d) by %s%n", s.topic().name(),
            s.value().length, mine.size(), expected, byReader);
        if (mine.size() != expected || byReader.size() != expected) {
          problems.add(s + ": " + mine.size() + " dead letters by " + byReader + ", expected one by each of " + expected + " readers");
        }
      }
      Ledger ledger = Ledger.read(rig.bootstrap);
      Set<String> audited = new HashSet<>();
      ledger.audits.forEach(a -> audited.add(a.getCausationId()));
      Set<String> projected = new HashSet<>();
      TopicScan.readToEnd(Map.of("bootstrap.servers", rig.bootstrap), Topics.AUDIT_OCSF.name(),
          r -> projected.add(new String(r.value(), StandardCharsets.UTF_8)));
      String ocsf = String.join("\n", projected);
      for (PoisonRecords.Poison p : good) {
        boolean decided = p.topic() == Topics.AUDIT ? ocsf.contains("\"" + p.eventId() + "\"") : audited.contains(p.eventId());
        if (!decided) {
          problems.add("the good " + p.topic().name() + " record " + p.eventId() + " sent after them was not decided");
        }
      }
      List<String> tooLarge = stack.jvm().lines().stream()
          .filter(l -> l.contains("RecordTooLargeException") || l.contains("stream thread failed")).toList();

      assertThat(problems).isEmpty();
      assertThat(tooLarge).as("transactions failed on a record too large").isEmpty();
      assertThat(stack.states()).hasSize(components.size()).allSatisfy((c, s) -> assertThat(s).isEqualTo("RUNNING"));
    }
  }

  /** One record as sent, and where the broker put it. */
  record Sent(TopicSpec<?> topic, String key, byte[] value, RecordMetadata where) {
    @Override
    public String toString() {
      return topic.name() + " " + key + " (" + value.length + " bytes)";
    }
  }

  private static Sent send(KafkaProducer<byte[], byte[]> producer, TopicSpec<?> topic, String key, byte[] value) throws Exception {
    RecordMetadata where = producer.send(new ProducerRecord<>(topic.name(), PoisonRecords.utf8(key), value)).get();
    return new Sent(topic, key, value, where);
  }

  /** A JOINER for {@code subject} with the given role, encoded as the HR feed would. */
  static byte[] hrRecord(String subject, String role) {
    Instant now = Instant.now();
    WorkerEvent event = WorkerEvent.newBuilder().setEventId("ev-" + subject).setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole(role).setEffectiveTime(now).build();
    return Topics.HR_WORKER_EVENTS.valueSerde().serializer().serialize(Topics.HR_WORKER_EVENTS.name(), event);
  }

  static String randomLetters(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  /** A producer whose own size check lets the near-limit records through: the broker's limit is what they meet. */
  private static Properties producerProps(String bootstrap, String compression) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    return p;
  }

  private static boolean startsWith(byte[] original, ByteBuffer copy) {
    ByteBuffer c = copy.duplicate();
    for (int i = 0; c.hasRemaining(); i++) {
      if (c.get() != original[i]) {
        return false;
      }
    }
    return true;
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
