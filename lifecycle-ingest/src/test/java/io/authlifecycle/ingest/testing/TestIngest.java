package io.authlifecycle.ingest.testing;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.ingest.IngestSettings;
import io.authlifecycle.ingest.LifecycleIngest;
import io.authlifecycle.ingest.RunningIngest;
import io.authlifecycle.ingest.state.Journal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Starts the ingest as the local stack does (its settings, a free port), for tests; and reads topics to their end. */
public final class TestIngest {

  /** The bearer token of the test client {@value #CLIENT}. */
  public static final String TOKEN = "test-token-0123456789abcdef";
  public static final String CLIENT = "hr-test";

  private TestIngest() {}

  /** An ingest on {@code bootstrap} with a free port, the test client's token and a short Kafka wait; waits until READY. */
  public static RunningIngest start(String bootstrap, Map<String, String> overrides) throws InterruptedException {
    Map<String, String> all = new HashMap<>();
    all.put(CoreSettings.BOOTSTRAP_SERVERS.key(), bootstrap);
    all.put(CoreSettings.HTTP_PORT.key(), "0");
    all.put(IngestSettings.TOKENS.key(), CLIENT + ":" + TOKEN);
    all.put(IngestSettings.KAFKA_TIMEOUT.key(), "5s");
    all.putAll(overrides);
    Settings settings = Settings.load(IngestSettings.declared(), Optional.empty(), Map.of(), all);
    RunningIngest ingest = LifecycleIngest.start(settings, Clock.systemUTC());
    return ingest;
  }

  /** Waits until the ingest writes to Kafka. */
  public static RunningIngest awaitReady(RunningIngest ingest, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ingest.status() != Journal.Status.READY && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (ingest.status() != Journal.Status.READY) {
      throw new IllegalStateException("the ingest is " + ingest.status() + " after " + timeout);
    }
    return ingest;
  }

  /** Everything committed on a topic up to its current end (the last stable offset under read_committed). */
  public static <V> List<V> committed(String bootstrap, TopicSpec<V> topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(topic.name() + " was not read to its end in 30 s");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
        }
      }
    }
    return values;
  }
}
