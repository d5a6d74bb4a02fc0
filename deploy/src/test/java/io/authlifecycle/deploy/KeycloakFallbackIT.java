package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.testing.KafkaTestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --keycloak} where Keycloak cannot run: the stack says why and the gateway stays in shadow mode. */
class KeycloakFallbackIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dataDir;

  @Test
  void withoutAJava21TheStackSaysSoAndTheGatewayStaysOnTheDryRunAdapter() throws Exception {
    Path java17 = Files.createDirectories(dataDir.resolve("jdk-17"));
    Files.writeString(java17.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
    Path java = Files.createDirectories(java17.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      Stack.Options options = new Stack.Options(dataDir, Optional.of(kafka.bootstrapServers()), 0, 0, 0, Optional.empty(),
          Set.of("idp-gateway"), false, false, WAIT, false, new Stack.KeycloakOptions(true, 0, Optional.of(java17)));
      try (Stack stack = Stack.start(options, out)) {
        Components.Started gateway = stack.components().started().get(0);
        String ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.httpPort() + "/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(console.toString(StandardCharsets.UTF_8)).contains("Keycloak: not started: Keycloak needs Java 21 or later "
            + "and none was found (looked at " + java17 + " (Java 17)); install one (e.g. under /usr/lib/jvm) or name it with "
            + "--keycloak-java-home or KEYCLOAK_JAVA_HOME. The IdP gateway stays on the dry-run adapter (shadow mode): "
            + "nothing changes at an IdP.");
        assertThat(gateway.name()).isEqualTo("idp-gateway");
        assertThat(ready).contains("\"shadowMode\":true");
        assertThat(dataDir.resolve("keycloak")).doesNotExist();
      }
    }
  }
}
