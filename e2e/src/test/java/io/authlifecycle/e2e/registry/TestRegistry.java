package io.authlifecycle.e2e.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry with in-memory storage (the test-registry module's runner jar) in a
 * JVM of its own, on a free loopback port; closed with the test class.
 */
final class TestRegistry implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final Path log;

  private TestRegistry(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static TestRegistry start() throws Exception {
    Path jar = Path.of(System.getProperty("test.registry.jar", "../test-registry/target/test-registry-runner.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it with mvn -B -pl test-registry process-classes");
    }
    int port = freePort();
    Path log = Files.createDirectories(Path.of("target")).resolve("test-registry-" + port + ".log");
    Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", jar.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    TestRegistry registry = new TestRegistry(process, port, log);
    registry.awaitUp();
    return registry;
  }

  /** The v2 REST API, as the serde settings name it. */
  String apiUrl() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  /** The Confluent-compatible API. */
  String ccompatUrl() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v6";
  }

  /** GET on the registry; the body of a 200, or an exception naming the status. */
  String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private void awaitUp() throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the test registry exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        get(apiUrl() + "/system/info");
        return;
      } catch (IOException notYet) {
        Thread.sleep(500);
      }
    }
    close();
    throw new IllegalStateException("the test registry did not answer within " + START_TIMEOUT + "; see " + log.toAbsolutePath());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
