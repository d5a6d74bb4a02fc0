package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.CommandHandler.Decision;
import io.authlifecycle.gateway.CommandHandler.Emit;
import io.authlifecycle.gateway.CommandHandler.Out;
import io.authlifecycle.gateway.Outcomes.Source;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.authlifecycle.gateway.state.GatewayState;
import io.authlifecycle.gateway.state.StateLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * audit records, its state changes and its consumer offset are committed in one Kafka transaction.
 * Between polls, the partitions' own work (see {@link Chores}) is done the same way. While the
 * IdP's circuit breaker is open every assigned partition is paused (the group membership stays,
 * nothing is failed); a trial call that closes the breaker resumes them.
 */
final class CommandLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);

  /** Where the loop is, for /health and /ready. */
  enum Status { STARTING, RUNNING, FAILED, STOPPED }

  /** How long one poll's batch may take; the gateway sets max.poll.interval.ms to twice this. */
  static final Duration POLL_BUDGET = Duration.ofMinutes(7);

  /** Work a partition's owner does between polls: ticket timers, bindings, forgetting old ids. */
  interface Chores {
    /** Hands each decision to {@code commit} as soon as it is made; stops when that answers false. */
    void run(Map<Integer, GatewayState> owned, Instant now, Committer commit);
  }

  /** Commits one decision (false: aborted, or a Wait: stop the round). */
  interface Committer {
    boolean commit(PartitionDecision decision);
  }

  /** A decision about one partition that no consumed record caused. */
  record PartitionDecision(int partition, Decision decision) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<String> topics;
  private final CommandHandler handler;
  private final Chores chores;
  private final ResilientIdp idp;
  private final StateLoader loader;
  private final AtomicLong pausedGauge;
  private final Clock clock;
  private final Map<Integer, GatewayState> states = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private volatile Status status = Status.STARTING;
  private volatile boolean running = true;
  private volatile Set<TopicPartition> paused = Set.of();
  private volatile Set<TopicPartition> assigned = Set.of();

  CommandLoop(KafkaConsumer<String, byte[]> consumer, KafkaProducer<byte[], byte[]> producer, List<String> topics,
      CommandHandler handler, Chores chores, ResilientIdp idp, StateLoader loader, AtomicLong pausedGauge, Clock clock) {
    this.consumer = consumer;
    this.producer = producer;
    this.topics = topics;
    this.handler = handler;
    this.chores = chores;
    this.idp = idp;
    this.loader = loader;
    this.pausedGauge = pausedGauge;
    this.clock = clock;
  }

  @Override
  public void run() {
    try (consumer; producer) {
      producer.initTransactions();
      consumer.subscribe(topics, new Rebalance());
      status = Status.RUNNING;
      while (running) {
        if (!paused.isEmpty() && idp.tryClose()) {
          resume();
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        process(records);
        if (paused.isEmpty() && running) {
          doChores();
        }
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
        boolean committed = decision instanceof Emit emit
            && commit(tp.partition(), Map.of(tp, new OffsetAndMetadata(r.offset() + 1)), emit);
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
        positions.put(tp, r.offset() + 1);
      }
    }
  }

  private void doChores() {
    chores.run(Map.copyOf(states), clock.instant(), d -> {
      if (d.decision() instanceof Emit emit) {
        return commit(d.partition(), fencing(d.partition()), emit);
      }
      // The round stopped half-way: drop what it changed in memory and was not committed.
      states.putAll(loader.load(states.keySet()));
      if (d.decision() instanceof CommandHandler.Wait wait && idp.open()) {
        pause(wait.reason());
      }
      return false;
    });
  }

  /**
   * The committed positions of the partition's command topics: sent with a transaction no record
   * caused, so that a gateway that lost the partition is fenced by the group generation.
   */
  private Map<TopicPartition, OffsetAndMetadata> fencing(int partition) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    positions.forEach((tp, offset) -> {
      if (tp.partition() == partition) {
        offsets.put(tp, new OffsetAndMetadata(offset));
      }
    });
    return offsets;
  }

  /** One transaction: outcome records, audit records, state changes, offsets. False if it was aborted. */
  private boolean commit(int partition, Map<TopicPartition, OffsetAndMetadata> offsets, Emit emit) {
    GatewayState state = states.get(partition);
    try {
      producer.beginTransaction();
      for (Out out : emit.records()) {
        producer.send(new ProducerRecord<>(out.topic().name(), partition, bytes(out.key()), encode(out.topic(), out.value())));
      }
      for (AuditEvent audit : emit.audits()) {
        producer.send(new ProducerRecord<>(Topics.AUDIT.name(), partition, bytes(audit.getSubjectId()),
            Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), audit)));
      }
      for (Map.Entry<String, SpecificRecord> change : state.drainChanges().entrySet()) {
        producer.send(new ProducerRecord<>(Topics.GATEWAY_STATE.name(), partition, bytes(change.getKey()),
            change.getValue() == null ? null : encode(Topics.GATEWAY_STATE, change.getValue())));
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("transaction for partition {} ({}) aborted, will retry it: {}", partition, emit.outcome(), e.toString());
      producer.abortTransaction();
      // Chain heads and state moved for records that were never committed: reload what was.
      states.put(partition, loader.load(partition));
      return false;
    }
    LOG.debug("partition {}: {}", partition, emit.outcome());
    return true;
  }

  private void pause(String reason) {
    Set<TopicPartition> all = consumer.assignment();
    consumer.pause(all);
    paused = Set.copyOf(all);
    pausedGauge.set(all.size());
    LOG.warn("IdP unavailable ({}): paused {} partition(s) until the circuit breaker closes", reason, all.size());
  }

  private void resume() {
    consumer.resume(consumer.paused());
    LOG.info("IdP answers again: resumed {} partition(s)", paused.size());
    paused = Set.of();
    pausedGauge.set(0);
  }

  /** Loads the state of each newly owned partition; keeps the partitions paused if the IdP is down. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> added) {
      Set<Integer> indexes = new TreeSet<>();
      added.forEach(tp -> indexes.add(tp.partition()));
      states.putAll(loader.load(indexes));
      for (TopicPartition tp : added) {
        positions.put(tp, consumer.position(tp));
      }
      assigned = Set.copyOf(consumer.assignment());
      if (!paused.isEmpty() && !added.isEmpty()) {
        consumer.pause(added);
        paused = Set.copyOf(consumer.paused());
        pausedGauge.set(paused.size());
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      revoked.forEach(tp -> {
        positions.remove(tp);
        states.remove(tp.partition());
      });
      assigned = Set.copyOf(positions.keySet());
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
