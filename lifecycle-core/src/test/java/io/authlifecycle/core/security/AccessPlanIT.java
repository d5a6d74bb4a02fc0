package io.authlifecycle.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.core.topics.TopicSpec;
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
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access plan on a real broker with SASL/PLAIN and the standard authorizer. */
class AccessPlanIT {

  private static final List<String> PRINCIPALS = List.of("admin", "approvers", "hr-feed", "soc", "leaver-worker", "intruder",
      "help-desk", "self-service", "mover-worker", "recovery-worker");
  private static KafkaClusterTestKit cluster;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required "
        + "username=\"admin\" password=\"admin-secret\"");
    PRINCIPALS.forEach(p -> jaas.append(" user_").append(p).append("=\"").append(p).append("-secret\""));
    jaas.append(';');
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
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
    try (Admin admin = Admin.create(client("admin"))) {
      admin.createTopics(Topics.allWithDeadLetters().stream().map(t -> new NewTopic(t.name(), 1, (short) 1)).toList()).all().get();
      admin.createAcls(AccessPlan.standard("authn-lifecycle").bindings()).all().get();
    }
    awaitAclsApplied();
  }

  /** ACLs reach the broker's authorizer through the metadata log shortly after the controller commits them. */
  private static void awaitAclsApplied() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps("hr-feed"), new StringSerializer(), new StringSerializer())) {
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

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void approversMayWriteDecisionsButNotCommands() throws Exception {
    send("approvers", Topics.APPROVAL_DECISIONS);
    assertRefused("approvers", Topics.COMMANDS);
    assertRefused("approvers", Topics.HR_WORKER_EVENTS);
  }

  @Test
  void anHrFeedOrAnUnknownPrincipalIsRefusedWritingApprovalsOrCommands() {
    assertRefused("hr-feed", Topics.APPROVAL_DECISIONS);
    assertRefused("hr-feed", Topics.COMMANDS);
    assertRefused("intruder", Topics.APPROVAL_DECISIONS);
    assertRefused("intruder", Topics.COMMANDS);
  }

  @Test
  void theSocMayWriteNothing() {
    assertRefused("soc", Topics.AUDIT);
    assertRefused("soc", Topics.COMMANDS);
  }

  @Test
  void aWorkerWritesCommandsToItsOwnTopicOnlyAndNeverApprovals() throws Exception {
    try (KafkaProducer<String, String> producer = transactional("leaver-worker", "authn-lifecycle-leaver-worker-test")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.COMMANDS_LEAVER.name(), "alice", "x")).get(30, TimeUnit.SECONDS);
      producer.commitTransaction();
    }
    assertRefused("leaver-worker", Topics.APPROVAL_DECISIONS);
    // Only its own command topic: another worker's (where a RECOVERY ticket would be believed) is closed to it.
    assertRefused("leaver-worker", Topics.COMMANDS_RECOVERY);
    assertRefused("leaver-worker", Topics.COMMANDS_JOINER);
    assertRefused("leaver-worker", Topics.COMMANDS_MOVER);
    assertRefused("leaver-worker", Topics.GATEWAY_STATE);
  }

  @Test
  void anAuditWriterMaySignCheckpointsButTheSocAndTheFeedsMayNot() throws Exception {
    try (KafkaProducer<String, String> producer = transactional("leaver-worker", "authn-lifecycle-leaver-worker-checkpoints")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.AUDIT_CHECKPOINTS.name(), "leaver-worker/0_0", "x")).get(30, TimeUnit.SECONDS);
      producer.commitTransaction();
    }
    assertRefused("soc", Topics.AUDIT_CHECKPOINTS);
    assertRefused("hr-feed", Topics.AUDIT_CHECKPOINTS);
    assertRefused("intruder", Topics.AUDIT_CHECKPOINTS);
  }

  @Test
  void theHrFeedMayWriteHrEvents() throws Exception {
    send("hr-feed", Topics.HR_WORKER_EVENTS);
  }

  /** A request's channel is its topic's, so the help desk must not reach the portal's or the mover's topic. */
  @Test
  void theHelpDeskWritesHelpDeskRequestsOnlyNotSelfServiceOrSystemOnes() throws Exception {
    send("help-desk", Topics.RECOVERY_REQUESTS);
    assertRefused("help-desk", Topics.SELF_SERVICE_REQUESTS);
    assertRefused("help-desk", Topics.SYSTEM_REQUESTS);
  }

  @Test
  void theSelfServicePortalWritesSelfServiceRequestsOnly() throws Exception {
    send("self-service", Topics.SELF_SERVICE_REQUESTS);
    assertRefused("self-service", Topics.RECOVERY_REQUESTS);
    assertRefused("self-service", Topics.SYSTEM_REQUESTS);
  }

  /** SYSTEM requests pass the privileged self-reset rule, so only the mover may write their topic. */
  @Test
  void onlyTheMoverWritesSystemRequests() throws Exception {
    try (KafkaProducer<String, String> producer = transactional("mover-worker", "authn-lifecycle-mover-worker-test")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.SYSTEM_REQUESTS.name(), "alice", "x")).get(30, TimeUnit.SECONDS);
      producer.commitTransaction();
    }
    assertRefused("leaver-worker", Topics.SYSTEM_REQUESTS);
    assertRefused("recovery-worker", Topics.SYSTEM_REQUESTS);
    assertRefused("approvers", Topics.SYSTEM_REQUESTS);
    assertRefused("mover-worker", Topics.RECOVERY_REQUESTS);
  }

  private static void send(String principal, TopicSpec<?> topic) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(principal), new StringSerializer(), new StringSerializer())) {
      assertThat(producer.send(new ProducerRecord<>(topic.name(), "alice", "x")).get(30, TimeUnit.SECONDS).offset()).isNotNegative();
    }
  }

  /** A plain (non-idempotent) producer, so the refusal is the topic ACL's and not the cluster's. */
  private static void assertRefused(String principal, TopicSpec<?> topic) {
    Map<String, Object> props = producerProps(principal);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic.name(), "alice", "x")).get(30, TimeUnit.SECONDS))
          .as(principal + " writing " + topic.name())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  private static KafkaProducer<String, String> transactional(String principal, String transactionalId) {
    Map<String, Object> props = producerProps(principal);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static Map<String, Object> producerProps(String principal) {
    Map<String, Object> props = client(principal);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return props;
  }

  private static Map<String, Object> client(String principal) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + principal + "\" password=\"" + principal + "-secret\";");
    return props;
  }
}
