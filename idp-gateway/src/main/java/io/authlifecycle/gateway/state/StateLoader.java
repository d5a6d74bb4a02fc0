package io.authlifecycle.gateway.state;

import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a {@link GatewayState} from its partition of the gateway's compacted state topic, read
 * committed to the end. The topic holds only the gateway's own live state, so a load reads what is
 * live now, whatever the size of the facts and audit topics.
 */
public final class StateLoader {

  private static final Logger LOG = LoggerFactory.getLogger(StateLoader.class);

  private final Map<String, Object> consumerConfig;
  private final Supplier<GatewayState> empty;

  public StateLoader(Map<String, Object> consumerConfig, Supplier<GatewayState> empty) {
    this.consumerConfig = consumerConfig;
    this.empty = empty;
  }

  public GatewayState load(int partition) {
    return load(List.of(partition)).get(partition);
  }

  /** One reader for every partition that was assigned together. */
  public Map<Integer, GatewayState> load(Collection<Integer> partitions) {
    long started = System.nanoTime();
    Map<Integer, GatewayState> states = new TreeMap<>();
    List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(Topics.GATEWAY_STATE.name(), p)).toList();
    tps.forEach(tp -> states.put(tp.partition(), empty.get()));
    Properties props = new Properties();
    props.putAll(consumerConfig);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    // The last offset is a transaction marker no fetch returns: do not wait the default 500 ms for it.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    props.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    long records = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          records++;
          // Only the gateway writes this topic; a record it cannot read is a bug, not input to skip.
          states.get(r.partition()).restore(r.key(), r.value() == null ? null
              : Topics.GATEWAY_STATE.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
      }
    }
    int applied = states.values().stream().mapToInt(GatewayState::appliedCount).sum();
    int subjects = states.values().stream().mapToInt(GatewayState::subjectCount).sum();
    LOG.info("partitions {}: state loaded from {} record(s) in {} ms: {} handled command id(s), {} subject(s)", partitions,
        records, (System.nanoTime() - started) / 1_000_000, applied, subjects);
    return states;
  }
}
