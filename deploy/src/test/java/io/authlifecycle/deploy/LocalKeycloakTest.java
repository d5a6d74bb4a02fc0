package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LocalKeycloakTest {

  @Test
  void theLocalStackRunsTheKeycloakTheBuildTestsAgainst() throws Exception {
    for (String module : new String[] {"../idp-gateway/pom.xml", "../e2e/pom.xml"}) {
      Matcher version = Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>").matcher(Files.readString(Path.of(module)));

      assertThat(version.find()).as(module).isTrue();
      assertThat(LocalKeycloak.VERSION).as(module).isEqualTo(version.group(1));
    }
  }
}
