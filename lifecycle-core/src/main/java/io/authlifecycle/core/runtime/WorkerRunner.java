package io.authlifecycle.core.runtime;

import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a worker: validated settings, the wire format they name, its topology under exactly_once_v2, a state listener, a
 * bounded uncaught-exception handler (replace the thread a few times, then shut down), and the
 * HTTP endpoint. Never cleans up local state unconditionally.
 */
public final class WorkerRunner {

  /** The logging configuration of a worker's own {@code main} (console, INFO, Kafka's clients at WARN). */
  public static final String MAIN_LOGGING = "lifecycle-worker-logback.xml";

  private WorkerRunner() {}

  /** Looked up on use, so {@link #main} can choose the logging configuration before the first logger exists. */
  private static Logger log() {
    return LoggerFactory.getLogger(WorkerRunner.class);
  }

  /** Loads settings for an app: the optional file and the environment, then the given overrides. */
  public static Settings settings(WorkerApp app, Optional<Path> file, Map<String, String> overrides) {
    Map<String, String> env = System.getenv();
    Optional<Path> configFile = file.or(() -> Optional.ofNullable(env.get(Settings.CONFIG_FILE_ENV))
        .filter(s -> !s.isBlank()).map(Path::of));
    return Settings.load(WorkerContext.declared(app.settings()), configFile, env, overrides);
  }

  /** Starts the worker and returns at once; the caller closes it. */
  public static RunningWorker start(WorkerApp app, Settings settings) {
    SerdeSettings.apply(settings);
    // Secrets named by settings are read now: a missing or foreign file stops start-up, naming its key.
    QueryAuth auth = QueryAuth.from(settings);
    if (CheckpointSettings.signingKey(settings, app.name()).isEmpty()) {
      log().warn("{}: {} is not set, so it signs no audit checkpoints and the verifier cannot tell its records "
          + "from records another writer chained in its name", app.name(), CheckpointSettings.SIGNING_KEY.key());
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    WorkerContext context = new WorkerContext(app.name(), settings, AssurancePolicy.from(settings),
        new WorkerMetrics(app.name(), registry));
    Topology topology = app.buildTopology(context);
    log().info("{} topology:\n{}", app.name(), topology.describe());

    AtomicReference<KafkaStreams> streamsRef = new AtomicReference<>();
    HttpEndpoint http;
    try {
      http = new HttpEndpoint(app.name(), settings.get(CoreSettings.HTTP_HOST), settings.get(CoreSettings.HTTP_PORT),
          settings.get(CoreSettings.HTTP_QUERY_PORT), () -> HttpEndpoint.Health.of(streamsRef.get() == null ? KafkaStreams.State.CREATED : streamsRef.get().state()),
          registry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the HTTP endpoint of " + app.name(), e);
    }
    // Other instances forward interactive queries here: never the wildcard bind address.
    String endpoint = CoreSettings.advertisedHost(settings) + ":" + http.queryPort();
    KafkaStreams streams = new KafkaStreams(topology, StreamsProperties.of(context, endpoint));
    streamsRef.set(streams);
    Map<String, WorkerApp.QueryRoute> queryRoutes = new HashMap<>(app.queryRoutes(context, streams));
    if (!app.subjectStores().isEmpty()) {
      queryRoutes.put("/subjects", new SubjectQuery(app.name(), streams, endpoint, app.subjectStores(), app.timerIndexes(), auth));
    }
    http.addRoutes(queryRoutes, auth);

    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      log().info("{} state {} -> {}", app.name(), before, now);
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
        stopped.countDown();
      }
    });
    int maxReplacements = settings.get(CoreSettings.THREAD_REPLACEMENTS);
    AtomicInteger replacements = new AtomicInteger();
    streams.setUncaughtExceptionHandler(e -> {
      int n = replacements.incrementAndGet();
      if (n <= maxReplacements) {
        log().error("{}: stream thread failed ({} of {} replacements), replacing it", app.name(), n, maxReplacements, e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      log().error("{}: stream thread failed again after {} replacements, shutting down", app.name(), maxReplacements, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setGlobalStateRestoreListener(new RestoreProgress(context.metrics()));
    new KafkaStreamsMetrics(streams).bindTo(registry);
    streams.start();
    log().info("{} started: application.id={}, health and metrics on port {}, queries advertised at http://{}", app.name(),
        context.applicationId(), http.port(), endpoint);
    return new RunningWorker(context, streams, http, settings.get(CoreSettings.CLOSE_TIMEOUT), stopped);
  }

  /**
   * The {@code main} of a worker: {@code [--config FILE]}; settings from defaults, the file and
   * the environment. Exits non-zero if the configuration is bad or the worker stops on an error.
   */
  public static void main(WorkerApp app, String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", MAIN_LOGGING);
    }
    Optional<Path> file = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Optional.of(Path.of(args[++i]));
      }
    }
    RunningWorker worker;
    try {
      worker = start(app, settings(app, file, Map.of()));
    } catch (ConfigException e) {
      System.err.println(app.name() + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, app.name() + "-shutdown"));
    try {
      worker.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.state() == KafkaStreams.State.ERROR) {
      System.exit(1);
    }
  }
}
