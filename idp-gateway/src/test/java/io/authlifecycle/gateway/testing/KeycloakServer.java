package io.authlifecycle.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak ({@code kc.sh start-dev}) from the distribution the build unpacks, run under a
 * Java 21+ JDK found on the machine, with the test realm created (see {@link KeycloakRealm}).
 * Stop and start again keep the realm (the dev database is on disk), for outage tests.
 *
 * <p>The distribution is found at the system property {@code keycloak.home} (set by this module's
 * surefire configuration), {@code KEYCLOAK_HOME}, or {@code target/keycloak/keycloak-*} of this or
 * the idp-gateway module. The JDK at {@code keycloak.java.home}, {@code KEYCLOAK_JAVA_HOME},
 * {@code JAVA_HOME}, this JVM, or under {@code /usr/lib/jvm}, {@code /opt}, {@code /usr/local}.
 */
public final class KeycloakServer implements AutoCloseable {

  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final Path home;
  private final Path javaHome;
  private final int httpPort;
  private final int managementPort;
  private final Path log;
  private Process process;
  private Duration lastStartTime = Duration.ZERO;
  private KeycloakRealm realm;

  private KeycloakServer(Path home, Path javaHome) {
    this.home = home;
    this.javaHome = javaHome;
    this.httpPort = freePort();
    this.managementPort = freePort();
    this.log = home.getParent().resolve("keycloak-" + httpPort + ".log");
  }

  /** Why Keycloak cannot run here, or empty if it can. */
  public static Optional<String> unavailableReason() {
    if (distribution().isEmpty()) {
      return Optional.of("no Keycloak distribution found (system property keycloak.home, KEYCLOAK_HOME, "
          + "or target/keycloak/keycloak-* unpacked by the build)");
    }
    if (java21().isEmpty()) {
      return Optional.of("no Java 21+ JDK found for Keycloak (keycloak.java.home, KEYCLOAK_JAVA_HOME, JAVA_HOME, "
          + "/usr/lib/jvm/*, /opt/*, /usr/local/*)");
    }
    return Optional.empty();
  }

  /** Starts a fresh Keycloak (its dev database wiped) and creates the test realm. */
  public static KeycloakServer start() throws Exception {
    KeycloakServer server = new KeycloakServer(distribution().orElseThrow(), java21().orElseThrow());
    deleteRecursively(server.home.resolve("data"));
    server.startProcess();
    server.realm = KeycloakRealm.create(server.url());
    return server;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int port() {
    return httpPort;
  }

  /** The test realm, its gateway client and admin helpers. */
  public KeycloakRealm realm() {
    return realm;
  }

  /** How long the last start took until Keycloak answered. */
  public Duration lastStartTime() {
    return lastStartTime;
  }

  public Path javaHome() {
    return javaHome;
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops Keycloak (SIGTERM, then kill); the realm stays on disk. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    children.forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  /** Starts Keycloak again on the same port with the same data. */
  public void restart() throws Exception {
    stop();
    startProcess();
    realm.forgetToken();
  }

  private void startProcess() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort,
        "--truststore-paths=" + virtualAuthenticatorTrust())
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
    long started = System.nanoTime();
    process = builder.start();
    Process child = process;
    // Never leave a Keycloak behind if the test JVM is stopped before close().
    Runtime.getRuntime().addShutdownHook(new Thread(() -> child.descendants().forEach(ProcessHandle::destroyForcibly)));
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = started + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/realms/master"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          lastStartTime = Duration.ofNanos(System.nanoTime() - started);
          System.out.println("Keycloak started in " + lastStartTime.toMillis() + " ms at " + url() + " (log " + log + ")");
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    stop();
    throw new IllegalStateException("Keycloak did not answer within " + START_TIMEOUT + "; log " + log + ":\n" + tail());
  }

  /**
   * A PEM with the attestation certificate of Chromium's virtual authenticator, so that passkeys
   * registered in the browser tests with attestation "direct" pass Keycloak's trust-path check.
   */
  private Path virtualAuthenticatorTrust() throws IOException {
    Path pem = home.getParent().resolve("test-truststore").resolve("chromium-virtual-authenticator.pem");
    Files.createDirectories(pem.getParent());
    try (var in = KeycloakServer.class.getResourceAsStream("chromium-virtual-authenticator.pem")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Files.writeString(pem, text.lines().filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n")) + "\n");
    }
    return pem;
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Optional<Path> distribution() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty("keycloak.home")).map(Path::of).ifPresent(candidates::add);
    Optional.ofNullable(System.getenv("KEYCLOAK_HOME")).map(Path::of).ifPresent(candidates::add);
    for (String dir : List.of("target/keycloak", "../idp-gateway/target/keycloak")) {
      try (Stream<Path> found = Files.list(Path.of(dir))) {
        found.filter(p -> p.getFileName().toString().startsWith("keycloak-")).sorted(Comparator.reverseOrder())
            .forEach(candidates::add);
      } catch (IOException e) {
        // not there
      }
    }
    return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("bin/kc.sh")))
        .map(p -> p.toAbsolutePath().normalize()).findFirst();
  }

  static Optional<Path> java21() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty("keycloak.java.home")).map(Path::of).ifPresent(candidates::add);
    Optional.ofNullable(System.getenv("KEYCLOAK_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    candidates.add(Path.of(System.getProperty("java.home")));
    for (String root : List.of("/usr/lib/jvm", "/opt", "/usr/local", "/opt/java")) {
      try (Stream<Path> found = Files.list(Path.of(root))) {
        found.sorted(Comparator.reverseOrder()).forEach(candidates::add);
      } catch (IOException e) {
        // not there
      }
    }
    return candidates.stream().filter(p -> majorVersion(p) >= 21 && Files.isExecutable(p.resolve("bin/java"))).findFirst();
  }

  private static int majorVersion(Path javaHome) {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Properties props = new Properties();
    try (var reader = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      return 0;
    }
    String version = props.getProperty("JAVA_VERSION", "0").replace("\"", "");
    String major = version.startsWith("1.") ? version.substring(2) : version;
    try {
      return Integer.parseInt(major.split("[.+-]")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
