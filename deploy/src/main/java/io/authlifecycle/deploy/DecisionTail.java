package io.authlifecycle.deploy;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints what the workers decide, as it is committed: audit records, commands, notifications,
 * approval requests and dead letters, one readable line each, from the moment it is opened.
 */
public final class DecisionTail implements AutoCloseable {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, TopicSpec<?>> topics = new LinkedHashMap<>();
  private final PrintStream out;
  private final Thread thread;

  /** Opens at the current end of every watched topic; call {@link #start} to begin printing. */
  public DecisionTail(String bootstrapServers, PrintStream out) {
    this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), out);
  }

  /** As above, with full client settings (a secured cluster). */
  public DecisionTail(Map<String, Object> client, PrintStream out) {
    this.out = out;
    List<TopicSpec<?>> watched = new ArrayList<>(List.of(Topics.AUDIT, Topics.NOTIFICATIONS, Topics.APPROVAL_REQUESTS));
    watched.addAll(Topics.COMMANDS_ALL);
    Topics.ALL.forEach(t -> t.deadLetters().ifPresent(watched::add));
    watched.forEach(t -> topics.put(t.name(), t));
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics.keySet()) {
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, so records fed after this constructor are all shown.
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "decision-tail");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          out.println(CLOCK.format(Instant.ofEpochMilli(record.timestamp())) + "  " + describe(record));
        }
      }
    } catch (WakeupException e) {
      // close() asked the loop to end.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private String describe(ConsumerRecord<String, byte[]> record) {
    TopicSpec<?> topic = topics.get(record.topic());
    try {
      SpecificRecord value = (SpecificRecord) topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
      return Summaries.of(value, Instant.now());
    } catch (RuntimeException e) {
      return "UNREADABLE  " + record.topic() + " partition " + record.partition() + " offset " + record.offset()
          + ": " + e.getMessage();
    }
  }

  @Override
  public void close() {
    if (!thread.isAlive()) {
      consumer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
