package io.authlifecycle.e2e.bench;

import io.authlifecycle.core.runtime.StreamsProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline: a plain consumer-to-producer pipe with the transactional settings the workers
 * run with (read_committed, a transactional producer, offsets sent to the transaction, one commit
 * per commit interval, lz4, and the linger and batch size the workers' producers have for that
 * commit interval). It copies every
 * record, with its key, bytes and timestamp, to the same partition of the output topic and decides
 * nothing: the cost of exactly-once Kafka alone on this machine.
 *
 * <p>{@code java ... BaselinePipe BOOTSTRAP IN_TOPIC OUT_TOPIC GROUP COMMIT_INTERVAL_MS}; SIGTERM stops it.
 */
public final class BaselinePipe {

  private BaselinePipe() {}

  public static void main(String[] args) throws InterruptedException {
    String bootstrap = args[0];
    String in = args[1];
    String out = args[2];
    String group = args[3];
    long commitIntervalMs = Long.parseLong(args[4]);

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Kafka Streams' own consumer default.
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-tx");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // The workers' producer batching for the same commit interval.
    p.put(ProducerConfig.LINGER_MS_CONFIG, (int) StreamsProperties.lingerMillis(commitIntervalMs));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, StreamsProperties.BATCH_BYTES);
    // Kafka Streams' exactly-once producer default.
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);

    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    CountDownLatch done = new CountDownLatch(1);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      consumer.wakeup();
      try {
        done.await();
      } catch (InterruptedException e) {
        main.interrupt();
      }
    }, "baseline-pipe-stop"));

    producer.initTransactions();
    consumer.subscribe(List.of(in));
    System.out.println("baseline pipe running: " + in + " -> " + out + ", commit every " + commitIntervalMs + " ms");
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long lastCommit = System.currentTimeMillis();
    producer.beginTransaction();
    try {
      while (true) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.min(100, commitIntervalMs)));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          producer.send(new ProducerRecord<>(out, r.partition(), r.timestamp(), r.key(), r.value()));
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        if (System.currentTimeMillis() - lastCommit >= commitIntervalMs && !offsets.isEmpty()) {
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          producer.commitTransaction();
          offsets.clear();
          producer.beginTransaction();
          lastCommit = System.currentTimeMillis();
        }
      }
    } catch (WakeupException e) {
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
      } else {
        producer.abortTransaction();
      }
    } finally {
      producer.close(Duration.ofSeconds(10));
      consumer.close(Duration.ofSeconds(10));
      done.countDown();
    }
  }
}
