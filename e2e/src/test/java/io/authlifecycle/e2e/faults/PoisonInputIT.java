package io.authlifecycle.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.deploy.Components;
import io.authlifecycle.e2e.bench.GroupProgress;
import io.authlifecycle.e2e.bench.WorkerInputs;
import io.authlifecycle.e2e.bench.WorkerStack;
import io.authlifecycle.e2e.faults.PoisonRecords.Flaw;
import io.authlifecycle.e2e.faults.PoisonRecords.Poison;
import io.authlifecycle.schemas.MultiRecordSerde;
import io.authlifecycle.schemas.SchemaCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison on every input topic that some running component reads (HR, MDM, authenticator facts,
 * factor use, recovery requests, approval decisions, the audit topic for the OCSF feed, and the
 * commands when the IdP gateway is present), interleaved with good records: every bad record lands on
 * its topic's dead-letter topic once per component reading it (a reader that never decides on the
 * type its header names skips it unread), with the right kind and a reason; the good ones are all
 * decided; every component stays RUNNING.
 *
 * <p>{@code -Dfaults.poison=N} bad records (default 5,000; the full size is
 * {@code -Dfaults.poison=10000}), about one good record per ten bad.
 */
class PoisonInputIT {

  private static final int POISON = Integer.getInteger("faults.poison", 5_000);
  private static final String GATEWAY = "idp-gateway";

  @TempDir
  Path dir;

  @Test
  void everyBadRecordIsDeadLetteredWithItsReasonWhileTheGoodOnesAreDecidedAndNothingStops() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start(); FaultRig rig = new FaultRig(dir, kafka.bootstrapServers())) {
      List<String> components = new ArrayList<>(rig.workers);
      Map<TopicSpec<?>, Integer> readers = new LinkedHashMap<>();
      for (String topic : rig.inputs.allInputs()) {
        Topics.byName(topic).filter(t -> t.deadLetters().isPresent()).ifPresent(t -> readers.put(t, rig.inputs.consumersOf(topic).size()));
      }
      if (Components.launchables(GATEWAY::equals).size() == 1) {
        components.add(GATEWAY);
        Topics.COMMANDS_ALL.forEach(t -> readers.merge(t, 1, Integer::sum));
      }
      WorkerStack stack = rig.startStack("workers", components, Map.of());

      PoisonRecords poison = new PoisonRecords(rig.run, 11);
      List<TopicSpec<?>> topics = new ArrayList<>(readers.keySet());
      List<Poison> sent = new ArrayList<>();
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = rig.producer()) {
        for (int n = 0; n < POISON; n++) {
          TopicSpec<?> topic = topics.get(n % topics.size());
          List<Flaw> flaws = PoisonRecords.flawsOf(topic);
          Poison bad = poison.bad(topic, flaws.get((n / topics.size()) % flaws.size()), n);
          send(producer, bad, sent, acks);
          if (n % 10 == 0 && !Topics.COMMANDS_ALL.contains(topic)) {
            send(producer, poison.good(topic, n), sent, acks);
          }
        }
        producer.flush();
      }
      Map<Poison, RecordMetadata> where = new HashMap<>();
      for (int i = 0; i < sent.size(); i++) {
        where.put(sent.get(i), acks.get(i).get());
      }
      try (GroupProgress groups = rig.progress(components)) {
        rig.awaitCaughtUp(groups, "poison");
      }

      // Dead letters by the position of the record they carry; the command topics share one dead-letter topic, read once.
      Map<String, List<DeadLetter>> letters = new HashMap<>();
      Map<String, TopicSpec<DeadLetter>> deadLetterTopics = new LinkedHashMap<>();
      topics.forEach(topic -> deadLetterTopics.putIfAbsent(topic.deadLetterTopic().name(), topic.deadLetterTopic()));
      for (TopicSpec<DeadLetter> dlq : deadLetterTopics.values()) {
        TopicScan.readToEnd(Map.of("bootstrap.servers", rig.bootstrap), dlq.name(), r -> {
          DeadLetter l = dlq.valueSerde().deserializer().deserialize(r.topic(), r.value());
          letters.computeIfAbsent(l.getSourceTopic() + "/" + l.getPartition() + "/" + l.getOffset(), k -> new ArrayList<>()).add(l);
        });
      }
      Ledger ledger = Ledger.read(rig.bootstrap);
      Set<String> audited = new HashSet<>();
      ledger.audits.forEach(a -> audited.add(a.getCausationId()));
      Set<String> projected = new HashSet<>();
      TopicScan.readToEnd(Map.of("bootstrap.servers", rig.bootstrap), Topics.AUDIT_OCSF.name(), r -> projected.add(new String(r.value(),
          java.nio.charset.StandardCharsets.UTF_8)));
      String ocsf = String.join("\n", projected);

      Map<String, int[]> perTopic = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      int bad = 0;
      int good = 0;
      int deadLettered = 0;
      int letterCount = 0;
      int goodDecided = 0;
      for (Poison p : sent) {
        RecordMetadata m = where.get(p);
        List<DeadLetter> mine = letters.getOrDefault(p.topic().name() + "/" + m.partition() + "/" + m.offset(), List.of());
        int[] counts = perTopic.computeIfAbsent(p.topic().name(), k -> new int[4]);
        if (p.good()) {
          good++;
          counts[2]++;
          boolean decided = p.topic() == Topics.AUDIT ? ocsf.contains("\"" + p.eventId() + "\"") : audited.contains(p.eventId());
          if (decided && mine.isEmpty()) {
            goodDecided++;
            counts[3]++;
          } else {
            problems.add("good " + p.topic().name() + " record " + p.eventId() + ": decided " + decided + ", dead letters " + mine.size());
          }
          continue;
        }
        bad++;
        counts[0]++;
        int expected = expectedReaders(p, readers, rig.inputs);
        long right = mine.stream().filter(l -> l.getErrorKind() == p.flaw().kind && l.getError() != null && !l.getError().isBlank()).count();
        long byDistinctReaders = mine.stream().map(DeadLetter::getWorker).distinct().count();
        letterCount += mine.size();
        if (mine.size() == expected && right == expected && byDistinctReaders == expected) {
          deadLettered++;
          counts[1]++;
        } else if (problems.size() < 40) {
          problems.add(p.flaw() + " on " + p.topic().name() + " (" + p.eventId() + "): " + mine.size() + " dead letters, "
              + right + " of kind " + p.flaw().kind + " with a reason, expected " + expected + ": "
              + mine.stream().map(l -> l.getWorker() + " " + l.getErrorKind() + " " + l.getError()).toList());
        }
      }
      Map<String, String> states = stack.states();
      List<String> chainBreaks = ledger.chains.breaks().stream()
          .filter(b -> components.stream().anyMatch(c -> b.chain().startsWith(c + " / "))).map(Object::toString).toList();

      StringBuilder report = new StringBuilder(String.format(
          "[poison] %,d bad records sent, %,d dead-lettered by every reader with the right kind and a reason (%,d dead letters); "
              + "%,d good records interleaved, %,d decided; duplicates %d; lost %d; components %s%n", bad, deadLettered, letterCount,
          good, goodDecided, letterCount - expectedLetters(sent, readers, rig.inputs), bad - deadLettered + good - goodDecided, states));
      perTopic.forEach((t, c) -> report.append(String.format("  %-34s readers %d  bad %,6d  dead-lettered %,6d  good %,5d  decided %,5d%n",
          t, readers.get(Topics.byName(t).orElseThrow()), c[0], c[1], c[2], c[3])));
      System.out.print(report);

      assertThat(problems).isEmpty();
      assertThat(bad).isGreaterThanOrEqualTo(POISON);
      assertThat(deadLettered).isEqualTo(bad);
      assertThat(goodDecided).isEqualTo(good).isPositive();
      assertThat(states).hasSize(components.size()).allSatisfy((c, s) -> assertThat(s).isEqualTo("RUNNING"));
      assertThat(chainBreaks).isEmpty();
    }
  }

  private static int expectedLetters(List<Poison> sent, Map<TopicSpec<?>, Integer> readers, WorkerInputs inputs) {
    return sent.stream().filter(p -> !p.good()).mapToInt(p -> expectedReaders(p, readers, inputs)).sum();
  }

  /**
   * The readers that must dead-letter a bad record: every reader of its topic, except those that
   * never decide on the type its single-object header names (they skip it unread).
   */
  private static int expectedReaders(Poison p, Map<TopicSpec<?>, Integer> readers, WorkerInputs inputs) {
    if (Topics.COMMANDS_ALL.contains(p.topic())) {
      return readers.get(p.topic());
    }
    Optional<Class<? extends SpecificRecord>> type = new MultiRecordSerde(SchemaCatalog.get(), p.topic().recordTypes())
        .writerType(p.value());
    return type.map(t -> inputs.decidersOf(p.topic().name(), t).size()).orElse(readers.get(p.topic()));
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Poison p, List<Poison> sent, List<Future<RecordMetadata>> acks) {
    sent.add(p);
    acks.add(producer.send(new ProducerRecord<>(p.topic().name(), PoisonRecords.utf8(p.key()), p.value())));
  }
}
