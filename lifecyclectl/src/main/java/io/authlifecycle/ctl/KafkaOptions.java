package io.authlifecycle.ctl;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * How a subcommand reaches Kafka: the settings every worker reads (bootstrap servers, the wire
 * format and {@code kafka.*} client properties from {@code LIFECYCLE_CONFIG_FILE} and {@code LIFECYCLE_*}
 * variables), then {@code --client-config}, {@code -X}, {@code --bootstrap}, {@code --serde-format} and
 * {@code --registry-url}, later ones winning.
 */
public final class KafkaOptions {

  /** The local stack's broker. */
  public static final String LOCAL_BOOTSTRAP = "localhost:9092";

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: bootstrap.servers as the workers read it: "
          + "$LIFECYCLE_BOOTSTRAP_SERVERS, else the file $LIFECYCLE_CONFIG_FILE names, else the local stack's "
          + LOCAL_BOOTSTRAP + ").")
  String bootstrap;

  /** The environment the workers' settings are read from; tests give their own. */
  Map<String, String> environment = System.getenv();
  private Settings settings;

  @Option(names = "--client-config", paramLabel = "FILE",
      description = "Kafka client properties file (security settings for a real cluster).")
  Path clientConfig;

  @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
      description = "One Kafka client property; wins over --client-config.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(names = "--serde-format", paramLabel = "single-object|registry",
      description = "How records this command writes are framed (default: serde.format as the workers read it, "
          + "else single-object). Records are read in either framing.")
  String serdeFormat;

  @Option(names = "--registry-url", paramLabel = "URL",
      description = "The schema registry's API URL, for registry framing (default: serde.registry.url as the workers "
          + "read it); credentials come from the serde.registry.* settings.")
  String registryUrl;

  public String bootstrap() {
    return bootstrap != null ? bootstrap : settings().get(CoreSettings.BOOTSTRAP_SERVERS);
  }

  /**
   * Client properties: the workers' {@code kafka.*} settings ({@code LIFECYCLE_KAFKA_SECURITY_PROTOCOL}
   * and the like), then the {@code --client-config} file, then {@code -X} pairs, then the bootstrap servers.
   */
  public Properties clientProperties() {
    SerdeSettings.apply(settings());
    Properties props = new Properties();
    props.putAll(settings().kafkaOverrides());
    if (clientConfig != null) {
      try (Reader reader = Files.newBufferedReader(clientConfig, StandardCharsets.UTF_8)) {
        props.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --client-config " + clientConfig + ": " + e.getMessage(), e);
      }
    }
    props.putAll(properties);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    return props;
  }

  private Settings settings() {
    if (settings == null) {
      Optional<Path> file = Optional.ofNullable(environment.get(Settings.CONFIG_FILE_ENV))
          .filter(s -> !s.isBlank()).map(Path::of);
      List<Setting<?>> declared = new ArrayList<>(List.of(CoreSettings.BOOTSTRAP_SERVERS));
      declared.addAll(SerdeSettings.ALL);
      Map<String, String> overrides = new LinkedHashMap<>();
      if (serdeFormat != null) {
        overrides.put(SerdeSettings.FORMAT.key(), serdeFormat);
      }
      if (registryUrl != null) {
        overrides.put(SerdeSettings.REGISTRY_URL.key(), registryUrl);
      }
      settings = Settings.load(declared, file, environment, overrides);
    }
    return settings;
  }

  /** Options for code that is not driven by picocli (the local stack's demo feed, tests). */
  public static KafkaOptions of(String bootstrap) {
    KafkaOptions options = new KafkaOptions();
    options.bootstrap = bootstrap;
    return options;
  }
}
