package io.authlifecycle.e2e.bench;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read-committed consumer on the benchmark's clock: each command, audit record (or baseline
 * record) counts from the moment this consumer sees it, committed, back to the time of the input
 * event that caused it. Only inputs scheduled inside the measured window are counted.
 */
public final class CommitProbe implements AutoCloseable {

  /** Every issuer's command topic: what the probe times as commands. */
  public static final List<String> COMMAND_TOPICS = Topics.COMMANDS_ALL.stream().map(t -> t.name()).toList();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String bootstrap;
  private final List<TopicPartition> partitions = new ArrayList<>();
  /** How far the probe has read, per partition, updated after every poll. */
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final Thread thread;
  private final String leaverWorker;
  private volatile boolean running = true;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;

  /** Scheduled time of each non-bulk input of the window, by event id: the audit's causation. */
  private final Map<String, Long> causes = new ConcurrentHashMap<>();
  private final Latencies leaverRevokeAll = new Latencies();
  private final Latencies commands = new Latencies();
  private final Latencies audit = new Latencies();
  private final Latencies baseline = new Latencies();
  private final Map<String, AtomicLong> commandsByAction = new ConcurrentHashMap<>();
  private final Set<String> commandIds = new HashSet<>();
  private final AtomicLong duplicateCommands = new AtomicLong();
  private final AtomicLong records = new AtomicLong();

  private CommitProbe(String bootstrap, List<String> topics, String leaverWorker) {
    this.leaverWorker = leaverWorker;
    this.bootstrap = bootstrap;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-probe-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Answer as soon as anything is committed: the probe's own wait must not count as latency.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (String topic : topics) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::loop, "bench-commit-probe");
    thread.setDaemon(true);
  }

  /** Starts reading from the current end of the given topics. */
  public static CommitProbe start(String bootstrap, List<String> topics, String leaverWorker) {
    CommitProbe probe = new CommitProbe(bootstrap, topics, leaverWorker);
    probe.thread.start();
    return probe;
  }

  /** The measured window, in scheduled (event) time. */
  public void window(long start, long end) {
    windowStart = start;
    windowEnd = end;
  }

  /** An input of the window that is not factor use, so audit records can be traced back to it. */
  public void cause(String eventId, long scheduledMillis) {
    causes.put(eventId, scheduledMillis);
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          long seen = System.currentTimeMillis();
          records.incrementAndGet();
          if (COMMAND_TOPICS.contains(r.topic())) {
            onCommand(Topics.COMMANDS_LEAVER.valueSerde().deserializer().deserialize(r.topic(), r.value()), seen);
          } else if (r.topic().equals(Topics.AUDIT.name())) {
            onAudit(Topics.AUDIT.valueSerde().deserializer().deserialize(r.topic(), r.value()), seen);
          } else if (inWindow(r.timestamp())) {
            baseline.record(seen - r.timestamp());
          }
        }
        partitions.forEach(tp -> positions.put(tp, consumer.position(tp)));
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /**
   * Waits until the probe has read everything committed on its topics at the time of the call
   * (their read-committed end offsets); false if that takes longer than {@code timeout}.
   */
  public boolean awaitReadToEnd(Duration timeout) throws InterruptedException {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<TopicPartition, Long> ends;
    try (KafkaConsumer<byte[], byte[]> endReader =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      ends = endReader.endOffsets(partitions);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private void onCommand(AuthenticatorCommand command, long seen) {
    long caused = command.getCausationTime().toEpochMilli();
    if (!inWindow(caused)) {
      return;
    }
    commands.record(seen - caused);
    commandsByAction.computeIfAbsent(command.getAction().name(), a -> new AtomicLong()).incrementAndGet();
    if (command.getAction() == CommandAction.REVOKE_ALL && leaverWorker.equals(command.getIssuedBy())) {
      leaverRevokeAll.record(seen - caused);
    }
    if (!commandIds.add(command.getCommandId())) {
      duplicateCommands.incrementAndGet();
    }
  }

  private void onAudit(AuditEvent event, long seen) {
    Long caused = event.getCausationId() == null ? null : causes.get(event.getCausationId());
    if (caused != null && inWindow(caused)) {
      audit.record(seen - caused);
    }
  }

  private boolean inWindow(long t) {
    return t >= windowStart && t < windowEnd;
  }

  public Latencies leaverRevokeAll() {
    return leaverRevokeAll;
  }

  public Latencies commands() {
    return commands;
  }

  public Latencies audit() {
    return audit;
  }

  public Latencies baseline() {
    return baseline;
  }

  public long duplicateCommands() {
    return duplicateCommands.get();
  }

  public Map<String, Long> commandsByAction() {
    Map<String, Long> out = new TreeMap<>();
    commandsByAction.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
