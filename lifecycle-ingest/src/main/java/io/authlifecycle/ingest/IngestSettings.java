package io.authlifecycle.ingest;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The ingest's own settings: who may call it, how it serves, how long it waits for Kafka. */
public final class IngestSettings {

  private IngestSettings() {}

  /** The value of an optional path or password that is not set. */
  public static final String NONE = "none";

  public static final Setting<String> TOKENS_FILE = Setting.string("ingest.tokens.file", NONE,
      "Properties file of client-id=bearer-token lines (a mounted secret); none: no file.");
  public static final Setting<List<String>> TOKENS = Setting.list("ingest.tokens", "",
      "Bearer tokens as client-id:token, comma-separated (for LIFECYCLE_INGEST_TOKENS from a secret); blank: none.")
      .validate(list -> list.stream().allMatch(t -> t.indexOf(':') > 0 && t.indexOf(':') < t.length() - 1),
          "must be a comma-separated list of client-id:token");
  public static final Setting<String> TLS_KEYSTORE = Setting.string("ingest.tls.keystore", NONE,
      "PKCS12 key store holding the server's certificate: the API is served over HTTPS; none: plain HTTP.");
  public static final Setting<String> TLS_KEYSTORE_PASSWORD = Setting.string("ingest.tls.keystore-password", NONE,
      "Password of the key store.");
  public static final Setting<String> TLS_TRUSTSTORE = Setting.string("ingest.tls.truststore", NONE,
      "PKCS12 trust store of the CAs whose client certificates authenticate a client (mTLS; the client id is the "
          + "certificate's CN); none: no client certificates.");
  public static final Setting<String> TLS_TRUSTSTORE_PASSWORD = Setting.string("ingest.tls.truststore-password", NONE,
      "Password of the trust store.");
  public static final Setting<Boolean> TLS_REQUIRE_CLIENT_CERT = Setting.bool("ingest.tls.require-client-certificate",
      false, "Refuse TLS connections without a trusted client certificate (else a bearer token is enough).");
  public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer("ingest.max-body-bytes", 65_536,
      "Largest request body accepted; a larger one is answered 413 unread.")
      .validate(n -> n >= 1024 && n <= 10 * 1024 * 1024, "must be between 1024 and 10485760");
  public static final Setting<Integer> RATE_LIMIT = Setting.integer("ingest.rate-limit.requests", 50,
      "Requests one client may make per rate-limit period; more are answered 429.").validate(n -> n >= 1, "must be positive");
  public static final Setting<Duration> RATE_PERIOD = Setting.duration("ingest.rate-limit.period", "1s",
      "The rate-limit period.").validate(d -> d.toMillis() >= 1, "must be positive");
  public static final Setting<Duration> KAFKA_TIMEOUT = Setting.duration("ingest.kafka.timeout", "10s",
      "How long a request waits for Kafka before it is answered 503 (nothing is then written).")
      .validate(d -> d.toMillis() >= 500, "must be at least 500ms");
  public static final Setting<Integer> MAX_RESULTS = Setting.integer("ingest.scim.max-results", 200,
      "Most users one SCIM list or filter answer returns.").validate(n -> n >= 1 && n <= 10_000, "must be between 1 and 10000");
  public static final Setting<Integer> HTTP_THREADS = Setting.integer("ingest.http.threads", 8,
      "Threads serving requests (writes are applied one at a time).").validate(n -> n >= 1 && n <= 256, "must be between 1 and 256");

  /** Every setting the ingest reads beyond the core ones. */
  public static List<Setting<?>> own() {
    return List.of(TOKENS_FILE, TOKENS, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_TRUSTSTORE, TLS_TRUSTSTORE_PASSWORD,
        TLS_REQUIRE_CLIENT_CERT, MAX_BODY_BYTES, RATE_LIMIT, RATE_PERIOD, KAFKA_TIMEOUT, MAX_RESULTS, HTTP_THREADS);
  }

  /** Core, wire-format and own settings: what {@code main} loads. */
  public static List<Setting<?>> declared() {
    List<Setting<?>> all = new ArrayList<>(CoreSettings.ALL);
    all.addAll(SerdeSettings.ALL);
    all.addAll(own());
    return all;
  }

  /** The ingest's transactional id (and its principal's name after the prefix). */
  public static String transactionalId(Settings settings) {
    return settings.get(CoreSettings.APPLICATION_ID_PREFIX) + "-" + LifecycleIngest.NAME;
  }

  static boolean set(String value) {
    return value != null && !value.isBlank() && !value.equals(NONE);
  }
}
