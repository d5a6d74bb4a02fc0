package io.authlifecycle.core.config;

import io.authlifecycle.schemas.RegistryOptions;
import io.authlifecycle.schemas.Wire;
import io.authlifecycle.schemas.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How record values are framed on the topics: Avro single-object encoding (the default) or
 * schema-registry framing through a registry. Every component applies them at start
 * ({@link #apply}); readers take both framings, so a deployment can migrate without a stop.
 */
public final class SerdeSettings {

  private SerdeSettings() {}

  /** The value of an optional text setting that is not set. */
  public static final String NONE = "none";

  public static final Setting<String> FORMAT = Setting.string("serde.format", WireFormat.SINGLE_OBJECT.settingValue(),
      "What writers write: single-object (Avro single-object encoding) or registry (magic byte 0, 4-byte schema id, "
          + "Avro body). Readers take both.")
      .validate(SerdeSettings::isFormat, "must be single-object or registry");
  public static final Setting<String> REGISTRY_URL = Setting.string("serde.registry.url", NONE,
      "Base URL of the schema registry's API (Apicurio: http://host:8080/apis/registry/v2); needed for "
          + "serde.format=registry and by readers of registry-framed records. none: no registry.");
  public static final Setting<Boolean> AUTO_REGISTER = Setting.bool("serde.registry.auto-register", true,
      "Whether writers register a schema the registry lacks; false: they only look up ids of schemas registered beforehand.");
  public static final Setting<String> USERNAME = Setting.string("serde.registry.username", NONE,
      "HTTP basic authentication to the registry: user name (with serde.registry.password).");
  public static final Setting<String> PASSWORD = Setting.string("serde.registry.password", NONE,
      "HTTP basic authentication to the registry: password.");
  public static final Setting<String> TOKEN_ENDPOINT = Setting.string("serde.registry.oauth.token-endpoint", NONE,
      "OAuth2 client-credentials authentication to the registry: the token endpoint URL.");
  public static final Setting<String> CLIENT_ID = Setting.string("serde.registry.oauth.client-id", NONE,
      "OAuth2 client-credentials authentication to the registry: client id.");
  public static final Setting<String> CLIENT_SECRET = Setting.string("serde.registry.oauth.client-secret", NONE,
      "OAuth2 client-credentials authentication to the registry: client secret.");
  public static final Setting<String> TRUSTSTORE = Setting.string("serde.registry.truststore", NONE,
      "Trust store (PKCS12, or JKS by a .jks name) for a registry served over TLS by a private CA.");
  public static final Setting<String> TRUSTSTORE_PASSWORD = Setting.string("serde.registry.truststore-password", NONE,
      "Password of serde.registry.truststore.");
  public static final Setting<Duration> CACHE_CHECK = Setting.duration("serde.registry.cache-check-period", "5m",
      "How long a looked-up schema id is trusted before the registry is asked again.")
      .validate(d -> !d.isNegative() && !d.isZero(), "must be positive");

  public static final Setting<String> ID_KIND = Setting.string("serde.registry.id", "content-id",
      "Which registry id goes into a record: content-id (Apicurio's Confluent-compatible schema id) or global-id "
          + "(a registry in legacy id mode, or Apicurio 2.0).")
      .validate(v -> v.equals("content-id") || v.equals("global-id"), "must be content-id or global-id");

  public static final List<Setting<?>> ALL = List.of(FORMAT, REGISTRY_URL, AUTO_REGISTER, USERNAME, PASSWORD,
      TOKEN_ENDPOINT, CLIENT_ID, CLIENT_SECRET, TRUSTSTORE, TRUSTSTORE_PASSWORD, CACHE_CHECK, ID_KIND);

  /** The wire format the settings ask for. */
  public static WireFormat format(Settings settings) {
    return WireFormat.parse(settings.get(FORMAT));
  }

  /**
   * The registry the settings name, if any. Half-given credentials fail here, naming the key, as
   * does the registry format without a URL.
   */
  public static Optional<RegistryOptions> registry(Settings settings) {
    Optional<String> url = optional(settings, REGISTRY_URL);
    if (url.isEmpty()) {
      if (format(settings) == WireFormat.REGISTRY) {
        throw new ConfigException(REGISTRY_URL.key(), "missing: serde.format=registry needs the schema registry's URL");
      }
      return Optional.empty();
    }
    if (!url.get().startsWith("http://") && !url.get().startsWith("https://")) {
      throw new ConfigException(REGISTRY_URL.key(), "invalid value '" + url.get() + "': must be an http:// or https:// URL");
    }
    requireBoth(settings, USERNAME, PASSWORD);
    requireBoth(settings, CLIENT_ID, CLIENT_SECRET);
    requireBoth(settings, CLIENT_ID, TOKEN_ENDPOINT);
    if (optional(settings, USERNAME).isPresent() && optional(settings, CLIENT_ID).isPresent()) {
      throw new ConfigException(CLIENT_ID.key(), "set either basic credentials or OAuth2 client credentials, not both");
    }
    return Optional.of(new RegistryOptions(url.get(), optional(settings, USERNAME), optional(settings, PASSWORD),
        optional(settings, TOKEN_ENDPOINT), optional(settings, CLIENT_ID), optional(settings, CLIENT_SECRET),
        optional(settings, TRUSTSTORE), optional(settings, TRUSTSTORE_PASSWORD), settings.get(AUTO_REGISTER),
        settings.get(CACHE_CHECK), settings.get(ID_KIND).equals("global-id")
            ? RegistryOptions.IdKind.GLOBAL_ID : RegistryOptions.IdKind.CONTENT_ID));
  }

  /** Sets this process's wire format from the settings; every component calls it once at start. */
  public static void apply(Settings settings) {
    Wire.configure(format(settings), registry(settings));
  }

  private static boolean isFormat(String value) {
    try {
      WireFormat.parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void requireBoth(Settings settings, Setting<String> a, Setting<String> b) {
    if (optional(settings, a).isPresent() != optional(settings, b).isPresent()) {
      Setting<String> missing = optional(settings, a).isPresent() ? b : a;
      Setting<String> given = missing == a ? b : a;
      throw new ConfigException(missing.key(), "missing: " + given.key() + " is set, so " + missing.key() + " must be too");
    }
  }

  private static Optional<String> optional(Settings settings, Setting<String> setting) {
    String value = settings.get(setting);
    return value == null || value.isBlank() || value.equals(NONE) ? Optional.empty() : Optional.of(value.strip());
  }
}
