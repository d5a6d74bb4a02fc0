package io.authlifecycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the runtime ships (its runtime class path, as the build writes it): the product, never the broker. */
class RuntimeClasspathTest {

  /** The broker and its modules, and Scala: the local stack and the tests use them, the product never. */
  static final Pattern BROKER_OR_SCALA = Pattern.compile("^(kafka_2\\.1[0-9]|kafka-server|kafka-server-common|kafka-metadata"
      + "|kafka-raft|kafka-storage|kafka-storage-api|kafka-group-coordinator|kafka-group-coordinator-api"
      + "|kafka-transaction-coordinator|kafka-share-coordinator|kafka-coordinator-common|kafka-tools|kafka-tools-api"
      + "|kafka-test-common-.*|scala-.*|scala3-.*)-[0-9].*\\.jar$");

  static List<String> runtimeClasspath() throws Exception {
    String cp = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
    return Arrays.stream(cp.split(File.pathSeparator)).map(p -> Path.of(p).getFileName().toString()).toList();
  }

  @Test
  void shipsNoBrokerAndNoScalaJar() throws Exception {
    assertThat(runtimeClasspath()).noneMatch(jar -> BROKER_OR_SCALA.matcher(jar).matches());
  }

  @Test
  void theRuleRecognisesTheBrokerAndScalaJars() {
    assertThat(List.of("kafka_2.13-4.3.1.jar", "kafka-server-4.3.1.jar", "kafka-metadata-4.3.1.jar",
        "scala-library-2.13.16.jar", "scala-reflect-2.13.16.jar"))
        .allMatch(jar -> BROKER_OR_SCALA.matcher(jar).matches());
    assertThat(List.of("kafka-clients-4.3.1.jar", "kafka-streams-4.3.1.jar"))
        .noneMatch(jar -> BROKER_OR_SCALA.matcher(jar).matches());
  }

  @Test
  void shipsEveryComponentTheClientsAndTheJsonLogEncoder() throws Exception {
    assertThat(runtimeClasspath()).anyMatch(p -> p.startsWith("kafka-streams-"))
        .anyMatch(p -> p.startsWith("kafka-clients-"))
        .anyMatch(p -> p.startsWith("logstash-logback-encoder-"))
        .anyMatch(p -> p.startsWith("jackson-databind-"));
    assertThat(Component.discover()).containsKeys("joiner-worker", "mover-worker", "leaver-worker", "recovery-worker",
        "ocsf-feed", "idp-gateway", "lifecycle-ingest", "approver-console");
  }
}
