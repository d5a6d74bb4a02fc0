package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakJdkTest {

  @TempDir
  Path dir;

  @Test
  void findsTheFirstJdkOf21OrLaterAndNamesTheOlderOnesItPassed() throws Exception {
    Path running = jdk("running-17", "17.0.15");
    Path jvm = Files.createDirectories(dir.resolve("jvm"));
    jdk("jvm/java-17-openjdk-amd64", "17.0.15");
    Path temurin = jdk("jvm/temurin-25-jdk-amd64", "25.0.1");
    Files.createDirectories(jvm.resolve("not-a-jdk"));

    KeycloakJdk.Search search = KeycloakJdk.find(Optional.empty(), Map.of(), running, List.of(jvm, dir.resolve("absent")));

    assertThat(search.found()).contains(temurin);
    assertThat(search.looked()).containsExactly(running + " (Java 17)");
  }

  @Test
  void keycloakJavaHomeComesBeforeJavaHomeAndTheMachinesJdks() throws Exception {
    Path chosen = jdk("chosen", "21.0.2");
    Path other = jdk("other", "24");

    KeycloakJdk.Search search = KeycloakJdk.find(Optional.empty(),
        Map.of("KEYCLOAK_JAVA_HOME", chosen.toString(), "JAVA_HOME", other.toString()), other, List.of());

    assertThat(search.found()).contains(chosen);
  }

  @Test
  void aConfiguredJdkIsTheOnlyOneTriedAndTooOldIsSaidSo() throws Exception {
    Path old = jdk("old", "17.0.15");
    Path jvm = Files.createDirectories(dir.resolve("jvm"));
    jdk("jvm/temurin-25", "25.0.1");

    KeycloakJdk.Search search = KeycloakJdk.find(Optional.of(old), Map.of(), old, List.of(jvm));

    assertThat(search.found()).isEmpty();
    assertThat(search.reason()).isEqualTo("Keycloak needs Java 21 or later and none was found (looked at " + old + " (Java 17))");
  }

  @Test
  void noJdkAnywhereIsSaidPlainly() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    KeycloakJdk.Search search = KeycloakJdk.find(Optional.of(empty), Map.of(), empty, List.of());

    assertThat(search.found()).isEmpty();
    assertThat(search.reason()).endsWith("(looked at " + empty + " (not a JDK))");
    assertThat(KeycloakJdk.majorVersion(jdk("legacy", "1.8.0_402"))).isEqualTo(8);
  }

  /** A folder that looks like a JDK of that version: a release file and an executable bin/java. */
  private Path jdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
