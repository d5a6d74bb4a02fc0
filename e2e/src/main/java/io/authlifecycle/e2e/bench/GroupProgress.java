package io.authlifecycle.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each consumer group (a worker's application id, or the baseline pipe) has committed on
 * its input topics, against the topics' end offsets: the lag, and whether a group has caught up
 * with a given set of offsets.
 */
public final class GroupProgress implements AutoCloseable {

  private final Admin admin;
  /** group → the input partitions it reads. */
  private final Map<String, List<TopicPartition>> inputs = new LinkedHashMap<>();

  public GroupProgress(String bootstrap, Map<String, Set<String>> topicsByGroup) throws ExecutionException, InterruptedException {
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    for (Map.Entry<String, Set<String>> e : topicsByGroup.entrySet()) {
      List<TopicPartition> partitions = new ArrayList<>();
      if (!e.getValue().isEmpty()) {
        Map<String, TopicDescription> described = admin.describeTopics(e.getValue()).allTopicNames().get();
        described.forEach((topic, d) -> d.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
      }
      inputs.put(e.getKey(), partitions);
    }
  }

  public Set<String> groups() {
    return inputs.keySet();
  }

  /**
   * The current end offset of every input partition of every group. A group's repartition topics
   * (named after its application id, so after the group) count as its inputs too: a record that
   * waits in one has not been decided yet.
   */
  public Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
    addRepartitionTopics();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    inputs.values().forEach(ps -> ps.forEach(p -> latest.put(p, OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(latest).all().get().entrySet()) {
      ends.put(e.getKey(), e.getValue().offset());
    }
    return ends;
  }

  private void addRepartitionTopics() throws ExecutionException, InterruptedException {
    Set<String> names = admin.listTopics().names().get();
    for (Map.Entry<String, List<TopicPartition>> e : inputs.entrySet()) {
      Set<String> known = new java.util.HashSet<>();
      e.getValue().forEach(p -> known.add(p.topic()));
      List<String> internal = names.stream()
          .filter(n -> n.startsWith(e.getKey() + "-") && n.endsWith("-repartition") && !known.contains(n)).toList();
      if (!internal.isEmpty()) {
        admin.describeTopics(internal).allTopicNames().get().forEach((topic, d) ->
            d.partitions().forEach(p -> e.getValue().add(new TopicPartition(topic, p.partition()))));
      }
    }
  }

  /** The committed offset of every input partition of one group (0 where it has committed none). */
  public Map<TopicPartition, Long> committed(String group) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> raw = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition p : inputs.get(group)) {
      OffsetAndMetadata c = raw.get(p);
      out.put(p, c == null ? 0L : c.offset());
    }
    return out;
  }

  /** Records each group still has to process to reach {@code targets}. */
  public Map<String, Long> behind(Map<TopicPartition, Long> targets) throws ExecutionException, InterruptedException {
    Map<String, Long> behind = new LinkedHashMap<>();
    for (Map.Entry<String, List<TopicPartition>> e : inputs.entrySet()) {
      Map<TopicPartition, Long> committed = committed(e.getKey());
      long lag = 0;
      for (TopicPartition p : e.getValue()) {
        lag += Math.max(0, targets.getOrDefault(p, 0L) - committed.get(p));
      }
      behind.put(e.getKey(), lag);
    }
    return behind;
  }

  /** Sum of committed offsets of a group over its inputs: a counter of records it has processed. */
  public long committedTotal(String group) throws ExecutionException, InterruptedException {
    return committed(group).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Polls until every group has committed at least {@code targets} on its inputs; returns the
   * wall-clock millis when that was first seen, or -1 on timeout.
   */
  public long awaitCaughtUp(Map<TopicPartition, Long> targets, Duration timeout, Duration poll, String label)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Map<String, Long> behind = behind(targets);
      if (behind.values().stream().allMatch(b -> b == 0)) {
        return System.currentTimeMillis();
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(20).toNanos()) {
        System.out.printf("  ... %s: still to process %s%n", label, behind);
        lastReport = System.nanoTime();
      }
      Thread.sleep(poll.toMillis());
    }
    return -1;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }
}
