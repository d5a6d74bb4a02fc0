package io.authlifecycle.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workers in a JVM of their own, started as the local stack starts them
 * ({@code LocalStack --bootstrap ... --only ... --data-dir ... --config ...}): each its own Kafka
 * Streams client with exactly_once_v2, state under the data folder, an HTTP port. The benchmark
 * measures this JVM's CPU and heap; the fault tests kill it for real.
 */
public final class WorkerStack implements AutoCloseable {

  private static final Pattern WORKER_LINE = Pattern.compile("^\\s+(?:worker|component) (\\S+)\\s+http://127\\.0\\.0\\.1:(\\d+)/health");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ChildJvm jvm;
  private final Path dataDir;
  private final Map<String, Integer> httpPorts;

  private WorkerStack(ChildJvm jvm, Path dataDir, Map<String, Integer> httpPorts) {
    this.jvm = jvm;
    this.dataDir = dataDir;
    this.httpPorts = httpPorts;
  }

  /**
   * Starts the named workers against {@code bootstrap} with {@code settings} (keys as in a worker's
   * properties file) and waits until the stack reports them up.
   *
   * @param name names the JVM, its folder under {@code dir} and its output file
   */
  public static WorkerStack start(String name, Path dir, String bootstrap, List<String> workers,
      Map<String, String> settings, List<String> jvmOptions, Duration timeout) throws IOException, InterruptedException {
    return start(name, dir, bootstrap, workers, settings, jvmOptions, timeout, false);
  }

  /** As above; {@code coHost} runs the workers as one Streams application ({@code LocalStack --co-host}). */
  public static WorkerStack start(String name, Path dir, String bootstrap, List<String> workers,
      Map<String, String> settings, List<String> jvmOptions, Duration timeout, boolean coHost)
      throws IOException, InterruptedException {
    Path data = dir.resolve(name);
    Files.createDirectories(data);
    Path config = dir.resolve(name + ".properties");
    StringBuilder props = new StringBuilder();
    settings.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
    Files.writeString(config, props.toString(), StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of("--bootstrap", bootstrap, "--data-dir", data.toString(),
        "--http-port", "0", "--config", config.toString(), "--start-timeout", String.valueOf(timeout.toSeconds())));
    if (coHost) {
      args.add("--co-host");
    }
    if (!workers.isEmpty()) {
      args.add("--only");
      args.add(String.join(",", workers));
    }
    ChildJvm jvm = ChildJvm.start(name, dir, jvmOptions, "io.authlifecycle.deploy.LocalStack", args);
    try {
      jvm.awaitLine(l -> l.startsWith("Stack up in"), timeout.plusSeconds(30));
    } catch (RuntimeException | InterruptedException e) {
      jvm.close();
      throw e;
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String line : jvm.lines()) {
      Matcher m = WORKER_LINE.matcher(line);
      if (m.find()) {
        ports.put(m.group(1), Integer.parseInt(m.group(2)));
      }
    }
    return new WorkerStack(jvm, data, ports);
  }

  public ChildJvm jvm() {
    return jvm;
  }

  /** Worker name → its HTTP port ({@code /health}, {@code /metrics}). */
  public Map<String, Integer> httpPorts() {
    return httpPorts;
  }

  /** Where the workers keep their state stores. */
  public Path stateDir() {
    return dataDir.resolve("state");
  }

  /** Each worker's Kafka Streams state as its {@code /health} reports it ("unreachable" if it does not answer). */
  public Map<String, String> states() {
    Map<String, String> states = new LinkedHashMap<>();
    httpPorts.forEach((worker, port) -> {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"state\":\"(\\w+)\"").matcher(r.body());
        states.put(worker, m.find() ? m.group(1) : r.body());
      } catch (IOException e) {
        states.put(worker, "unreachable");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        states.put(worker, "unreachable");
      }
    });
    return states;
  }

  /** Waits until every worker reports RUNNING; false on timeout. */
  public boolean awaitAllRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (states().values().stream().allMatch("RUNNING"::equals)) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /** SIGKILL, no clean shutdown. */
  public void kill() throws InterruptedException {
    jvm.kill();
  }

  /** SIGTERM: the stack closes every worker cleanly. */
  @Override
  public void close() {
    jvm.close();
  }
}
