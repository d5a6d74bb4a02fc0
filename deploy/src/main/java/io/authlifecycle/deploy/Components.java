package io.authlifecycle.deploy;

import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.streams.WorkerContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers and other components on the class path (found through {@link ServiceLoader}), run in
 * this process: each worker its own Kafka Streams client, HTTP port and state folder.
 */
public final class Components implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Components.class);

  /**
   * What a component is started with besides the environment and the optional properties file:
   * where, its Kafka client properties, the stack's settings for all, and settings of its own (its key).
   */
  public record Placement(String bootstrapServers, Path stateDir, int firstHttpPort, Optional<Path> configFile,
      Function<String, Map<String, String>> clientProperties, Map<String, String> stackSettings,
      Function<String, Map<String, String>> componentSettings) {

    /** A placement on a cluster without client security, with no settings of the stack's own. */
    public Placement(String bootstrapServers, Path stateDir, int firstHttpPort, Optional<Path> configFile) {
      this(bootstrapServers, stateDir, firstHttpPort, configFile, name -> Map.of(), Map.of(), name -> Map.of());
    }
  }

  /** A started component as the stack reports it, with what it serves to the outside (an API's URL). */
  public record Started(String name, String kind, int httpPort, Map<String, String> endpoints) {

    public Started(String name, String kind, int httpPort) {
      this(name, kind, httpPort, Map.of());
    }
  }

  private final List<RunningWorker> workers = new ArrayList<>();
  private final List<Launchable.Launched> launched = new ArrayList<>();
  private final List<String> launchedNames = new ArrayList<>();
  private final List<Started> started = new ArrayList<>();

  private Components() {}

  /** Every worker registered under {@code META-INF/services}, sorted by name, kept if {@code only} accepts its name. */
  public static List<WorkerApp> workers(Predicate<String> only) {
    List<WorkerApp> found = new ArrayList<>();
    ServiceLoader.load(WorkerApp.class).forEach(app -> {
      if (only.test(app.name())) {
        found.add(app);
      }
    });
    found.sort((a, b) -> a.name().compareTo(b.name()));
    return found;
  }

  /** Every other component registered under {@code META-INF/services} (the IdP gateway), sorted by name. */
  public static List<Launchable> launchables(Predicate<String> only) {
    List<Launchable> found = new ArrayList<>();
    ServiceLoader.load(Launchable.class).forEach(l -> {
      if (only.test(l.name())) {
        found.add(l);
      }
    });
    found.sort((a, b) -> a.name().compareTo(b.name()));
    return found;
  }

  /**
   * Loads every component's settings first (a bad value stops everything before anything starts,
   * naming the key), then starts the workers and the other components.
   */
  public static Components start(List<WorkerApp> apps, List<Launchable> others, Placement placement) {
    List<Settings> workerSettings = new ArrayList<>();
    int port = placement.firstHttpPort();
    for (WorkerApp app : apps) {
      workerSettings.add(WorkerRunner.settings(app, placement.configFile(), overrides(placement, app.name(), port)));
      port = nextPort(placement, port);
    }
    List<Settings> otherSettings = new ArrayList<>();
    for (Launchable other : others) {
      otherSettings.add(Settings.load(WorkerContext.declared(other.settings()), configFile(placement),
          System.getenv(), overrides(placement, other.name(), port)));
      port = nextPort(placement, port);
    }

    Components components = new Components();
    try {
      for (int i = 0; i < apps.size(); i++) {
        RunningWorker worker = WorkerRunner.start(apps.get(i), workerSettings.get(i));
        components.workers.add(worker);
        components.started.add(new Started(worker.name(), "worker", worker.httpPort()));
      }
      for (int i = 0; i < others.size(); i++) {
        Launchable.Launched launched = others.get(i).launch(otherSettings.get(i));
        components.launched.add(launched);
        components.launchedNames.add(others.get(i).name());
        components.started.add(new Started(others.get(i).name(), "component", launched.httpPort(), launched.endpoints()));
      }
    } catch (Exception e) {
      components.close();
      throw new IllegalStateException("cannot start " + (components.started.size() < apps.size()
          ? apps.get(components.started.size()).name()
          : others.get(components.started.size() - apps.size()).name()) + ": " + e.getMessage(), e);
    }
    return components;
  }

  /** Waits until every worker's Streams client is RUNNING; returns the names of those that are not. */
  public List<String> awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> notRunning = new ArrayList<>();
    for (RunningWorker worker : workers) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!worker.awaitRunning(left)) {
        notRunning.add(worker.name() + " (" + worker.state() + ")");
      }
    }
    return notRunning;
  }

  public List<Started> started() {
    return Collections.unmodifiableList(started);
  }

  public List<RunningWorker> workers() {
    return Collections.unmodifiableList(workers);
  }

  /** Stops the other components, then every worker with its configured close timeout. */
  @Override
  public void close() {
    for (int i = launched.size() - 1; i >= 0; i--) {
      try {
        launched.get(i).close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly", launchedNames.get(i), e);
      }
    }
    // Closing every client at once keeps shutdown as long as the slowest worker, not the sum.
    List<Thread> closing = new ArrayList<>();
    for (RunningWorker worker : workers) {
      Thread t = new Thread(worker::close, worker.name() + "-close");
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Where the stack puts a component, and its own Kafka credentials as {@code kafka.*} pass-through settings. */
  private static Map<String, String> overrides(Placement placement, String name, int port) {
    Map<String, String> overrides = new LinkedHashMap<>(placement.stackSettings());
    overrides.putAll(placement.componentSettings().apply(name));
    overrides.put(CoreSettings.BOOTSTRAP_SERVERS.key(), placement.bootstrapServers());
    overrides.put(CoreSettings.STATE_DIR.key(), placement.stateDir().resolve(name).toString());
    overrides.put(CoreSettings.HTTP_PORT.key(), String.valueOf(port));
    placement.clientProperties().apply(name).forEach((k, v) -> overrides.put(Settings.KAFKA_PREFIX + k, v));
    return overrides;
  }

  private static int nextPort(Placement placement, int port) {
    return placement.firstHttpPort() == 0 ? 0 : port + 1;
  }

  private static Optional<Path> configFile(Placement placement) {
    return placement.configFile().or(() -> Optional.ofNullable(System.getenv(Settings.CONFIG_FILE_ENV))
        .filter(s -> !s.isBlank()).map(Path::of));
  }
}
