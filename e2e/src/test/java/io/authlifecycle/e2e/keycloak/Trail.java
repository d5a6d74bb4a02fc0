package io.authlifecycle.e2e.keycloak;

import io.authlifecycle.core.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.Assertions;

/**
 * What is committed on a broker's topics: read from the beginning up to the last stable offset of
 * every partition (so "nothing of that kind" means nothing committed so far), or waited for.
 */
final class Trail {

  private final String bootstrapServers;
  private final Duration wait;

  Trail(String bootstrapServers, Duration wait) {
    this.bootstrapServers = bootstrapServers;
    this.wait = wait;
  }

  /** Every committed record of these topics (one record type), in partition order, topic by topic. */
  <V> List<V> all(List<TopicSpec<V>> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      for (TopicSpec<V> topic : topics) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // For a read-committed consumer the end offsets are the last stable offsets.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + wait.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
          }
        }
      }
    }
    return values;
  }

  <V> List<V> all(TopicSpec<V> topic) {
    return all(List.of(topic));
  }

  /** The committed records {@code keep} accepts, once {@code done} holds for them; fails naming {@code what} if it never does. */
  <V> List<V> await(List<TopicSpec<V>> topics, Predicate<V> keep, Predicate<List<V>> done, String what) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<V> kept = List.of();
    while (System.nanoTime() < deadline) {
      kept = all(topics).stream().filter(keep).toList();
      if (done.test(kept)) {
        return kept;
      }
      sleep(300);
    }
    Assertions.fail("waited " + wait.toSeconds() + "s for " + what + "; committed so far: " + kept);
    return kept;
  }

  <V> List<V> await(TopicSpec<V> topic, Predicate<V> keep, Predicate<List<V>> done, String what) {
    return await(List.of(topic), keep, done, what);
  }

  /** Polls a condition outside Kafka (Keycloak's state) until it holds. */
  void until(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        Assertions.fail("waited " + wait.toSeconds() + "s for " + what);
      }
      sleep(250);
    }
  }

  /** A condition that may call Keycloak. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
