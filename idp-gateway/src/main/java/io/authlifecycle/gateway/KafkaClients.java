package io.authlifecycle.gateway;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's Kafka client settings and the topic check it makes before it starts. */
final class KafkaClients {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {}

  /** Read-committed, no auto commit (offsets go into each outcome's transaction). */
  static Map<String, Object> consumer(Settings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CoreSettings.BOOTSTRAP_SERVERS));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, GatewaySettings.groupId(settings));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.get(GatewaySettings.MAX_POLL_RECORDS));
    // Partition p of every command topic goes to one instance, the only writer of partition p of the outputs and state.
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    // Retries with backoff can hold one batch for minutes; the group must not evict the gateway meanwhile.
    config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) CommandLoop.POLL_BUDGET.multipliedBy(2).toMillis());
    config.putAll(settings.kafkaOverrides());
    return config;
  }

  /** Transactional (one transactional id per instance; zombies are fenced by the group generation). */
  static Map<String, Object> transactionalProducer(Settings settings) {
    Map<String, Object> config = idempotentProducer(settings);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, GatewaySettings.groupId(settings) + "-" + UUID.randomUUID());
    config.putAll(settings.kafkaOverrides());
    return config;
  }

  /** For the binding reports: idempotent, not transactional (their ids make repeats harmless). */
  static Map<String, Object> idempotentProducer(Settings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CoreSettings.BOOTSTRAP_SERVERS));
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putAll(settings.kafkaOverrides());
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return config;
  }

  /**
   * Everything the gateway writes about command partition p goes to partition p of its output and
   * state topics (the owner of p is their only writer there), so their partition counts must match.
   * The state topic must be compacted; if the deployment created it otherwise, the gateway compacts it.
   */
  static int checkTopics(Settings settings, List<String> commandTopics) {
    Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
    String bootstrap = settings.get(CoreSettings.BOOTSTRAP_SERVERS);
    config.put("bootstrap.servers", bootstrap);
    List<String> topics = new java.util.ArrayList<>(commandTopics);
    topics.addAll(List.of(Topics.AUTHENTICATOR_EVENTS.name(), Topics.AUDIT.name(),
        Topics.COMMANDS.deadLetterTopic().name(), Topics.GATEWAY_STATE.name()));
    Map<String, Integer> counts;
    try (Admin admin = Admin.create(config)) {
      counts = admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
          .collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
      ensureCompacted(admin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    } catch (Exception e) {
      throw new IllegalStateException(IdpGateway.NAME + " cannot describe its topics " + topics + " at " + bootstrap + ": " + e, e);
    }
    if (counts.values().stream().distinct().count() > 1) {
      throw new IllegalStateException(IdpGateway.NAME + " needs the same partition count on " + topics + "; found " + counts);
    }
    return counts.values().iterator().next();
  }

  private static void ensureCompacted(Admin admin) throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.GATEWAY_STATE.name());
    Config current = admin.describeConfigs(List.of(topic)).all().get(60, TimeUnit.SECONDS).get(topic);
    ConfigEntry policy = current.get("cleanup.policy");
    if (policy == null || !policy.value().contains("compact")) {
      LOG.warn("{} was created with cleanup.policy={}; setting compact (the gateway's state must keep the latest record per key)",
          topic.name(), policy == null ? "?" : policy.value());
      admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"),
          AlterConfigOp.OpType.SET)))).all().get(60, TimeUnit.SECONDS);
    }
  }
}
