package io.authlifecycle.console;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest {@code ApprovalRequested} of every case, read from {@code recovery.approval-requests.v1}
 * from its beginning (no consumer group: every console instance reads all of it). A record that
 * does not decode is skipped and logged: the console shows what the recovery worker published.
 */
final class RequestBoard implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(RequestBoard.class);

  private final Consumer<String, byte[]> consumer;
  private final Map<String, ApprovalRequested> cases = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile boolean reading;

  RequestBoard(Consumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  static String key(String subjectId, String requestId) {
    return subjectId + "/" + requestId;
  }

  /** Cases still waiting for decisions, the soonest deadline first. */
  List<ApprovalRequested> waiting() {
    return cases.values().stream().filter(r -> r.getStatus() == ApprovalStatus.OPEN)
        .sorted(Comparator.comparing(ApprovalRequested::getDeadline)).toList();
  }

  /** Every case of the subject, the latest first (the recent recovery history). */
  List<ApprovalRequested> history(String subjectId) {
    return cases.values().stream().filter(r -> r.getSubjectId().equals(subjectId))
        .sorted(Comparator.comparing(ApprovalRequested::getEventTime).reversed()).toList();
  }

  Optional<ApprovalRequested> find(String subjectId, String requestId) {
    return Optional.ofNullable(cases.get(key(subjectId, requestId)));
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.APPROVAL_REQUESTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      reading = true;
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            ApprovalRequested r = Topics.APPROVAL_REQUESTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            cases.merge(key(r.getSubjectId(), r.getRequestId()), r,
                (old, now) -> now.getEventTime().isBefore(old.getEventTime()) ? old : now);
          } catch (RuntimeException e) {
            LOG.warn("skipped an approval request at {}-{}@{} that does not decode: {}", record.topic(), record.partition(),
                record.offset(), e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** Whether it reads the topic (its partitions found and assigned). */
  boolean ready() {
    return reading && running;
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }
}
