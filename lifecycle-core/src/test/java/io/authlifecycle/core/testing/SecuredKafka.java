package io.authlifecycle.core.testing;

import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft broker with SASL/PLAIN and the standard authorizer, every registry topic, and the
 * ACLs of {@link AccessPlan}: each principal's password is its name followed by {@code -secret}.
 */
public final class SecuredKafka implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private SecuredKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Starts the broker with these principals (plus {@code admin}, a super user) and the plan's ACLs. */
  public static SecuredKafka start(List<String> principals) throws Exception {
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required "
        + "username=\"admin\" password=\"admin-secret\"");
    principals.forEach(p -> jaas.append(" user_").append(p).append("=\"").append(p).append("-secret\""));
    jaas.append(" user_admin=\"admin-secret\";");
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("sasl.enabled.mechanisms", "PLAIN")
        .setConfigProp("sasl.mechanism.inter.broker.protocol", "PLAIN")
        .setConfigProp("listener.name.external.plain.sasl.jaas.config", jaas.toString())
        .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .setConfigProp("super.users", "User:admin;User:ANONYMOUS")
        .setConfigProp("allow.everyone.if.no.acl.found", "false")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    SecuredKafka kafka = new SecuredKafka(cluster);
    try (Admin admin = Admin.create(kafka.client("admin"))) {
      admin.createTopics(Topics.allWithDeadLetters().stream()
          .map(t -> new NewTopic(t.name(), 1, (short) 1).configs(t.configs())).toList()).all().get();
      admin.createAcls(AccessPlan.standard("authn-lifecycle").bindings()).all().get();
    }
    kafka.awaitAclsApplied();
    return kafka;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Client properties of one principal. */
  public Map<String, Object> client(String principal) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + principal + "\" password=\"" + principal + "-secret\";");
    return props;
  }

  /** Producer properties of one principal, with short timeouts so a refusal shows in seconds. */
  public Map<String, Object> producer(String principal) {
    Map<String, Object> props = client(principal);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return props;
  }

  /** ACLs reach the broker's authorizer through the metadata log shortly after the controller commits them. */
  private void awaitAclsApplied() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer("hr-feed"), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), "probe", "x")).get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ACLs not applied within 30 s", e);
        }
        Thread.sleep(200);
      }
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
