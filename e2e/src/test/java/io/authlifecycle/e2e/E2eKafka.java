package io.authlifecycle.e2e;

import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.deploy.StackTopics;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The broker an end-to-end run uses, chosen by the system property {@code e2e.kafka}:
 * {@code embedded} (default: a real KRaft broker in this JVM) or {@code testcontainers} (Kafka in a
 * container; the run is skipped, with the reason, where Docker is absent). Every registry topic
 * and dead-letter topic exists on either.
 */
public interface E2eKafka extends AutoCloseable {

  String MODE_PROPERTY = "e2e.kafka";
  String IMAGE_PROPERTY = "e2e.kafka.image";
  /** Apache Kafka's image of the version the build pins. */
  String DEFAULT_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

  String bootstrapServers();

  /** What the scenario runs on, for messages. */
  String describe();

  /** Starts the broker of the selected mode; a Testcontainers run without Docker is skipped here. */
  static E2eKafka start() throws Exception {
    String mode = System.getProperty(MODE_PROPERTY, "embedded").strip().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "embedded" -> new Embedded(KafkaTestCluster.start());
      case "testcontainers" -> Container.start(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE));
      default -> throw new IllegalArgumentException("-D" + MODE_PROPERTY + "=" + mode
          + " is not a broker mode; use embedded or testcontainers");
    };
  }

  /** Kafka's own KRaft test kit in this JVM. */
  record Embedded(KafkaTestCluster cluster) implements E2eKafka {
    @Override
    public String bootstrapServers() {
      return cluster.bootstrapServers();
    }

    @Override
    public String describe() {
      return "the in-JVM KRaft broker at " + bootstrapServers();
    }

    @Override
    public void close() throws Exception {
      cluster.close();
    }
  }

  /** Kafka in a container, with the registry's topics created the way the local stack creates them. */
  record Container(KafkaContainer container) implements E2eKafka {

    static Container start(String image) throws InterruptedException {
      boolean docker;
      String why = "";
      try {
        docker = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException e) {
        docker = false;
        why = ": " + e.getMessage();
      }
      Assumptions.assumeTrue(docker, "-D" + MODE_PROPERTY + "=testcontainers asks for Kafka in a container, "
          + "but no Docker engine is reachable here" + why + "; these scenarios run on the in-JVM broker without that property");
      KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(image));
      kafka.start();
      StackTopics.ensure(Map.of("bootstrap.servers", kafka.getBootstrapServers()));
      return new Container(kafka);
    }

    @Override
    public String bootstrapServers() {
      return container.getBootstrapServers();
    }

    @Override
    public String describe() {
      return "Kafka in the container " + container.getDockerImageName() + " at " + bootstrapServers();
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
