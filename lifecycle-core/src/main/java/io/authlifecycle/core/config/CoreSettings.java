package io.authlifecycle.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Settings every worker shares: where Kafka is, how the Streams runtime runs, input sanity limits. */
public final class CoreSettings {

  private CoreSettings() {}

  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.string("bootstrap.servers",
      "localhost:9092", "Kafka bootstrap servers.");
  public static final Setting<String> STATE_DIR = Setting.string("state.dir",
      System.getProperty("java.io.tmpdir") + "/authn-lifecycle-state", "Kafka Streams state directory.");
  public static final Setting<String> APPLICATION_ID_PREFIX = Setting.string("application.id.prefix",
      "authn-lifecycle", "Prefix of every worker's application id; the worker name follows it.");
  public static final Setting<Integer> STREAM_THREADS = Setting.integer("num.stream.threads", 1,
      "Stream threads per worker instance.").validate(n -> n >= 1 && n <= 64, "must be between 1 and 64");
  public static final Setting<Integer> STANDBY_REPLICAS = Setting.integer("num.standby.replicas", 0,
      "Warm standby copies of each state store on other instances.").validate(n -> n >= 0 && n <= 3, "must be between 0 and 3");
  public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("commit.interval", "100ms",
      "Transaction commit interval (exactly_once_v2).").validate(d -> !d.isNegative() && !d.isZero(), "must be positive");
  public static final Setting<Integer> HTTP_PORT = Setting.integer("http.port", 8080,
      "Port of /health, /ready and /metrics; 0 picks a free port.").validate(p -> p >= 0 && p <= 65535, "must be a TCP port");
  public static final Setting<String> HTTP_HOST = Setting.string("http.host", "127.0.0.1",
      "Address the HTTP endpoint binds to.");
  public static final Setting<Integer> HTTP_QUERY_PORT = Setting.integer("http.query-port", -1,
      "Port of the interactive queries (/subjects) when they listen apart from /health and /metrics; -1: on http.port; "
          + "0 picks a free port.").validate(p -> p >= -1 && p <= 65535, "must be -1 or a TCP port");
  public static final Setting<String> HTTP_ADVERTISED_HOST = Setting.optionalString("http.advertised-host",
      "Host other instances reach this one at for interactive queries (Streams' application.server); "
          + "blank: the bind host, or the local host name when it binds every address.");
  public static final Setting<String> HTTP_QUERY_TOKEN_FILE = Setting.optionalString("http.query-token-file",
      "File holding the bearer token /subjects requires (a mounted secret); blank: http.query-token, else queries are refused.");
  public static final Setting<String> HTTP_QUERY_TOKEN = Setting.optionalString("http.query-token",
      "The bearer token /subjects requires, when no http.query-token-file is set; at least 16 characters.")
      .validate(t -> t.isBlank() || t.strip().length() >= 16, "must be blank or at least 16 characters");
  public static final Setting<Duration> TIMER_TICK = Setting.duration("timer.tick", "1s",
      "How often due timers are fired (wall clock), and how far ahead a due timer starts the near ticks.").validate(d -> d.toMillis() >= 10, "must be at least 10ms");
  public static final Setting<Duration> TIMER_NEAR_TICK = Setting.duration("timer.near-tick", "100ms",
      "How often due timers are fired while one falls due before the next timer.tick, so a timer "
          + "fires at most this late; as long as timer.tick or longer: the tick alone.").validate(d -> d.toMillis() >= 10, "must be at least 10ms");
  public static final Setting<Integer> TIMER_BATCH = Setting.integer("timer.batch", 1000,
      "Most timers fired in one tick; the rest fire on the next.").validate(n -> n > 0, "must be positive");
  public static final Setting<Duration> MAX_FUTURE_SKEW = Setting.duration("input.max-future-skew", "1d",
      "An input whose event time is further ahead of the wall clock than this is dead-lettered.");
  public static final Setting<Duration> MAX_EFFECTIVE_HORIZON = Setting.duration("input.max-effective-horizon", "400d",
      "Effective times further ahead than this are dead-lettered as implausible.");
  public static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer("input.max-record-bytes", 131_072,
      "Largest input record (key and value bytes) a worker decodes; a larger one is dead-lettered as TOO_LARGE with "
          + "its first bytes and a hash. Outputs are cut down to it too, since each is another component's input.")
      .validate(n -> n >= 4096 && n <= 900_000, "must be between 4096 and 900000 (below the brokers' 1 MiB)");
  public static final Setting<Integer> MAX_FIELD_LENGTH = Setting.integer("input.max-field-length", 4096,
      "Longest key, text or bytes field an input may carry (characters, or bytes); a longer one is dead-lettered as "
          + "TOO_LARGE, and an output's longer field is cut down with a hash of the original.")
      .validate(n -> n >= 256 && n <= 65_536, "must be between 256 and 65536");
  public static final Setting<Integer> THREAD_REPLACEMENTS = Setting.integer("uncaught.max-thread-replacements", 3,
      "Stream threads replaced after an unexpected exception before the worker shuts down.")
      .validate(n -> n >= 0, "must not be negative");
  public static final Setting<Duration> CLOSE_TIMEOUT = Setting.duration("shutdown.timeout", "30s",
      "How long close() waits for a clean shutdown.");

  public static final List<Setting<?>> ALL = List.of(BOOTSTRAP_SERVERS, STATE_DIR, APPLICATION_ID_PREFIX,
      STREAM_THREADS, STANDBY_REPLICAS, COMMIT_INTERVAL, HTTP_PORT, HTTP_HOST, HTTP_QUERY_PORT, HTTP_ADVERTISED_HOST,
      HTTP_QUERY_TOKEN_FILE, HTTP_QUERY_TOKEN, TIMER_TICK, TIMER_NEAR_TICK, TIMER_BATCH, MAX_FUTURE_SKEW, MAX_EFFECTIVE_HORIZON,
      MAX_RECORD_BYTES, MAX_FIELD_LENGTH, THREAD_REPLACEMENTS, CLOSE_TIMEOUT);

  private static final Set<String> EVERY_ADDRESS = Set.of("0.0.0.0", "::", "[::]", "::0");

  /**
   * The host this instance advertises to the others: {@code http.advertised-host} if set, else the
   * bind host, unless that binds every address (which no other instance can reach), then the local host name.
   */
  public static String advertisedHost(Settings settings) {
    return advertisedHost(settings.get(HTTP_ADVERTISED_HOST), settings.get(HTTP_HOST), CoreSettings::localHostName);
  }

  static String advertisedHost(String configured, String bindHost, Supplier<String> localHostName) {
    if (!configured.isBlank()) {
      return configured.strip();
    }
    return EVERY_ADDRESS.contains(bindHost.strip()) ? localHostName.get() : bindHost.strip();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new ConfigException(HTTP_ADVERTISED_HOST.key(), "blank, and the local host name cannot be found ("
          + e.getMessage() + "); set it to an address the other instances can reach (in Kubernetes: the pod IP)");
    }
  }
}
