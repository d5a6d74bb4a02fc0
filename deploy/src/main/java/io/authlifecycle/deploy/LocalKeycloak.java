package io.authlifecycle.deploy;

import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Keycloak for the local stack ({@code bin/lifecycle-local --keycloak}): the distribution fetched
 * through Maven once into the data folder, started with {@code kc.sh start-dev} under a Java 21+
 * JDK on loopback, its dev database and the bootstrap administrator kept between runs.
 */
public final class LocalKeycloak implements AutoCloseable {

  /** The version the build tests against ({@code keycloak.version} in idp-gateway/pom.xml; a test keeps them equal). */
  public static final String VERSION = "26.5.6";
  public static final String ARTIFACT = "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip";
  private static final String UNPACK = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack";
  private static final String ADMIN = "admin";

  private final Path home;
  private final Path log;
  private final int port;
  private final KeycloakAdmin admin;
  private Process process;

  private LocalKeycloak(Path home, Path log, int port, KeycloakAdmin admin) {
    this.home = home;
    this.log = log;
    this.port = port;
    this.admin = admin;
  }

  /**
   * Fetches the distribution if the data folder lacks it, starts Keycloak on {@code port} (0: a
   * free one) under {@code javaHome} and waits until it answers.
   */
  public static LocalKeycloak start(Path dataDir, int port, Path javaHome, Duration timeout, PrintStream out)
      throws IOException, InterruptedException {
    Path dir = dataDir.resolve("keycloak").toAbsolutePath();
    Path home = distribution(dir, out);
    int httpPort = port == 0 ? freePort() : port;
    Path log = dir.resolve("keycloak.log");
    KeycloakAdmin admin = new KeycloakAdmin("http://127.0.0.1:" + httpPort, ADMIN, adminPassword(dir));
    LocalKeycloak keycloak = new LocalKeycloak(home, log, httpPort, admin);
    keycloak.launch(javaHome, timeout, out);
    return keycloak;
  }

  /** The unpacked distribution under {@code dir}, fetched through Maven (and so kept in the local repository) the first time. */
  static Path distribution(Path dir, PrintStream out) throws IOException, InterruptedException {
    Path home = dir.resolve("keycloak-" + VERSION);
    if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      return home;
    }
    Files.createDirectories(dir);
    out.println("Fetching Keycloak " + VERSION + " through Maven (" + ARTIFACT + "), once, into " + dir + " ...");
    Path mavenLog = dir.resolve("fetch.log");
    Process mvn;
    try {
      // Run where no POM is: the plugin needs no project for an artifact given on the command line.
      mvn = new ProcessBuilder("mvn", "-B", "-q", UNPACK, "-Dartifact=" + ARTIFACT, "-DoutputDirectory=" + dir)
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(mavenLog.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("--keycloak fetches Keycloak through Maven, and mvn could not be run: " + e.getMessage());
    }
    if (!mvn.waitFor(15, TimeUnit.MINUTES) || mvn.exitValue() != 0 || !Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      mvn.destroyForcibly();
      throw new IllegalStateException("fetching " + ARTIFACT + " through Maven failed; see " + mavenLog);
    }
    return home;
  }

  private void launch(Path javaHome, Duration timeout, PrintStream out) throws IOException, InterruptedException {
    out.println("Starting Keycloak " + VERSION + " on http://127.0.0.1:" + port + " under " + javaHome + " (log " + log + ") ...");
    ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort())
        .directory(home.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", javaHome.toString());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword(home.getParent()));
    env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
    long started = System.nanoTime();
    process = builder.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = started + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " (is port " + port
            + " in use? --keycloak-port picks another); see " + log);
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/realms/master"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          out.printf("Keycloak running at %s after %.1fs%n", url(), (System.nanoTime() - started) / 1e9);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    close();
    throw new IllegalStateException("Keycloak did not answer within " + timeout.toSeconds() + "s; see " + log);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public KeycloakAdmin admin() {
    return admin;
  }

  /** Where the bootstrap administrator's password is kept. */
  public Path adminCredentials() {
    return home.getParent().resolve("admin.properties");
  }

  /** The bootstrap administrator's password: made once, kept owner-only beside the distribution. */
  private static String adminPassword(Path dir) throws IOException {
    Path file = dir.resolve("admin.properties");
    Properties props = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      }
      return props.getProperty("password");
    }
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    props.setProperty("username", ADMIN);
    props.setProperty("password", HexFormat.of().formatHex(secret));
    StringWriter text = new StringWriter();
    props.store(text, "the local Keycloak's bootstrap administrator (master realm)");
    OwnerOnlyFiles.write(file, text.toString());
    return props.getProperty("password");
  }

  /** Stops Keycloak (SIGTERM, then kill); its database stays in the data folder. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
