package io.authlifecycle.core.testing;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker in this JVM (Kafka's own test kit), with every registry topic
 * and dead-letter topic created, and helpers to produce and read committed records.
 */
public final class KafkaTestCluster implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private KafkaTestCluster(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Starts a combined broker/controller node and creates the registry topics. */
  public static KafkaTestCluster start() throws Exception {
    return start(Topics.DEFAULT_PARTITIONS, Map.of());
  }

  public static KafkaTestCluster start(int partitions, Map<String, String> brokerProps) throws Exception {
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("auto.create.topics.enable", "false");
    brokerProps.forEach(builder::setConfigProp);
    KafkaClusterTestKit kit = builder.build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    KafkaTestCluster cluster = new KafkaTestCluster(kit);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      // Created with their configs (a compacted state topic), so no client ever sees them otherwise.
      admin.createTopics(Topics.allWithDeadLetters().stream()
          .map(t -> new NewTopic(t.name(), partitions, (short) 1).configs(t.configs())).toList()).all().get();
    }
    return cluster;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public KafkaClusterTestKit kit() {
    return cluster;
  }

  public void createTopics(List<String> names, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get();
    }
  }

  /** Sends records with an idempotent producer and waits for the acks. */
  public <V> void produce(TopicSpec<V> topic, Map<String, V> byKey) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    byKey.forEach((k, v) -> records.add(new ProducerRecord<>(topic.name(), k.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        topic.valueSerde().serializer().serialize(topic.name(), v))));
    produceRaw(records);
  }

  public <V> void produce(TopicSpec<V> topic, String key, V value) {
    produce(topic, Map.of(key, value));
  }

  /** Sends raw bytes (for garbage and hand-made records). */
  public void produceRaw(List<ProducerRecord<byte[], byte[]>> records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> r : records) {
        producer.send(r);
      }
      producer.flush();
    }
  }

  /**
   * Reads a topic from the beginning with a read-committed consumer until {@code done} holds for
   * what was read, or the timeout passes; returns the decoded values in partition order.
   */
  public <V> List<V> readCommitted(TopicSpec<V> topic, Predicate<List<V>> done, Duration timeout) {
    List<V> values = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readCommittedRaw(topic.name(),
        raw -> done.test(decodeAll(topic, raw)), timeout)) {
      values.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
    }
    return values;
  }

  /** Reads until at least {@code count} records arrived (or the timeout). */
  public <V> List<V> readCommitted(TopicSpec<V> topic, int count, Duration timeout) {
    return readCommitted(topic, vs -> vs.size() >= count, timeout);
  }

  public List<ConsumerRecord<String, byte[]>> readCommittedRaw(String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(read)) {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      }
    }
    return read;
  }

  private static <V> List<V> decodeAll(TopicSpec<V> topic, List<ConsumerRecord<String, byte[]>> raw) {
    return raw.stream().map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value())).toList();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
