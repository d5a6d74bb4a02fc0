package io.authlifecycle.ctl;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** How a subcommand reaches Kafka: {@code --bootstrap}, plus client properties for a secured cluster. */
public final class KafkaOptions {

  /** The local stack's broker. */
  public static final String LOCAL_BOOTSTRAP = "localhost:9092";

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      defaultValue = "${env:LIFECYCLE_BOOTSTRAP_SERVERS:-" + LOCAL_BOOTSTRAP + "}",
      description = "Kafka bootstrap servers (default: $LIFECYCLE_BOOTSTRAP_SERVERS if set, else the local stack's "
          + LOCAL_BOOTSTRAP + ").")
  String bootstrap;

  @Option(names = "--client-config", paramLabel = "FILE",
      description = "Kafka client properties file (security settings for a real cluster).")
  Path clientConfig;

  @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
      description = "One Kafka client property; wins over --client-config.")
  Map<String, String> properties = new LinkedHashMap<>();

  public String bootstrap() {
    return bootstrap;
  }

  /** Client properties: the file, then {@code -X} pairs, then the bootstrap servers. */
  public Properties clientProperties() {
    Properties props = new Properties();
    if (clientConfig != null) {
      try (Reader reader = Files.newBufferedReader(clientConfig, StandardCharsets.UTF_8)) {
        props.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --client-config " + clientConfig + ": " + e.getMessage(), e);
      }
    }
    props.putAll(properties);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  /** Options for code that is not driven by picocli (the local stack's demo feed, tests). */
  public static KafkaOptions of(String bootstrap) {
    KafkaOptions options = new KafkaOptions();
    options.bootstrap = bootstrap;
    return options;
  }
}
