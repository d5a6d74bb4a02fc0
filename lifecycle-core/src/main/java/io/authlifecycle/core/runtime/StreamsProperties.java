package io.authlifecycle.core.runtime;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.streams.WorkerContext;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties of a worker: exactly_once_v2, a named application id, and pass-throughs. */
public final class StreamsProperties {

  private StreamsProperties() {}

  public static Properties of(WorkerContext worker, String advertisedEndpoint) {
    Settings s = worker.settings();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, worker.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.get(CoreSettings.BOOTSTRAP_SERVERS));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, s.get(CoreSettings.STATE_DIR));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.get(CoreSettings.STREAM_THREADS));
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, s.get(CoreSettings.STANDBY_REPLICAS));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.get(CoreSettings.COMMIT_INTERVAL).toMillis());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedEndpoint);
    // Topics are created by the deployment, never implicitly by a worker: Streams' own consumers
    // never auto-create one (it fixes allow.auto.create.topics to false and logs an error for an override).
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // Batches sized to the commit interval: the commit flushes the producer anyway, so a longer
    // commit interval can wait longer and send fewer, larger requests (5 ms at 100 ms, 100 ms at 1 s).
    long commitMillis = s.get(CoreSettings.COMMIT_INTERVAL).toMillis();
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), lingerMillis(commitMillis));
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), BATCH_BYTES);
    props.putAll(s.kafkaOverrides());
    return props;
  }

  /** The producers' batch size. */
  public static final int BATCH_BYTES = 64 * 1024;

  /** The producers' linger: a tenth of the commit interval, between 5 and 100 ms. */
  public static long lingerMillis(long commitIntervalMillis) {
    return Math.max(5, Math.min(100, commitIntervalMillis / 10));
  }
}
