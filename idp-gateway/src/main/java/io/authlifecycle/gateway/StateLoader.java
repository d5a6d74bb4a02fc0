package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a {@link PartitionState} from what the gateway committed for that partition: its
 * {@code CommandApplied} facts (applied command ids, of the same mode: dry run or real) and its
 * audit records (chain heads). The gateway writes everything about command partition p to
 * partition p of its output topics, so reading partition p of each is enough.
 */
final class StateLoader {

  private static final Logger LOG = LoggerFactory.getLogger(StateLoader.class);

  private final Map<String, Object> consumerConfig;
  private final boolean dryRun;

  StateLoader(Map<String, Object> consumerConfig, boolean dryRun) {
    this.consumerConfig = consumerConfig;
    this.dryRun = dryRun;
  }

  PartitionState load(int partition) {
    PartitionState state = new PartitionState();
    readToEnd(new TopicPartition(Topics.AUTHENTICATOR_EVENTS.name(), partition), bytes -> {
      if (Topics.AUTHENTICATOR_EVENTS.valueSerde().deserializer().deserialize(null, bytes) instanceof CommandApplied a
          && a.getDryRun() == dryRun) {
        state.markApplied(a.getCommandId());
      }
    });
    readToEnd(new TopicPartition(Topics.AUDIT.name(), partition), bytes -> {
      AuditEvent event = Topics.AUDIT.valueSerde().deserializer().deserialize(null, bytes);
      if (IdpGateway.NAME.equals(event.getWorker())) {
        state.observeAudit(event);
      }
    });
    LOG.info("partition {}: {} applied command ids rebuilt", partition, state.appliedCount());
    return state;
  }

  private void readToEnd(TopicPartition tp, Consumer<byte[]> each) {
    Properties props = new Properties();
    props.putAll(consumerConfig);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue;
          }
          try {
            each.accept(r.value());
          } catch (RuntimeException e) {
            // Someone else's unreadable record; it decides nothing here.
            LOG.debug("skipped unreadable record {}-{}@{}: {}", tp.topic(), tp.partition(), r.offset(), e.getMessage());
          }
        }
      }
    }
  }
}
