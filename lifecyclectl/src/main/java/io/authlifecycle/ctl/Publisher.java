package io.authlifecycle.ctl;

import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes a batch of already-encoded records in one Kafka transaction: all of them or none. */
public final class Publisher {

  private Publisher() {}

  /** One encoded record: topic, UTF-8 key (may be null) and value bytes. */
  public record Encoded(String topic, byte[] key, byte[] value) {}

  /** Sends every record in one transaction and waits for the commit. */
  public static void publish(Properties client, List<Encoded> batch) {
    Properties props = new Properties();
    props.putAll(client);
    props.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lifecyclectl-" + UUID.randomUUID());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Fail in seconds, not the client's default minute, when the cluster is not there.
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      try {
        for (Encoded record : batch) {
          producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()));
        }
        producer.commitTransaction();
      } catch (ProducerFencedException e) {
        throw e;
      } catch (KafkaException e) {
        producer.abortTransaction();
        throw e;
      }
    }
  }
}
