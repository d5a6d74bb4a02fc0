package io.authlifecycle.e2e.faults;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Three KRaft brokers and a controller of their own in this JVM (Kafka's test kit), with every
 * registry topic at replication factor 3 and {@code min.insync.replicas=2}, internal topics too, as
 * a production cluster runs them. Brokers can be shut down and started again one at a time.
 */
final class ThreeBrokers implements AutoCloseable {

  static final int PARTITIONS = Topics.DEFAULT_PARTITIONS;

  private final KafkaClusterTestKit kit;
  private final Admin admin;

  private ThreeBrokers(KafkaClusterTestKit kit) {
    this.kit = kit;
    this.admin = Admin.create(Map.of("bootstrap.servers", kit.bootstrapServers()));
  }

  static ThreeBrokers start() throws Exception {
    KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(false).setNumBrokerNodes(3).setNumControllerNodes(1).build())
        .setConfigProp("default.replication.factor", "3")
        .setConfigProp("min.insync.replicas", "2")
        .setConfigProp("offsets.topic.replication.factor", "3")
        .setConfigProp("offsets.topic.num.partitions", "6")
        .setConfigProp("transaction.state.log.replication.factor", "3")
        .setConfigProp("transaction.state.log.min.isr", "2")
        .setConfigProp("transaction.state.log.num.partitions", "6")
        .setConfigProp("unclean.leader.election.enable", "false")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    ThreeBrokers cluster = new ThreeBrokers(kit);
    cluster.admin.createTopics(Topics.allWithDeadLetters().stream().map(t -> {
      Map<String, String> configs = new java.util.HashMap<>(t.configs());
      configs.put("min.insync.replicas", "2");
      return new NewTopic(t.name(), PARTITIONS, (short) 3).configs(configs);
    }).toList()).all().get();
    cluster.awaitFullyReplicated(Duration.ofMinutes(1));
    return cluster;
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  Set<Integer> brokerIds() {
    return new TreeSet<>(kit.brokers().keySet());
  }

  /** A controlled shutdown, as a broker pod gets on SIGTERM: its leaderships move to the in-sync followers. */
  void shutdown(int broker) {
    kit.brokers().get(broker).shutdown();
  }

  void startup(int broker) {
    kit.brokers().get(broker).startup();
  }

  /**
   * The broker leading the registry partitions that hold the most records, by the sum of their end
   * offsets; a map of each partition it leads to that offset, the busiest first, comes with it.
   */
  Map.Entry<Integer, Map<TopicPartition, Long>> busiestLeader() throws Exception {
    List<String> names = Topics.ALL.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
    Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    topics.values().forEach(t -> t.partitions().forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    Map<Integer, Long> load = new TreeMap<>();
    Map<Integer, Map<TopicPartition, Long>> led = new TreeMap<>();
    topics.values().forEach(t -> t.partitions().forEach(p -> {
      TopicPartition tp = new TopicPartition(t.name(), p.partition());
      load.merge(p.leader().id(), ends.get(tp), Long::sum);
      led.computeIfAbsent(p.leader().id(), id -> new java.util.LinkedHashMap<>()).put(tp, ends.get(tp));
    }));
    int busiest = load.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    Map<TopicPartition, Long> sorted = new java.util.LinkedHashMap<>();
    led.get(busiest).entrySet().stream().sorted(Map.Entry.<TopicPartition, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return Map.entry(busiest, sorted);
  }

  /** Waits until every partition, internal ones included, has a leader and all three replicas in sync. */
  void awaitFullyReplicated(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lagging = "";
    while (System.nanoTime() < deadline) {
      Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
      lagging = "";
      for (TopicDescription t : admin.describeTopics(names).allTopicNames().get().values()) {
        for (TopicPartitionInfo p : t.partitions()) {
          if (p.leader() == null || p.isr().size() < p.replicas().size()) {
            lagging = t.name() + "-" + p.partition() + " isr " + p.isr().size() + "/" + p.replicas().size();
          }
        }
      }
      if (lagging.isEmpty()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not fully replicated within " + timeout + ": " + lagging);
  }

  @Override
  public void close() throws Exception {
    admin.close();
    kit.close();
  }
}
