package io.authlifecycle.core.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic, from the beginning to the end it has now, read-committed, without a consumer group offset. */
public final class TopicScan {

  private TopicScan() {}

  public static void readToEnd(Map<String, Object> clientProps, String topic, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    readToEnd(clientProps, topic, Optional.empty(), onRecord);
  }

  /** Each partition's first offset still held: above 0 where retention (or a deletion) removed the oldest records. */
  public static Map<Integer, Long> beginningOffsets(Map<String, Object> clientProps, String topic) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props(clientProps), new StringDeserializer(), new ByteArrayDeserializer())) {
      Map<Integer, Long> offsets = new HashMap<>();
      consumer.beginningOffsets(consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList())
          .forEach((tp, offset) -> offsets.put(tp.partition(), offset));
      return offsets;
    }
  }

  private static Properties props(Map<String, Object> clientProps) {
    Properties props = new Properties();
    props.putAll(clientProps);
    // No group: an assigned, never-committing reader needs no group ACL (the SOC and approvers have none to spare).
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  /** As {@link #readToEnd(Map, String, Consumer)}, starting at the first record written at or after {@code since}. */
  public static void readToEnd(Map<String, Object> clientProps, String topic, Optional<Instant> since,
      Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props(clientProps), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      if (since.isPresent()) {
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(tp -> at.put(tp, since.get().toEpochMilli()));
        consumer.offsetsForTimes(at).forEach((tp, found) -> consumer.seek(tp, found == null ? end.get(tp) : found.offset()));
      }
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(500)).forEach(onRecord);
      }
    }
  }
}
