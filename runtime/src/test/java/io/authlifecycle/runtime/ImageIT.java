package io.authlifecycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.core.testing.KafkaTestCluster;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Jib built ({@code target/lifecycle-runtime-image.tar}): its layers unpacked into a root
 * folder and its entrypoint run as a container runtime would (as root: chroot as the image's user,
 * with /proc, /dev and /etc/hosts mounted; otherwise the image's own JRE with its paths rebased),
 * against a real broker, until the component is ready. Prints the image's size and layers.
 */
class ImageIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  static Path root;
  static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    Path tar = Path.of(System.getProperty("image.tar", "target/lifecycle-runtime-image.tar"));
    assertThat(tar).exists();
    Path image = Files.createDirectories(work.resolve("image"));
    root = Files.createDirectories(work.resolve("root"));
    exec(List.of("tar", "-xf", tar.toString(), "-C", image.toString()));
    JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
    config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");

    long compressed = Files.size(image.resolve(manifest.get("Config").asText()));
    long unpacked = 0;
    System.out.printf("Image %s (%s)%n", manifest.get("RepoTags").get(0).asText(), tar.getFileName());
    int n = 0;
    for (JsonNode layer : manifest.get("Layers")) {
      Path file = image.resolve(layer.asText());
      List<String> entries = exec(List.of("tar", "-tzvf", file.toString()));
      long size = entries.stream().mapToLong(ImageIT::entrySize).sum();
      compressed += Files.size(file);
      unpacked += size;
      System.out.printf("  layer %d  %s  %,11d bytes compressed  %,11d unpacked  %s%n", ++n, layer.asText().substring(0, 12),
          Files.size(file), size, topFolders(entries));
      exec(List.of("tar", "-xzf", file.toString(), "-C", root.toString()));
    }
    System.out.printf("  total    %,d bytes compressed (%.1f MB), %,d unpacked (%.1f MB)%n", compressed, compressed / 1e6,
        unpacked, unpacked / 1e6);
    System.out.println("  entrypoint " + config.get("Entrypoint") + " cmd " + config.get("Cmd") + " user " + config.get("User"));
  }

  @Test
  void runsTheRuntimeOnItsOwnJreAsANonRootUserWithNoBrokerOrScalaJar() throws Exception {
    assertThat(strings(config.get("Entrypoint"))).containsExactly("/opt/java/bin/java", "-XX:MaxRAMPercentage=75",
        "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", LifecycleRuntime.class.getName());
    assertThat(config.get("User").asText()).isEqualTo("10001:10001");
    assertThat(strings(config.get("Env"))).contains("LIFECYCLE_HTTP_HOST=0.0.0.0", "LIFECYCLE_HTTP_PORT=8080");
    try (Stream<Path> libs = Files.list(root.resolve("app/libs"))) {
      List<String> jars = libs.map(p -> p.getFileName().toString()).toList();
      assertThat(jars).anyMatch(j -> j.startsWith("kafka-streams-"))
          .noneMatch(j -> RuntimeClasspathTest.BROKER_OR_SCALA.matcher(j).matches());
    }
    assertThat(Files.readString(root.resolve("app/jib-classpath-file"))).contains("/app/libs/kafka-clients-");
  }

  @Test
  void theDefaultCommandPrintsUsageWithEveryComponent() throws Exception {
    Process p = start(strings(config.get("Cmd")), Map.of());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).startsWith("usage: lifecycle-runtime COMPONENT")
        .contains("joiner-worker", "mover-worker", "leaver-worker", "recovery-worker", "ocsf-feed", "idp-gateway", "lifecycle-ingest",
            "approver-console");
  }

  @Test
  void theEntrypointStartsAWorkerThatBecomesReadyAndLogsJsonLines() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      Path output = work.resolve("leaver-worker.log");
      Process p = start(List.of("leaver-worker"), Map.of(
          "LIFECYCLE_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
          "LIFECYCLE_HTTP_PORT", String.valueOf(port),
          "LIFECYCLE_HTTP_ADVERTISED_HOST", "127.0.0.1",
          "LIFECYCLE_STATE_DIR", "/tmp/state"), output);
      int ready = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      while (ready != 200 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(250);
        try {
          ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
          ready = 0;
        }
      }
      // SIGTERM to the JVM, as a runtime stops a container (unshare itself ignores it while it waits).
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      List<String> lines = Files.readAllLines(output);
      String log = String.join("\n", lines);
      System.out.println("exit " + (exited ? p.exitValue() : "none") + ", " + lines.size() + " lines");

      assertThat(ready).as(log).isEqualTo(200);
      assertThat(exited).as("stops on SIGTERM").isTrue();
      List<JsonNode> json = new ArrayList<>();
      for (String line : lines) {
        json.add(JSON.readTree(line));
      }
      assertThat(json).allSatisfy(l -> assertThat(l.has("@timestamp") && l.has("level") && l.has("message")).isTrue())
          .noneMatch(l -> l.get("level").asText().equals("DEBUG"));
      assertThat(json).anyMatch(l -> l.get("message").asText().contains("leaver-worker: every topic it needs is there"))
          .anyMatch(l -> l.get("message").asText().contains("state REBALANCING -> RUNNING"))
          .anyMatch(l -> l.get("message").asText().contains("-> NOT_RUNNING"));
    }
  }

  /** The image's entrypoint with these arguments, as a container runtime would run it where this test can. */
  private static Process start(List<String> args, Map<String, String> extraEnv) throws IOException {
    return start(args, extraEnv, null);
  }

  /** With {@code output} set, stdout and stderr go to that file; else to the process's input stream. */
  private static Process start(List<String> args, Map<String, String> extraEnv, Path output) throws IOException {
    List<String> entrypoint = strings(config.get("Entrypoint"));
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : strings(config.get("Env"))) {
      env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    }
    env.putAll(extraEnv);
    List<String> command = new ArrayList<>();
    if (containerLike()) {
      for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
        Path mountPoint = root.resolve(file);
        if (!Files.exists(mountPoint)) {
          Files.createFile(mountPoint);
        }
      }
      Files.createDirectories(root.resolve("proc"));
      Files.createDirectories(root.resolve("dev"));
      String r = root.toString();
      StringBuilder script = new StringBuilder("mount -t proc proc " + r + "/proc && mount --rbind /dev " + r + "/dev"
          + " && mount --bind /etc/hosts " + r + "/etc/hosts && mount --bind /etc/resolv.conf " + r + "/etc/resolv.conf"
          + " && exec chroot --userspec=" + config.get("User").asText() + " " + r);
      for (String a : entrypoint) {
        script.append(' ').append(a);
      }
      for (String a : args) {
        script.append(' ').append(a);
      }
      command.addAll(List.of("unshare", "--mount", "--fork", "--kill-child=SIGTERM", "sh", "-c", script.toString()));
    } else {
      // No privileges for a mount namespace: the image's JRE and class path, their paths rebased onto the unpacked root.
      String rebased = Files.readString(root.resolve("app/jib-classpath-file")).strip().replace("/app/", root + "/app/");
      Path classpathFile = Files.writeString(work.resolve("jib-classpath-file"), rebased);
      for (String a : entrypoint) {
        command.add(a.equals("@/app/jib-classpath-file") ? "@" + classpathFile : a.startsWith("/") ? root + a : a);
      }
      command.addAll(args);
      env.put("LIFECYCLE_STATE_DIR", work.resolve("state").toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (output != null) {
      pb.redirectOutput(output.toFile());
    }
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().putAll(env);
    return pb.start();
  }

  private static boolean containerLike() {
    try {
      return "root".equals(System.getProperty("user.name"))
          && exec(List.of("unshare", "--mount", "--fork", "true")) != null;
    } catch (IOException | InterruptedException | AssertionError e) {
      return false;
    }
  }

  private static List<String> exec(List<String> command) throws IOException, InterruptedException {
    Path err = Files.createTempFile(work, "stderr", ".txt");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(command + " failed: " + out + Files.readString(err));
    }
    return out.lines().toList();
  }

  private static long entrySize(String tarLine) {
    String[] f = tarLine.trim().split("\\s+");
    return f.length > 2 ? Long.parseLong(f[2]) : 0;
  }

  private static String topFolders(List<String> entries) {
    TreeSet<String> top = new TreeSet<>();
    for (String e : entries) {
      String path = e.trim().split("\\s+", 6)[5].replaceFirst("^\\./", "").replaceFirst(" -> .*", "");
      String[] parts = path.split("/");
      if (!path.isBlank()) {
        top.add(parts.length > 2 ? parts[0] + "/" + parts[1] : path.replaceFirst("/$", ""));
      }
    }
    return String.join(" ", top);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
