package io.authlifecycle.schemas;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.strategy.RecordIdStrategy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the schema registry is and how to authenticate to it: HTTP basic (username and password)
 * or OAuth2 client credentials (token endpoint, client id and secret), optionally over TLS with
 * a trust store. {@code autoRegister} lets writers register a schema the registry does not hold;
 * without it they only look up the id of a schema registered beforehand.
 */
public record RegistryOptions(
    String url,
    Optional<String> username,
    Optional<String> password,
    Optional<String> tokenEndpoint,
    Optional<String> clientId,
    Optional<String> clientSecret,
    Optional<String> truststore,
    Optional<String> truststorePassword,
    boolean autoRegister,
    Duration cacheCheckPeriod) {

  public RegistryOptions {
    Objects.requireNonNull(url, "url");
  }

  /** An unauthenticated registry that writers may register schemas in: for tests and the local stack. */
  public static RegistryOptions open(String url) {
    return new RegistryOptions(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), true, Duration.ofMinutes(5));
  }

  /**
   * The Apicurio serde configuration: Confluent-compatible framing (magic byte, 4-byte content id,
   * no Kafka headers), one artifact per record name, and the generated classes as readers.
   */
  Map<String, Object> apicurioConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(SerdeConfig.REGISTRY_URL, url);
    config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    config.put(SerdeConfig.USE_ID, "contentId");
    config.put(SerdeConfig.ENABLE_HEADERS, false);
    config.put(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, RecordIdStrategy.class.getName());
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, autoRegister);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "RETURN_OR_UPDATE");
    config.put(SerdeConfig.CHECK_PERIOD_MS, cacheCheckPeriod.toMillis());
    config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
    username.ifPresent(u -> config.put(SerdeConfig.AUTH_USERNAME, u));
    password.ifPresent(p -> config.put(SerdeConfig.AUTH_PASSWORD, p));
    tokenEndpoint.ifPresent(t -> config.put(SerdeConfig.AUTH_TOKEN_ENDPOINT, t));
    clientId.ifPresent(c -> config.put(SerdeConfig.AUTH_CLIENT_ID, c));
    clientSecret.ifPresent(s -> config.put(SerdeConfig.AUTH_CLIENT_SECRET, s));
    truststore.ifPresent(t -> {
      config.put(SerdeConfig.REQUEST_TRUSTSTORE_LOCATION, t);
      config.put(SerdeConfig.REQUEST_TRUSTSTORE_TYPE, t.endsWith(".jks") ? "JKS" : "PKCS12");
    });
    truststorePassword.ifPresent(p -> config.put(SerdeConfig.REQUEST_TRUSTSTORE_PASSWORD, p));
    return config;
  }

  /** The options without secrets, for logs. */
  @Override
  public String toString() {
    String auth = username.isPresent() ? "basic as " + username.get()
        : clientId.isPresent() ? "client credentials as " + clientId.get() : "none";
    return url + " (auth: " + auth + ", auto-register: " + autoRegister + ")";
  }
}
