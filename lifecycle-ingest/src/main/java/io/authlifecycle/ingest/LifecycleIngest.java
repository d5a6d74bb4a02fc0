package io.authlifecycle.ingest;

import com.unboundid.scim2.common.exceptions.ScimException;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.ingest.http.ApiRequest;
import io.authlifecycle.ingest.http.ApiServer;
import io.authlifecycle.ingest.http.ClientAuth;
import io.authlifecycle.ingest.http.Tls;
import io.authlifecycle.ingest.mdm.DeviceWebhook;
import io.authlifecycle.ingest.scim.ScimEndpoint;
import io.authlifecycle.ingest.state.Journal;
import io.authlifecycle.ingest.state.KafkaUnavailableException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest: a SCIM 2.0 service provider and an MDM webhook that turn what HR systems and MDMs
 * send into {@code WorkerEvent}s and {@code DeviceEvent}s, committed to Kafka before they answer.
 * The local stack starts it as a {@link Launchable}; {@link #main} runs it alone.
 */
public final class LifecycleIngest implements Launchable {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleIngest.class);
  public static final String NAME = "lifecycle-ingest";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return IngestSettings.own();
  }

  @Override
  public RunningIngest launch(Settings settings) {
    return start(settings, Clock.systemUTC());
  }

  /** Starts the server and returns at once; the journal connects to Kafka in the background. */
  public static RunningIngest start(Settings settings, Clock clock) {
    SerdeSettings.apply(settings);
    Optional<Path> tokenFile = optionalPath(settings.get(IngestSettings.TOKENS_FILE));
    ClientAuth auth = ClientAuth.of(tokenFile, settings.get(IngestSettings.TOKENS));
    Optional<Path> trustStore = optionalPath(settings.get(IngestSettings.TLS_TRUSTSTORE));
    Optional<SSLContext> ssl = optionalPath(settings.get(IngestSettings.TLS_KEYSTORE)).map(keys -> Tls.context(keys,
        settings.get(IngestSettings.TLS_KEYSTORE_PASSWORD), trustStore, settings.get(IngestSettings.TLS_TRUSTSTORE_PASSWORD)));
    if (trustStore.isPresent() && ssl.isEmpty()) {
      throw new ConfigException(IngestSettings.TLS_TRUSTSTORE.key(), "client certificates need TLS: set "
          + IngestSettings.TLS_KEYSTORE.key() + " too");
    }
    if (!auth.hasTokens() && trustStore.isEmpty()) {
      throw new ConfigException(IngestSettings.TOKENS.key(), "no client could authenticate: set "
          + IngestSettings.TOKENS_FILE.key() + ", " + IngestSettings.TOKENS.key() + " or " + IngestSettings.TLS_TRUSTSTORE.key());
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    WorkerMetrics metrics = new WorkerMetrics(NAME, registry);
    InputValidator validator = new InputValidator(settings.get(CoreSettings.MAX_FUTURE_SKEW),
        settings.get(CoreSettings.MAX_EFFECTIVE_HORIZON));
    Journal journal = new Journal(NAME, settings, IngestSettings.transactionalId(settings),
        settings.get(IngestSettings.KAFKA_TIMEOUT));

    RunningIngest[] self = new RunningIngest[1];
    ApiServer server;
    try {
      server = new ApiServer(NAME, settings.get(CoreSettings.HTTP_HOST), settings.get(CoreSettings.HTTP_PORT), ssl,
          settings.get(IngestSettings.TLS_REQUIRE_CLIENT_CERT), settings.get(IngestSettings.HTTP_THREADS), auth,
          new ApiServer.Limits(settings.get(IngestSettings.MAX_BODY_BYTES), settings.get(IngestSettings.RATE_LIMIT),
              settings.get(IngestSettings.RATE_PERIOD)),
          registry, () -> self[0].health(), (request, refusal) -> auditRefusal(journal, metrics, request, refusal, clock));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the HTTP endpoint of " + NAME, e);
    }
    server.route(ScimEndpoint.CONTEXT, "scim", new ScimEndpoint(NAME, journal, validator, metrics, clock,
        settings.get(IngestSettings.MAX_RESULTS), trustStore.isPresent()));
    server.route(DeviceWebhook.CONTEXT, "mdm", new DeviceWebhook(NAME, journal, validator, metrics, clock));
    self[0] = new RunningIngest(server, journal, settings.get(CoreSettings.HTTP_HOST));
    server.start();
    journal.reconnectEvery(Duration.ofSeconds(1));
    LOG.info("{} started: {} (authentication: {}{})", NAME, self[0].endpoints(), auth.hasTokens() ? "bearer tokens" : "",
        trustStore.isPresent() ? " client certificates" : "");
    return self[0];
  }

  /** An invalid request from a known client is audited (best effort: its answer is the 400 regardless). */
  private static void auditRefusal(Journal journal, WorkerMetrics metrics, ApiRequest request, ScimException refusal,
      Clock clock) {
    try {
      journal.<Object, RuntimeException>write((state, staging) -> staging.audit(IngestAudit.refused(request,
          String.valueOf(refusal.getScimError().getStatus()), refusal.getScimError().getDetail()), clock.instant()));
      metrics.audit(IngestAudit.REQUEST_REFUSED, "MEDIUM");
    } catch (KafkaUnavailableException e) {
      LOG.warn("{} refused ({}); the refusal could not be audited: {}", request.describe(),
          refusal.getScimError().getDetail(), e.getMessage());
    }
  }

  private static Optional<Path> optionalPath(String value) {
    return IngestSettings.set(value) ? Optional.of(Path.of(value)) : Optional.empty();
  }

  /** {@code [--config FILE]}; settings from defaults, the file and the environment. */
  public static void main(String[] args) {
    Optional<Path> file = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Optional.of(Path.of(args[++i]));
      }
    }
    Map<String, String> env = System.getenv();
    Optional<Path> configFile = file.or(() -> Optional.ofNullable(env.get(Settings.CONFIG_FILE_ENV))
        .filter(s -> !s.isBlank()).map(Path::of));
    RunningIngest ingest;
    try {
      ingest = start(Settings.load(IngestSettings.declared(), configFile, env, Map.of()), Clock.systemUTC());
    } catch (ConfigException e) {
      System.err.println(NAME + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(ingest::close, NAME + "-shutdown"));
    try {
      ingest.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
