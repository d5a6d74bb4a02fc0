package io.authlifecycle.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaOptionsTest {

  @Test
  void readsTheBootstrapServersAndKafkaClientSettingsTheWorkersRead() {
    KafkaOptions options = new KafkaOptions();
    options.environment = Map.of("LIFECYCLE_BOOTSTRAP_SERVERS", "kafka-1.example:9093",
        "LIFECYCLE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "LIFECYCLE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "LIFECYCLE_COMMIT_INTERVAL", "1s");

    Properties props = options.clientProperties();

    assertThat(options.bootstrap()).isEqualTo("kafka-1.example:9093");
    assertThat(props).containsExactlyInAnyOrderEntriesOf(Map.of("bootstrap.servers", "kafka-1.example:9093",
        "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
  }

  @Test
  void readsTheWorkersPropertiesFileAndLetsTheCommandLineWin(@TempDir Path dir) throws Exception {
    Path workers = Files.write(dir.resolve("workers.properties"),
        List.of("bootstrap.servers=from-file:9092", "kafka.security.protocol=SSL", "kafka.client.id=workers"));
    Path client = Files.write(dir.resolve("client.properties"), List.of("client.id=cli"));
    KafkaOptions options = new KafkaOptions();
    options.environment = Map.of("LIFECYCLE_CONFIG_FILE", workers.toString());
    options.clientConfig = client;
    options.properties.put("security.protocol", "SASL_SSL");

    Properties props = options.clientProperties();

    assertThat(props).containsExactlyInAnyOrderEntriesOf(Map.of("bootstrap.servers", "from-file:9092",
        "security.protocol", "SASL_SSL", "client.id", "cli"));
    options.bootstrap = "flag:9092";
    assertThat(options.clientProperties().getProperty("bootstrap.servers")).isEqualTo("flag:9092");
  }

  @Test
  void defaultsToTheLocalStacksBroker() {
    KafkaOptions options = new KafkaOptions();
    options.environment = Map.of();

    assertThat(options.bootstrap()).isEqualTo(KafkaOptions.LOCAL_BOOTSTRAP);
  }
}
