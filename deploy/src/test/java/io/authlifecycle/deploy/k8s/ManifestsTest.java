package io.authlifecycle.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManifestsTest {

  private static final Path BASE = Path.of("k8s", "base");

  @Test
  void checkedInBaseIsWhatTheRegistryAndAccessPlanGenerate() throws Exception {
    if (Boolean.getBoolean("k8s.regenerate")) {
      Manifests.main(new String[] {BASE.toString()});
    }
    for (Map.Entry<String, String> file : Manifests.all().entrySet()) {
      assertThat(Files.readString(BASE.resolve(file.getKey()), StandardCharsets.UTF_8))
          .as("deploy/k8s/base/%s is stale: regenerate with io.authlifecycle.deploy.k8s.Manifests", file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void theComposeTrialCreatesEveryRegistryTopicAndRunsEveryComponentOnTheRuntimeImage() throws Exception {
    String compose = Files.readString(Path.of("compose/compose.yaml"));
    for (String component : Manifests.COMPONENTS) {
      assertThat(compose).contains("command: [\"" + component + "\"]");
    }
    assertThat(compose).contains("image: " + Manifests.IMAGE);
    assertThat(compose).contains("image: apache/kafka:" + org.apache.kafka.common.utils.AppInfoParser.getVersion());
    Matcher topics = Pattern.compile("(?m)^\\s+([a-z.-]+\\.v1)\\s*\\\\?$|--topic ([a-z.-]+\\.v1)").matcher(compose);
    java.util.Set<String> created = new java.util.TreeSet<>();
    while (topics.find()) {
      created.add(topics.group(1) != null ? topics.group(1) : topics.group(2));
    }
    for (TopicSpec<?> topic : Topics.allWithDeadLetters()) {
      topic.configs().forEach((k, v) -> assertThat(compose).as(topic.name())
          .containsPattern("--topic " + Pattern.quote(topic.name()) + "[^\\n]*\\\\?\\s*[^\\n]*--config " + Pattern.quote(k + "=" + v)));
    }
    assertThat(created).isEqualTo(Topics.allWithDeadLetters().stream().map(TopicSpec::name)
        .collect(Collectors.toCollection(java.util.TreeSet::new)));
  }
}
