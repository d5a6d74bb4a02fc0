package io.authlifecycle.ingest.state;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.RegistryUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest's one writer: every accepted request's events, audit and state go to Kafka in one
 * transaction, and only a committed transaction moves the in-memory state. Writes are applied one
 * at a time (each computes its change against the state the previous one left). Any Kafka failure
 * aborts the write, drops the producer and the state; the reconnect loop (or the next request)
 * starts a new producer, whose initialisation completes or aborts what was in flight, and reads
 * the state back from its topic, so memory never claims what Kafka does not hold. A fixed transactional id fences a second
 * instance's writes: one instance writes at a time.
 */
public final class Journal implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  /** Where the journal is, for /health and /ready. */
  public enum Status { STARTING, READY, UNAVAILABLE, FAILED, CLOSED }

  /** A request's change: stage what it writes against the current state, or refuse (nothing written). */
  @FunctionalInterface
  public interface Change<T, E extends Exception> {
    T stage(IngestState state, Staging staging) throws E;
  }

  private final String worker;
  private final Map<String, Object> producerConfig;
  private final Map<String, Object> clientConfig;
  private final Duration timeout;
  private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lifecycle-ingest-connect");
    t.setDaemon(true);
    return t;
  });
  private KafkaProducer<byte[], byte[]> producer;
  private IngestState state;
  private volatile Status status = Status.STARTING;
  private volatile String problem = "starting";

  public Journal(String worker, Settings settings, String transactionalId, Duration timeout) {
    this.worker = worker;
    this.timeout = timeout;
    clientConfig = new HashMap<>(settings.kafkaOverrides());
    clientConfig.put("bootstrap.servers", settings.get(CoreSettings.BOOTSTRAP_SERVERS));
    producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // Every blocking call of the producer is bounded by the request's wait for Kafka.
    int millis = (int) timeout.toMillis();
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
    producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
    producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(250, millis / 2));
  }

  /** Applies a change in one transaction and returns its result; a change that stages nothing writes nothing. */
  public synchronized <T, E extends Exception> T write(Change<T, E> change) throws E, KafkaUnavailableException {
    IngestState current = current();
    Staging staging = new Staging(worker, current);
    T result;
    try {
      result = change.stage(current, staging);
    } catch (RegistryUnavailableException e) {
      // Encoding needs the schema registry in registry format: nothing was written, the client retries.
      throw new KafkaUnavailableException("the schema registry is unavailable: " + e.getMessage(), e);
    }
    if (staging.isEmpty()) {
      return result;
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<byte[], byte[]> record : staging.records()) {
        producer.send(record);
      }
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      fail("another instance took over the transactional id " + producerConfig.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG), e);
      throw new KafkaUnavailableException(problem, e);
    } catch (KafkaException | IllegalStateException e) {
      reset("the transaction failed: " + e);
      throw new KafkaUnavailableException("Kafka did not take the write: " + e.getMessage(), e);
    }
    staging.updates().forEach(current::apply);
    return result;
  }

  /** Reads the state (loading it first if needed). */
  public synchronized <T> T read(java.util.function.Function<IngestState, T> query) throws KafkaUnavailableException {
    return query.apply(current());
  }

  /** The state for a request: while Kafka is unavailable a request fails at once; the reconnect loop reconnects. */
  private IngestState current() throws KafkaUnavailableException {
    if (status == Status.UNAVAILABLE) {
      throw new KafkaUnavailableException(problem, null);
    }
    return ready();
  }

  /**
   * Keeps trying to become ready while Kafka is unavailable (at start, and after a failure), so
   * /ready turns green by itself and the first request after an outage does not pay for it.
   */
  public void reconnectEvery(Duration interval) {
    reconnector.scheduleWithFixedDelay(() -> {
      if (status == Status.STARTING || status == Status.UNAVAILABLE) {
        warmUp();
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void warmUp() {
    try {
      ready();
    } catch (KafkaUnavailableException e) {
      LOG.debug("{}: Kafka is not available yet ({}); requests are answered 503 until it is", worker, e.getMessage());
    } catch (RuntimeException e) {
      // The loop must outlive any surprise, or the ingest would never reconnect.
      LOG.error("{}: reconnecting failed", worker, e);
    }
  }

  public Status status() {
    return status;
  }

  /** Why the journal is not ready. */
  public String problem() {
    return problem;
  }

  private IngestState ready() throws KafkaUnavailableException {
    if (status == Status.FAILED || status == Status.CLOSED) {
      throw new KafkaUnavailableException(problem, null);
    }
    if (producer != null && state != null) {
      return state;
    }
    try {
      checkStateTopic();
      producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
      producer.initTransactions();
      state = load();
      status = Status.READY;
      problem = "";
      LOG.info("{}: writing to Kafka; {} users in state", worker, state.allUsers().size());
      return state;
    } catch (IllegalStateException e) {
      fail(e.getMessage(), e);
      throw new KafkaUnavailableException(problem, e);
    } catch (IllegalArgumentException e) {
      // A record on the state topic this ingest cannot read: running on without it would lose idempotence.
      fail("the state topic " + Topics.INGEST_STATE.name() + " holds a record that is not the ingest's: " + e.getMessage(), e);
      throw new KafkaUnavailableException(problem, e);
    } catch (AuthorizationException e) {
      fail("not authorised on Kafka: " + e.getMessage(), e);
      throw new KafkaUnavailableException(problem, e);
    } catch (KafkaException | KafkaUnavailableException e) {
      reset("Kafka is not available: " + e.getMessage());
      throw e instanceof KafkaUnavailableException k ? k : new KafkaUnavailableException(problem, e);
    }
  }

  /** A non-compacted state topic would lose users after its retention, and with them idempotence. */
  private void checkStateTopic() throws KafkaUnavailableException {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INGEST_STATE.name());
    Map<String, Object> admin = new HashMap<>(clientConfig);
    admin.put("default.api.timeout.ms", (int) timeout.toMillis());
    admin.put("request.timeout.ms", (int) timeout.toMillis());
    Config config;
    try (Admin client = Admin.create(admin)) {
      config = client.describeConfigs(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException a) {
        throw a;
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        throw new IllegalStateException("the state topic " + topic.name() + " does not exist; create it compacted "
            + "(cleanup.policy=compact), as the local stack and the Kubernetes manifests do");
      }
      throw new KafkaUnavailableException("cannot describe " + topic.name() + ": " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new KafkaUnavailableException("no answer from Kafka within " + timeout.toMillis() + " ms", e);
    }
    ConfigEntry policy = config.get("cleanup.policy");
    if (policy == null || !policy.value().contains("compact")) {
      throw new IllegalStateException("the state topic " + topic.name() + " has cleanup.policy="
          + (policy == null ? "?" : policy.value()) + "; it must be compact, or users (and idempotence) are lost after retention");
    }
  }

  /** Reads the state topic to its committed end. */
  private IngestState load() throws KafkaUnavailableException {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    IngestState loaded = new IngestState();
    // Reading a large state takes longer than one request may wait; it happens once per start or failure.
    long deadline = System.nanoTime() + timeout.multipliedBy(10).toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.INGEST_STATE.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new KafkaUnavailableException("the state topic was not read to its end in " + timeout.multipliedBy(10), null);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            loaded.apply(StateCodec.decode(r.value()));
          }
        }
      }
    }
    return loaded;
  }

  private void reset(String why) {
    if (status == Status.READY || status == Status.STARTING) {
      LOG.warn("{}: {}; writes are answered 503 until Kafka answers, then the state is read back", worker, why);
    } else {
      LOG.debug("{}: still unavailable: {}", worker, why);
    }
    closeProducer();
    state = null;
    if (status != Status.FAILED && status != Status.CLOSED) {
      status = Status.UNAVAILABLE;
      problem = why;
    }
  }

  private void fail(String why, Throwable cause) {
    LOG.error("{}: {}", worker, why, cause);
    closeProducer();
    state = null;
    status = Status.FAILED;
    problem = why;
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
      producer = null;
    }
  }

  @Override
  public void close() {
    reconnector.shutdownNow();
    synchronized (this) {
      closeProducer();
      status = Status.CLOSED;
      problem = "closed";
    }
  }

}
