package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.CommandHandler.Decision;
import io.authlifecycle.gateway.CommandHandler.Emit;
import io.authlifecycle.gateway.CommandHandler.Out;
import io.authlifecycle.gateway.Outcomes.Source;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's consume-apply-produce loop. Each command is decided, then its outcome records, its
 * audit records and its consumer offset are committed in one Kafka transaction. While the IdP's
 * circuit breaker is open every assigned partition is paused (the group membership stays, nothing
 * is failed); a trial call that closes the breaker resumes them.
 */
final class CommandLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);

  /** Where the loop is, for /health and /ready. */
  enum Status { STARTING, RUNNING, FAILED, STOPPED }

  /** How long one poll's batch may take; the gateway sets max.poll.interval.ms to twice this. */
  static final Duration POLL_BUDGET = Duration.ofMinutes(7);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final CommandHandler handler;
  private final ResilientIdp idp;
  private final StateLoader loader;
  private final AtomicLong pausedGauge;
  private final Map<Integer, PartitionState> states = new ConcurrentHashMap<>();
  private volatile Status status = Status.STARTING;
  private volatile boolean running = true;
  private volatile Set<TopicPartition> paused = Set.of();
  private volatile Set<TopicPartition> assigned = Set.of();

  CommandLoop(KafkaConsumer<String, byte[]> consumer, KafkaProducer<byte[], byte[]> producer, CommandHandler handler,
      ResilientIdp idp, StateLoader loader, AtomicLong pausedGauge) {
    this.consumer = consumer;
    this.producer = producer;
    this.handler = handler;
    this.idp = idp;
    this.loader = loader;
    this.pausedGauge = pausedGauge;
  }

  @Override
  public void run() {
    try (consumer; producer) {
      producer.initTransactions();
      consumer.subscribe(List.of(Topics.COMMANDS.name()), new Rebalance());
      status = Status.RUNNING;
      while (running) {
        if (!paused.isEmpty() && idp.tryClose()) {
          resume();
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        process(records);
      }
      status = Status.STOPPED;
    } catch (WakeupException e) {
      status = running ? Status.FAILED : Status.STOPPED;
    } catch (RuntimeException e) {
      status = Status.FAILED;
      LOG.error("idp-gateway command loop stopped on an error", e);
    }
  }

  private void process(ConsumerRecords<String, byte[]> records) {
    long polled = System.nanoTime();
    List<TopicPartition> partitions = List.copyOf(records.partitions());
    for (int i = 0; i < partitions.size(); i++) {
      TopicPartition tp = partitions.get(i);
      for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
        // Slow, throttled IdP calls must not outlast max.poll.interval.ms: poll again before that.
        boolean inTime = System.nanoTime() - polled < POLL_BUDGET.toNanos();
        Decision decision = running && inTime ? handler.handle(source(r), states.get(tp.partition()))
            : new CommandHandler.Wait(running ? "poll again" : "stopping");
        boolean committed = decision instanceof Emit emit && commit(tp, r, emit);
        if (!committed) {
          // Leave this record and everything after it in this batch for a later poll.
          consumer.seek(tp, r.offset());
          partitions.subList(i + 1, partitions.size())
              .forEach(later -> consumer.seek(later, records.records(later).get(0).offset()));
          if (decision instanceof CommandHandler.Wait wait && idp.open()) {
            pause(wait.reason());
          }
          return;
        }
      }
    }
  }

  /** One transaction: outcome records, audit records, the consumed offset. False if it was aborted. */
  private boolean commit(TopicPartition tp, ConsumerRecord<String, byte[]> r, Emit emit) {
    int partition = tp.partition();
    try {
      producer.beginTransaction();
      for (Out out : emit.records()) {
        producer.send(new ProducerRecord<>(out.topic().name(), partition, bytes(out.key()), encode(out.topic(), out.value())));
      }
      for (AuditEvent audit : emit.audits()) {
        producer.send(new ProducerRecord<>(Topics.AUDIT.name(), partition, bytes(audit.getSubjectId()),
            Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), audit)));
      }
      producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)), consumer.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("transaction for {}@{} aborted, will retry it: {}", tp, r.offset(), e.toString());
      producer.abortTransaction();
      // Chain heads moved for records that were never committed: rebuild from what was.
      states.put(partition, loader.load(partition));
      return false;
    }
    if (emit.appliedCommandId() != null) {
      states.get(partition).markApplied(emit.appliedCommandId());
    }
    LOG.debug("{}@{}: {}", tp, r.offset(), emit.outcome());
    return true;
  }

  private void pause(String reason) {
    Set<TopicPartition> assigned = consumer.assignment();
    consumer.pause(assigned);
    paused = Set.copyOf(assigned);
    pausedGauge.set(assigned.size());
    LOG.warn("IdP unavailable ({}): paused {} partition(s) until the circuit breaker closes", reason, assigned.size());
  }

  private void resume() {
    consumer.resume(consumer.paused());
    LOG.info("IdP answers again: resumed {} partition(s)", paused.size());
    paused = Set.of();
    pausedGauge.set(0);
  }

  /** Rebuilds what the gateway knows about a partition when it is assigned; keeps it paused if the IdP is down. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      for (TopicPartition tp : assigned) {
        states.put(tp.partition(), loader.load(tp.partition()));
      }
      CommandLoop.this.assigned = Set.copyOf(assigned);
      if (!paused.isEmpty() && !assigned.isEmpty()) {
        consumer.pause(assigned);
        paused = Set.copyOf(consumer.paused());
        pausedGauge.set(paused.size());
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      revoked.forEach(tp -> states.remove(tp.partition()));
      assigned = Set.of();
    }
  }

  Status status() {
    return status;
  }

  /** Command partitions this instance owns, once their state is loaded. */
  Set<TopicPartition> assignedPartitions() {
    return assigned;
  }

  Set<TopicPartition> pausedPartitions() {
    return paused;
  }

  /** Stops after the record in hand; its transaction completes or the record is left for later. */
  void stop() {
    running = false;
    consumer.wakeup();
  }

  private static Source source(ConsumerRecord<String, byte[]> r) {
    return new Source(r.topic(), r.partition(), r.offset(), r.key(), r.value(), Instant.ofEpochMilli(Math.max(0, r.timestamp())));
  }

  @SuppressWarnings("unchecked")
  private static byte[] encode(TopicSpec<?> topic, SpecificRecord value) {
    return ((Serde<SpecificRecord>) topic.valueSerde()).serializer().serialize(topic.name(), value);
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
