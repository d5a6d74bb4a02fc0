package io.authlifecycle.deploy;

import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker (combined broker and controller) run from the Kafka jars as a
 * child JVM, listening on loopback only, with its data in a folder that survives restarts: the
 * storage is formatted once, on the first start.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String HOST = "127.0.0.1";

  private final Path home;
  private final int port;
  private final Process process;
  private final Map<String, String> adminClient;

  private KafkaBroker(Path home, int port, Process process, Map<String, String> adminClient) {
    this.home = home;
    this.port = port;
    this.process = process;
    this.adminClient = adminClient;
  }

  /**
   * Formats {@code home/data} if it is new, starts the broker and waits until it answers.
   *
   * @param home the broker's folder: {@code server.properties}, {@code data/}, {@code broker.log}
   */
  public static KafkaBroker start(Path home, int port, int controllerPort, Duration timeout)
      throws IOException, InterruptedException {
    return start(home, port, controllerPort, timeout, Optional.empty());
  }

  /** As above; with {@code security}, the client listener takes SASL/PLAIN and the standard authorizer guards every topic. */
  public static KafkaBroker start(Path home, int port, int controllerPort, Duration timeout, Optional<LocalSecurity> security)
      throws IOException, InterruptedException {
    Files.createDirectories(home);
    requireFree(port, home);
    requireFree(controllerPort, home);
    Path data = home.resolve("data");
    Path config = home.resolve("server.properties");
    writeConfig(config, data, port, controllerPort, security);
    Path log = home.resolve("broker.log");
    if (!Files.exists(data.resolve("meta.properties"))) {
      format(home, config, log, timeout);
    }
    ProcessBuilder builder = new ProcessBuilder(command(home, BrokerMain.class.getName(), config.toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    Files.writeString(home.resolve("broker.pid"), process.pid() + "\n", StandardCharsets.UTF_8);
    KafkaBroker broker = new KafkaBroker(home, port, process,
        security.map(s -> s.clientProperties(LocalSecurity.ADMIN)).orElse(Map.of()));
    try {
      broker.awaitReady(timeout);
    } catch (IOException | RuntimeException | InterruptedException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return home.resolve("broker.log");
  }

  /** Completes when the broker process exits for any reason. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** Stops the broker: a controlled shutdown first, then harder signals if it does not finish. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        LOG.warn("broker did not stop within 60s of a shutdown request; terminating it");
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties props = new Properties();
    props.putAll(adminClient);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the broker exited with code " + process.exitValue()
              + " during start-up; last lines of " + log() + ":\n" + tail(log(), 30));
        }
        try {
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          Thread.sleep(250);
        }
      }
    }
    throw new IllegalStateException("the broker did not answer at " + bootstrapServers() + " within "
        + timeout.toSeconds() + "s; see " + log());
  }

  private static void writeConfig(Path config, Path data, int port, int controllerPort, Optional<LocalSecurity> security)
      throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    String client = security.isPresent() ? "CLIENT" : "PLAINTEXT";
    props.put("listeners", client + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    props.put("advertised.listeners", client + "://" + HOST + ":" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", client);
    props.put("listener.security.protocol.map", security.isPresent()
        ? "CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT" : "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    security.ifPresent(s -> props.putAll(s.brokerProperties(client)));
    props.put("log.dirs", data.toAbsolutePath().toString());
    // One node: every internal topic has one replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("num.partitions", "3");
    // Topics come from the registry; a typo must not create a new one.
    props.put("auto.create.topics.enable", "false");
    props.put("group.initial.rebalance.delay.ms", "0");
    StringBuilder text = new StringBuilder("# Written by the local stack on every start; edits are overwritten.\n");
    props.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    // With security on it holds every principal's password: its owner's to read only.
    OwnerOnlyFiles.write(config, text.toString());
  }

  private static void format(Path home, Path config, Path log, Duration timeout) throws IOException, InterruptedException {
    Process format = new ProcessBuilder(command(home, "kafka.tools.StorageTool", "format",
        "-t", Uuid.randomUuid().toString(), "-c", config.toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    format.getOutputStream().close();
    if (!format.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      format.destroyForcibly();
      throw new IllegalStateException("formatting the broker storage did not finish; see " + log);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException("formatting the broker storage failed (exit " + format.exitValue()
          + "); last lines of " + log + ":\n" + tail(log, 20));
    }
  }

  /**
   * The same JVM and class path as this process, a small heap and the broker's own log settings;
   * the class path goes in an argument file so the process list stays readable.
   */
  private static List<String> command(Path home, String mainClass, String... args) throws IOException {
    Path argFile = home.resolve("jvm.args");
    Files.writeString(argFile, "-cp\n\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n",
        StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    // setsid keeps a Ctrl-C in the terminal away from the broker: the stack stops it after the workers.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(System.getProperty("lifecycle.broker.heap", "-Xmx512m"));
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dlogback.configurationFile=lifecycle-broker-logback.xml");
    cmd.add("@" + argFile);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void requireFree(int port, Path home) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
    } catch (IOException e) {
      String pid = "";
      try {
        Path file = home.resolve("broker.pid");
        if (Files.exists(file)) {
          pid = " (the last broker started from " + home + " had pid " + Files.readString(file).strip() + ")";
        }
      } catch (IOException ignored) {
        // The hint is optional.
      }
      throw new IllegalStateException("port " + port + " on " + HOST + " is in use" + pid
          + ": stop what holds it, or use that cluster with --bootstrap " + HOST + ":" + port);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
