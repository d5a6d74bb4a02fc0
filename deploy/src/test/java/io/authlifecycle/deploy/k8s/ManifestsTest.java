package io.authlifecycle.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {

  private static final Path K8S = Path.of("k8s");

  @Test
  void checkedInManifestsAreWhatTheRegistryAndAccessPlanGenerate() throws Exception {
    for (Map.Entry<String, String> file : Manifests.all().entrySet()) {
      assertThat(Files.readString(K8S.resolve(file.getKey()), StandardCharsets.UTF_8))
          .as("deploy/k8s/%s is stale: regenerate with io.authlifecycle.deploy.k8s.Manifests", file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void everyRegistryTopicHasAKafkaTopic() throws Exception {
    String topics = Files.readString(K8S.resolve("topics.yaml"));
    for (TopicSpec<?> topic : Topics.allWithDeadLetters()) {
      assertThat(topics).as(topic.name()).contains("  topicName: " + topic.name() + "\n");
    }
  }

  @Test
  void everyGrantOfTheAccessPlanIsInTheKafkaUsers() throws Exception {
    String users = Files.readString(K8S.resolve("users.yaml"));
    AccessPlan plan = AccessPlan.standard("authn-lifecycle");
    for (String principal : plan.grants().keySet()) {
      String section = users.substring(users.indexOf("  name: " + principal + "\n"));
      int next = section.indexOf("kind: KafkaUser", 1);
      String own = next < 0 ? section : section.substring(0, next);
      for (AccessPlan.Grant grant : plan.grantsOf(principal)) {
        if (!grant.resource().name().equals("CLUSTER")) {
          assertThat(own).as(principal + " → " + grant).contains("          name: " + grant.name() + "\n");
        }
      }
      assertThat(own.split("- resource:").length - 1).as(principal).isEqualTo(plan.grantsOf(principal).size());
    }
  }

  @Test
  void theComposeTrialRunsEveryComponentBesideAnApacheKafkaBrokerOfThePinnedVersion() throws Exception {
    String compose = Files.readString(Path.of("compose/compose.yaml"));
    for (String component : Manifests.COMPONENTS) {
      assertThat(compose).contains("command: [\"" + component + "\"]");
    }
    assertThat(compose).contains("image: apache/kafka:" + org.apache.kafka.common.utils.AppInfoParser.getVersion());
  }

  @Test
  void everyComponentHasProbesConfigAndADisruptionBudget() throws Exception {
    String workers = Files.readString(K8S.resolve("workers.yaml"));
    for (String component : Manifests.COMPONENTS) {
      assertThat(workers).contains("kind: Deployment\nmetadata:\n  name: " + component + "\n");
      assertThat(workers).contains("kind: PodDisruptionBudget\nmetadata:\n  name: " + component + "\n");
    }
    assertThat(workers.split("path: /health").length - 1).isEqualTo(Manifests.COMPONENTS.size());
    assertThat(workers.split("path: /ready").length - 1).isEqualTo(Manifests.COMPONENTS.size());
    assertThat(workers).contains("configMapRef:").contains("secretKeyRef:");
  }
}
