package io.authlifecycle.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds a Java runtime Keycloak can run on (21 or later) while the stack itself runs on 17: the
 * one named by {@code --keycloak-java-home} (only that one), else {@code KEYCLOAK_JAVA_HOME},
 * {@code JAVA_HOME}, this JVM, and every JDK under {@code /usr/lib/jvm}, {@code /opt} and
 * {@code /usr/local}, newest name first.
 */
public final class KeycloakJdk {

  public static final int MINIMUM = 21;
  /** Where JDKs are installed on Debian, by hand, and by most installers. */
  public static final List<Path> ROOTS = List.of(Path.of("/usr/lib/jvm"), Path.of("/opt"), Path.of("/usr/local"));

  /** The JDK found (if any), and every place looked at with what was there, for the message. */
  public record Search(Optional<Path> found, List<String> looked) {

    /** Why Keycloak cannot start here, naming what was looked at. */
    public String reason() {
      return "Keycloak needs Java " + MINIMUM + " or later and none was found (looked at "
          + (looked.isEmpty() ? "nothing" : String.join(", ", looked)) + ")";
    }
  }

  private KeycloakJdk() {}

  /** The search on this machine. */
  public static Search onThisMachine(Optional<Path> configured) {
    return find(configured, System.getenv(), Path.of(System.getProperty("java.home")), ROOTS);
  }

  /** The search over the given places; a configured home is the only one tried. */
  public static Search find(Optional<Path> configured, Map<String, String> env, Path running, List<Path> roots) {
    List<Path> candidates = new ArrayList<>();
    if (configured.isPresent()) {
      candidates.add(configured.get());
    } else {
      Optional.ofNullable(env.get("KEYCLOAK_JAVA_HOME")).filter(v -> !v.isBlank()).map(Path::of).ifPresent(candidates::add);
      Optional.ofNullable(env.get("JAVA_HOME")).filter(v -> !v.isBlank()).map(Path::of).ifPresent(candidates::add);
      candidates.add(running);
      for (Path root : roots) {
        try (Stream<Path> found = Files.list(root)) {
          found.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(candidates::add);
        } catch (IOException e) {
          // no such folder here
        }
      }
    }
    List<String> looked = new ArrayList<>();
    for (Path home : candidates.stream().distinct().toList()) {
      int major = majorVersion(home);
      boolean runnable = Files.isExecutable(home.resolve("bin").resolve("java"));
      if (major >= MINIMUM && runnable) {
        return new Search(Optional.of(home), looked);
      }
      if (major > 0 || configured.isPresent()) {
        looked.add(home + (major > 0 ? " (Java " + major + (runnable ? ")" : ", no bin/java)") : " (not a JDK)"));
      }
    }
    return new Search(Optional.empty(), looked);
  }

  /** The feature version a JDK's {@code release} file states, 0 if there is none. */
  static int majorVersion(Path javaHome) {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
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
}
