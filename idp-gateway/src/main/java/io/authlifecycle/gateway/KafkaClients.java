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
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The gateway's Kafka client settings and the topic check it makes before it starts. */
final class KafkaClients {

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
   * Everything the gateway writes about command partition p goes to partition p of its output
   * topics (that is how its state is rebuilt), so their partition counts must match.
   */
  static void checkPartitions(Settings settings) {
    Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
    String bootstrap = settings.get(CoreSettings.BOOTSTRAP_SERVERS);
    config.put("bootstrap.servers", bootstrap);
    List<String> topics = List.of(Topics.COMMANDS.name(), Topics.AUTHENTICATOR_EVENTS.name(), Topics.AUDIT.name(),
        Topics.COMMANDS.deadLetterTopic().name());
    Map<String, Integer> counts;
    try (Admin admin = Admin.create(config)) {
      counts = admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
          .collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    } catch (Exception e) {
      throw new IllegalStateException(IdpGateway.NAME + " cannot describe its topics " + topics + " at " + bootstrap + ": " + e, e);
    }
    if (counts.values().stream().distinct().count() > 1) {
      throw new IllegalStateException(IdpGateway.NAME + " needs the same partition count on " + topics + "; found " + counts);
    }
  }
}
