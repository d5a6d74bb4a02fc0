package io.authlifecycle.runtime;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before a component starts: every topic it needs exists and its principal may do there what it
 * must (describe, read its inputs, write its outputs), asked of the cluster with the Admin client.
 * The runtime never creates a topic; a gap is reported by name so the operator can fix it.
 */
final class TopicCheck {

  /** What was found: topics missing, topics whose operations are not granted, and a failure to ask at all. */
  record Outcome(Set<String> missing, Map<String, Set<AclOperation>> notAuthorized, String unreachable) {

    boolean passed() {
      return missing.isEmpty() && notAuthorized.isEmpty() && unreachable == null;
    }

    /** One paragraph an operator can act on. */
    String describe(String component, String bootstrap) {
      StringBuilder s = new StringBuilder(component).append(" cannot start against ").append(bootstrap).append(':');
      if (unreachable != null) {
        s.append("\n  the cluster could not be asked: ").append(unreachable);
      }
      if (!missing.isEmpty()) {
        s.append("\n  missing topics (the runtime creates none; in Kubernetes they are the KafkaTopic resources): ")
            .append(String.join(", ", missing));
      }
      if (!notAuthorized.isEmpty()) {
        List<String> gaps = notAuthorized.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        s.append("\n  not authorized for this component's principal (grant what AccessPlan lists; in Kubernetes its KafkaUser): ")
            .append(String.join(", ", gaps));
      }
      return s.toString();
    }
  }

  private TopicCheck() {}

  /** Describes {@code needed} with the given client settings and compares the authorized operations. */
  static Outcome run(Map<String, Object> adminConfig, Map<String, Set<AclOperation>> needed, Duration timeout)
      throws InterruptedException {
    Set<String> missing = new TreeSet<>();
    Map<String, Set<AclOperation>> notAuthorized = new TreeMap<>();
    Map<String, Object> config = new LinkedHashMap<>(adminConfig);
    config.putIfAbsent("default.api.timeout.ms", (int) timeout.toMillis());
    config.putIfAbsent("request.timeout.ms", (int) Math.min(timeout.toMillis(), 30_000));
    try (Admin admin = Admin.create(config)) {
      DescribeTopicsResult result = admin.describeTopics(needed.keySet(),
          new DescribeTopicsOptions().includeAuthorizedOperations(true).timeoutMs((int) timeout.toMillis()));
      for (Map.Entry<String, Set<AclOperation>> topic : needed.entrySet()) {
        try {
          TopicDescription d = result.topicNameValues().get(topic.getKey()).get();
          Set<AclOperation> lacking = lacking(topic.getValue(), d.authorizedOperations());
          if (!lacking.isEmpty()) {
            notAuthorized.put(topic.getKey(), lacking);
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof UnknownTopicOrPartitionException) {
            missing.add(topic.getKey());
          } else if (cause instanceof TopicAuthorizationException) {
            Set<AclOperation> all = EnumSet.of(AclOperation.DESCRIBE);
            all.addAll(topic.getValue());
            notAuthorized.put(topic.getKey(), all);
          } else if (cause instanceof AuthenticationException) {
            return new Outcome(missing, notAuthorized, "authentication failed: " + cause.getMessage());
          } else {
            return new Outcome(missing, notAuthorized, cause.getClass().getSimpleName() + ": " + cause.getMessage());
          }
        }
      }
    }
    return new Outcome(missing, notAuthorized, null);
  }

  /** The operations needed and not granted; null means the broker did not say (then nothing is assumed lacking). */
  static Set<AclOperation> lacking(Set<AclOperation> needed, Set<AclOperation> granted) {
    Set<AclOperation> lacking = EnumSet.noneOf(AclOperation.class);
    if (granted == null || granted.contains(AclOperation.ALL)) {
      return lacking;
    }
    for (AclOperation op : needed) {
      if (!granted.contains(op)) {
        lacking.add(op);
      }
    }
    return lacking;
  }
}
