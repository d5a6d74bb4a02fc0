package io.authlifecycle.deploy;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates every registry topic and dead-letter topic; topics that already exist are left as they are. */
public final class StackTopics {

  private StackTopics() {}

  /** What one run did: the topics it created and those it found. */
  public record Outcome(List<String> created, List<String> existing) {}

  /** Creates the missing topics with the registry's partition count and configs and the cluster's default replication. */
  public static Outcome ensure(Map<String, Object> adminConfig) throws InterruptedException {
    List<NewTopic> wanted = new ArrayList<>();
    for (TopicSpec<?> topic : Topics.allWithDeadLetters()) {
      wanted.add(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty()).configs(topic.configs()));
    }
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    try (Admin admin = Admin.create(adminConfig)) {
      CreateTopicsResult result = admin.createTopics(wanted);
      for (NewTopic topic : wanted) {
        try {
          result.values().get(topic.name()).get();
          created.add(topic.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
          }
          existing.add(topic.name());
        }
      }
    }
    return new Outcome(created, existing);
  }
}
