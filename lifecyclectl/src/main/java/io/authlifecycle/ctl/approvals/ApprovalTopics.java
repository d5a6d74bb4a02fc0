package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.KafkaOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the approver and help-desk commands do on Kafka: read the approval requests committed so far
 * (no consumer group, so an approver needs only read access to the topic) and publish a signed
 * decision or request.
 */
final class ApprovalTopics {

  private ApprovalTopics() {}

  /** The approval requests up to the last committed offset of every partition. */
  static ApprovalRequestBoard readBoard(KafkaOptions kafka, Duration timeout) throws TimeoutException {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lifecyclectl-approvals");
    String topic = Topics.APPROVAL_REQUESTS.name();
    List<ApprovalRequested> read = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new TimeoutException("topic " + topic + " was not found at " + kafka.bootstrap());
      }
      List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("could not read " + topic + " to its end within " + timeout);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          decode(record).ifPresent(read::add);
        }
      }
    }
    return ApprovalRequestBoard.of(read);
  }

  private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** A record this build cannot read is skipped: listing must not fail on one bad record. */
  private static Optional<ApprovalRequested> decode(ConsumerRecord<String, byte[]> record) {
    try {
      return Optional.ofNullable(Topics.APPROVAL_REQUESTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
    } catch (SerializationException e) {
      return Optional.empty();
    }
  }

  /** Publishes one signed record, keyed by its subject, and waits for the broker's acknowledgement. */
  static <V> void publish(KafkaOptions kafka, TopicSpec<V> topicSpec, String subjectId, V value, Duration timeout)
      throws ExecutionException, InterruptedException, TimeoutException {
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "lifecyclectl-approvals");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1000));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Math.max(timeout.toMillis(), 1000), 30_000));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(timeout.toMillis(), 1000));
    String topic = topicSpec.name();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, subjectId.getBytes(StandardCharsets.UTF_8),
          topicSpec.valueSerde().serializer().serialize(topic, value)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
