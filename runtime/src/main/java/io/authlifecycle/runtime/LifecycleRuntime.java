package io.authlifecycle.runtime;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product's runtime: {@code lifecycle-runtime COMPONENT} runs one component (a worker or the IdP
 * gateway, found through {@code META-INF/services}) against an existing cluster. Settings come from
 * {@code LIFECYCLE_*} variables and the file {@code LIFECYCLE_CONFIG_FILE} names, nothing else; logs
 * are JSON lines on stdout. It creates no topic: before starting it checks that every topic the
 * component needs exists and is allowed to it, and exits 3 naming the gaps if not.
 *
 * <p>Exit codes: 0 stopped cleanly, 1 the component failed, 2 usage or configuration error, 3 the
 * cluster is unreachable or a topic is missing or not authorized.
 */
public final class LifecycleRuntime {

  public static final String LOGGING = "lifecycle-runtime-logback.xml";
  static final int STOPPED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_READY = 3;

  static final Setting<Duration> CHECK_TIMEOUT = Setting.duration("runtime.topic-check.timeout", "60s",
      "How long the start-up check may wait for the cluster to describe the component's topics.")
      .validate(d -> d.toMillis() >= 1000, "must be at least 1s");

  private LifecycleRuntime() {}

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGGING);
    }
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the named component until it stops; returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Map<String, Component> components = Component.discover();
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(usage(components));
      return STOPPED;
    }
    if (args.length == 1 && args[0].equals("--list")) {
      components.keySet().forEach(out::println);
      return STOPPED;
    }
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println(usage(components));
      return USAGE;
    }
    Component component = components.get(args[0]);
    if (component == null) {
      err.println("lifecycle-runtime: unknown component '" + args[0] + "'; on this class path: "
          + String.join(", ", components.keySet()));
      return USAGE;
    }

    Settings settings;
    try {
      List<Setting<?>> declared = new ArrayList<>(component.settings());
      declared.add(CHECK_TIMEOUT);
      Optional<Path> file = Optional.ofNullable(env.get(Settings.CONFIG_FILE_ENV)).filter(s -> !s.isBlank()).map(Path::of);
      settings = Settings.load(declared, file, env, Map.of());
    } catch (ConfigException e) {
      err.println(component.name() + ": " + e.getMessage());
      return USAGE;
    }

    String bootstrap = settings.get(CoreSettings.BOOTSTRAP_SERVERS);
    try {
      TopicCheck.Outcome check = TopicCheck.run(adminConfig(settings), component.topics(settings), settings.get(CHECK_TIMEOUT));
      if (!check.passed()) {
        String message = check.describe(component.name(), bootstrap);
        log().error(message);
        err.println(message);
        return NOT_READY;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
    log().info("{}: every topic it needs is there and allowed on {}; starting", component.name(), bootstrap);
    return runUntilStopped(component, settings, err);
  }

  private static int runUntilStopped(Component component, Settings settings, PrintStream err) {
    Component.Running running;
    try {
      running = component.start(settings);
    } catch (Exception e) {
      log().error("{} could not start", component.name(), e);
      err.println(component.name() + " could not start: " + e.getMessage());
      return FAILED;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      running.close();
    }, component.name() + "-shutdown"));
    try {
      while (!running.awaitStop(Duration.ofSeconds(1)) && !running.failed()) {
        // Runs until a signal closes it or it fails.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running.failed() && !stopping.get()) {
      log().error("{} failed; exiting so the orchestrator restarts it", component.name());
      running.close();
      return FAILED;
    }
    return STOPPED;
  }

  /** The component's own client settings (bootstrap and the {@code kafka.*} pass-through) that an Admin client takes. */
  static Map<String, Object> adminConfig(Settings settings) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CoreSettings.BOOTSTRAP_SERVERS));
    settings.kafkaOverrides().forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        config.put(k, v);
      }
    });
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "lifecycle-runtime-topic-check");
    return config;
  }

  static String usage(Map<String, Component> components) {
    return "usage: lifecycle-runtime COMPONENT | --list | --help\n"
        + "Runs one component against the cluster in LIFECYCLE_BOOTSTRAP_SERVERS; settings from LIFECYCLE_* variables\n"
        + "and the properties file LIFECYCLE_CONFIG_FILE names. Components on this class path: "
        + String.join(", ", components.keySet());
  }

  private static Logger log() {
    return LoggerFactory.getLogger(LifecycleRuntime.class);
  }
}
