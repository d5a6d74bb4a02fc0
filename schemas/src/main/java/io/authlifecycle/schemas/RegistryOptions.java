package io.authlifecycle.schemas;

import io.apicurio.registry.resolver.SchemaResolverConfig;
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
    Duration cacheCheckPeriod,
    IdKind idKind) {

  /**
   * Which of the registry's ids goes into a record: the content id (what Apicurio's Confluent-compatible
   * API calls a schema id by default) or the global id (a registry in legacy id mode, or one whose
   * content-id lookup lacks the references endpoint the serde calls, such as Apicurio 2.0).
   */
  public enum IdKind {
    CONTENT_ID("contentId"), GLOBAL_ID("globalId");

    private final String apicurioName;

    IdKind(String apicurioName) {
      this.apicurioName = apicurioName;
    }

    /** The setting value: {@code content-id} or {@code global-id}. */
    public String settingValue() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  public RegistryOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(idKind, "idKind");
  }

  /** An unauthenticated registry that writers may register schemas in: for tests and the local stack. */
  public static RegistryOptions open(String url) {
    return new RegistryOptions(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), true, Duration.ofMinutes(5), IdKind.CONTENT_ID);
  }

  /** The same options with another kind of id in the records. */
  public RegistryOptions withIdKind(IdKind kind) {
    return new RegistryOptions(url, username, password, tokenEndpoint, clientId, clientSecret, truststore,
        truststorePassword, autoRegister, cacheCheckPeriod, kind);
  }

  /**
   * The Apicurio serde configuration: Confluent-compatible framing (magic byte, 4-byte content id,
   * no Kafka headers), one artifact per record name, and the generated classes as readers.
   */
  Map<String, Object> apicurioConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(SerdeConfig.REGISTRY_URL, url);
    config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    config.put(SerdeConfig.USE_ID, idKind.apicurioName);
    config.put(SerdeConfig.ENABLE_HEADERS, false);
    config.put(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, RecordIdStrategy.class.getName());
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, autoRegister);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "RETURN_OR_UPDATE");
    config.put(SerdeConfig.CHECK_PERIOD_MS, cacheCheckPeriod.toMillis());
    // Writers register whole schemas (nested records inlined), never split into references.
    config.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
    // Readers fetch a schema by global id in one call (?dereference=true), not content and then
    // .../references, an endpoint registries without artifact references (Apicurio 2.0) lack. The
    // serde has no such option for content ids: it always asks /ids/contentIds/N/references.
    config.put(SchemaResolverConfig.DESERIALIZER_DEREFERENCE_SCHEMA, true);
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
    return url + " (auth: " + auth + ", auto-register: " + autoRegister + ", ids: " + idKind.settingValue() + ")";
  }
}
