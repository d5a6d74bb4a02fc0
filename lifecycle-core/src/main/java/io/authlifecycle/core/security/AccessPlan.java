package io.authlifecycle.core.security;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Least privilege on Kafka: who may read and write which topic. Each worker, the gateway, the ingest,
 * the HR and MDM feeds, the IdP's usage feed, the help desk, the self-service portal, the approvers,
 * the notifier and the SOC get one principal with only the ACLs their job needs. A recovery request's
 * channel is known from the topic it came on, so each channel's topic has exactly one writer. The
 * local stack, the Kubernetes manifests and the tests use this one plan.
 */
public final class AccessPlan {

  /** One principal's grants, in the form the broker and Strimzi's KafkaUser both take. */
  public record Grant(String principal, ResourceType resource, String name, PatternType pattern, AclOperation operation) {

    public AclBinding binding() {
      return new AclBinding(new ResourcePattern(resource, name, pattern),
          new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }
  }

  private final String applicationIdPrefix;
  private final Map<String, List<Grant>> grants = new LinkedHashMap<>();

  private AccessPlan(String applicationIdPrefix) {
    this.applicationIdPrefix = applicationIdPrefix;
  }

  /** The plan for workers whose application ids start with {@code applicationIdPrefix-}. */
  public static AccessPlan standard(String applicationIdPrefix) {
    AccessPlan plan = new AccessPlan(applicationIdPrefix);
    // Each worker writes exactly what its topology has sinks for (TopologyOutputsTest checks it), and commands
    // only to its own command topic: the gateway takes the issuer from the topic. (The workers' sinks move from
    // the shared authn.commands.v1 to these topics; the gateway reads the shared one only as a migration aid.)
    plan.streamsWorker("leaver-worker", List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS),
        List.of(Topics.COMMANDS_LEAVER, Topics.AUDIT));
    plan.streamsWorker("joiner-worker", List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS),
        List.of(Topics.COMMANDS_JOINER, Topics.AUDIT, Topics.NOTIFICATIONS));
    plan.streamsWorker("mover-worker", List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS,
        Topics.AUTHENTICATOR_USAGE, Topics.MDM_DEVICE_EVENTS),
        List.of(Topics.COMMANDS_MOVER, Topics.AUDIT, Topics.NOTIFICATIONS, Topics.SYSTEM_REQUESTS));
    plan.streamsWorker("recovery-worker", List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS,
        Topics.RECOVERY_REQUESTS, Topics.SELF_SERVICE_REQUESTS, Topics.SYSTEM_REQUESTS, Topics.APPROVAL_DECISIONS),
        List.of(Topics.COMMANDS_RECOVERY, Topics.AUDIT, Topics.NOTIFICATIONS, Topics.APPROVAL_REQUESTS));
    // The feed audits what it dead-letters, like every reader; its records project like any other.
    plan.streamsWorker("ocsf-feed", List.of(Topics.AUDIT), List.of(Topics.AUDIT_OCSF, Topics.AUDIT));
    // The gateway is a transactional consumer/producer, not a Streams app: same shape, its own group.
    // It reads every worker's command topic (and the shared one, if enabled). Its state (applied ids, chain
    // heads, tickets) is its own compacted topic, which only it reads and writes; it never reads the facts
    // or the audit topic. It may compact that topic if the deployment did not.
    plan.streamsWorker("idp-gateway", List.of(Topics.COMMANDS, Topics.COMMANDS_JOINER, Topics.COMMANDS_MOVER,
        Topics.COMMANDS_LEAVER, Topics.COMMANDS_RECOVERY, Topics.GATEWAY_STATE),
        List.of(Topics.AUTHENTICATOR_EVENTS, Topics.AUDIT, Topics.GATEWAY_STATE));
    plan.add("idp-gateway", ResourceType.TOPIC, Topics.GATEWAY_STATE.name(), PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS);
    plan.add("idp-gateway", ResourceType.TOPIC, Topics.GATEWAY_STATE.name(), PatternType.LITERAL, AclOperation.ALTER_CONFIGS);

    plan.ingest("lifecycle-ingest");

    plan.producer("hr-feed", Topics.HR_WORKER_EVENTS);
    plan.producer("mdm-feed", Topics.MDM_DEVICE_EVENTS);
    // The IdP's sign-in stream: factor use, and nothing else.
    plan.producer("idp-usage-feed", Topics.AUTHENTICATOR_USAGE);
    // Each recovery channel has its own writer: the help desk (signed requests), the portal, the mover (system).
    plan.producer("help-desk", Topics.RECOVERY_REQUESTS);
    plan.producer("self-service", Topics.SELF_SERVICE_REQUESTS);
    // Approvers write signed decisions and nothing else; they read the open requests they decide on.
    plan.producer("approvers", Topics.APPROVAL_DECISIONS);
    plan.reader("approvers", "approver-", Topics.APPROVAL_REQUESTS);
    // The approver console reads the approval requests (no group: every instance reads all) and writes only decisions
    // and help-desk requests signed with a passkey, and its own audit.
    plan.producer("approver-console", Topics.APPROVAL_DECISIONS);
    plan.producer("approver-console", Topics.RECOVERY_REQUESTS);
    plan.producer("approver-console", Topics.AUDIT);
    plan.reader("approver-console", "approver-console", Topics.APPROVAL_REQUESTS);
    plan.reader("notifier", "notifier", Topics.NOTIFICATIONS);
    // The SOC reads the audit topics only, checkpoints included, to verify the trail.
    plan.reader("soc", "soc-", Topics.AUDIT, Topics.AUDIT_CHECKPOINTS, Topics.AUDIT_OCSF);
    return plan;
  }

  /**
   * Adds the principal of a co-hosting deployment ({@code CoHostedWorkers}): the topic reads and
   * writes of each hosted worker, and the group, transactional ids and internal topics of the host's
   * own application id. The hosted workers' own principals stay in the plan for separate deployment.
   */
  public AccessPlan withCoHost(String host, List<String> workers) {
    for (String worker : workers) {
      List<Grant> own = grants.get(worker);
      if (own == null) {
        throw new IllegalArgumentException("no worker " + worker + " in the access plan");
      }
      for (Grant g : List.copyOf(own)) {
        boolean registryTopic = g.resource() == ResourceType.TOPIC && g.pattern() == PatternType.LITERAL;
        if (registryTopic || g.resource() == ResourceType.CLUSTER) {
          add(host, g.resource(), g.name(), g.pattern(), g.operation());
        }
      }
    }
    streamsWorker(host, List.of(), List.of());
    return this;
  }

  /** Principal name → its grants. */
  public Map<String, List<Grant>> grants() {
    return grants;
  }

  public List<AclBinding> bindings() {
    return grants.values().stream().flatMap(List::stream).map(Grant::binding).toList();
  }

  public List<Grant> grantsOf(String principal) {
    return grants.getOrDefault(principal, List.of());
  }

  /**
   * A Streams worker: read inputs, write outputs, its inputs' dead letters and (as an audit writer)
   * its checkpoints, own its internal topics, group and transactions.
   */
  private void streamsWorker(String worker, List<TopicSpec<?>> inputs, List<TopicSpec<?>> outputs) {
    String appId = applicationIdPrefix + "-" + worker;
    for (TopicSpec<?> in : inputs) {
      add(worker, ResourceType.TOPIC, in.name(), PatternType.LITERAL, AclOperation.READ);
      in.deadLetters().ifPresent(dlq -> add(worker, ResourceType.TOPIC, dlq.name(), PatternType.LITERAL, AclOperation.WRITE));
    }
    for (TopicSpec<?> out : outputs) {
      add(worker, ResourceType.TOPIC, out.name(), PatternType.LITERAL, AclOperation.WRITE);
    }
    // Every audit writer signs checkpoints of its chains, in the same transactions.
    if (outputs.contains(Topics.AUDIT)) {
      add(worker, ResourceType.TOPIC, Topics.AUDIT_CHECKPOINTS.name(), PatternType.LITERAL, AclOperation.WRITE);
    }
    // Changelog and repartition topics are named after the application id.
    add(worker, ResourceType.TOPIC, appId + "-", PatternType.PREFIXED, AclOperation.ALL);
    add(worker, ResourceType.GROUP, appId, PatternType.PREFIXED, AclOperation.READ);
    add(worker, ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED, AclOperation.WRITE);
    add(worker, ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED, AclOperation.DESCRIBE);
    add(worker, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
  }

  /**
   * The SCIM / webhook ingest: writes HR and MDM events and its audit in transactions, keeps its own
   * compacted state topic (read back on start, its compaction checked), nothing else.
   */
  private void ingest(String principal) {
    producer(principal, Topics.HR_WORKER_EVENTS);
    producer(principal, Topics.MDM_DEVICE_EVENTS);
    producer(principal, Topics.AUDIT);
    // An audit writer: it may sign checkpoints of its chains like every other.
    producer(principal, Topics.AUDIT_CHECKPOINTS);
    producer(principal, Topics.INGEST_STATE);
    add(principal, ResourceType.TOPIC, Topics.INGEST_STATE.name(), PatternType.LITERAL, AclOperation.READ);
    add(principal, ResourceType.TOPIC, Topics.INGEST_STATE.name(), PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS);
    String transactionalId = applicationIdPrefix + "-" + principal;
    add(principal, ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.LITERAL, AclOperation.WRITE);
    add(principal, ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.LITERAL, AclOperation.DESCRIBE);
  }

  private void producer(String principal, TopicSpec<?> topic) {
    add(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.WRITE);
    add(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.DESCRIBE);
    add(principal, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
  }

  private void reader(String principal, String groupPrefix, TopicSpec<?>... topics) {
    for (TopicSpec<?> topic : topics) {
      add(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.READ);
    }
    add(principal, ResourceType.GROUP, groupPrefix, PatternType.PREFIXED, AclOperation.READ);
  }

  private void add(String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
    List<Grant> list = grants.computeIfAbsent(principal, p -> new ArrayList<>());
    Grant grant = new Grant(principal, type, name, pattern, op);
    if (!list.contains(grant)) {
      list.add(grant);
    }
  }
}
