package io.authlifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  private static final Setting<Duration> DEADLINE = Setting.duration("leaver.completion.deadline", "5m", "deadline");
  private static final Setting<Integer> LIMIT = Setting.integer("recovery.rate.limit", 3, "limit")
      .validate(n -> n > 0, "must be positive");
  private static final Setting<String> REALM = Setting.string("keycloak.realm", null, "realm").required();
  private static final List<Setting<?>> DECLARED = List.of(DEADLINE, LIMIT, REALM);

  @Test
  void defaultsThenFileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker.properties");
    Files.writeString(file, "leaver.completion.deadline=10m\nrecovery.rate.limit=5\nkeycloak.realm=file\nkafka.security.protocol=SASL_PLAINTEXT\n");

    Settings fromFile = Settings.load(DECLARED, Optional.of(file), Map.of(), Map.of());
    assertThat(fromFile.get(DEADLINE)).isEqualTo(Duration.ofMinutes(10));
    assertThat(fromFile.get(LIMIT)).isEqualTo(5);
    assertThat(fromFile.kafkaOverrides()).containsEntry("security.protocol", "SASL_PLAINTEXT");

    Settings fromEnv = Settings.load(DECLARED, Optional.of(file),
        Map.of("LIFECYCLE_RECOVERY_RATE_LIMIT", "7", "LIFECYCLE_KAFKA_SASL_MECHANISM", "PLAIN"), Map.of());
    assertThat(fromEnv.get(LIMIT)).isEqualTo(7);
    assertThat(fromEnv.get(DEADLINE)).isEqualTo(Duration.ofMinutes(10));
    assertThat(fromEnv.kafkaOverrides()).containsEntry("sasl.mechanism", "PLAIN");
    assertThat(fromEnv.sourceOf("recovery.rate.limit")).isEqualTo("environment variable LIFECYCLE_RECOVERY_RATE_LIMIT");

    Settings defaults = Settings.load(DECLARED, Optional.empty(), Map.of("LIFECYCLE_KEYCLOAK_REALM", "r"), Map.of());
    assertThat(defaults.get(DEADLINE)).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.get(LIMIT)).isEqualTo(3);
  }

  @Test
  void aBadValueStopsStartUpNamingTheKeyAndItsSource() {
    assertThatThrownBy(() -> Settings.load(DECLARED, Optional.empty(),
        Map.of("LIFECYCLE_LEAVER_COMPLETION_DEADLINE", "soon", "LIFECYCLE_KEYCLOAK_REALM", "r"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'leaver.completion.deadline'")
        .hasMessageContaining("'soon'")
        .hasMessageContaining("environment variable LIFECYCLE_LEAVER_COMPLETION_DEADLINE");
  }

  @Test
  void aValueBreakingItsRuleNamesTheKeyAndTheRule() {
    assertThatThrownBy(() -> Settings.load(DECLARED, Optional.empty(),
        Map.of("LIFECYCLE_RECOVERY_RATE_LIMIT", "0", "LIFECYCLE_KEYCLOAK_REALM", "r"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'recovery.rate.limit'")
        .hasMessageContaining("must be positive");
  }

  @Test
  void aMissingRequiredValueNamesTheKeyAndItsEnvironmentVariable() {
    assertThatThrownBy(() -> Settings.load(DECLARED, Optional.empty(), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'keycloak.realm'")
        .hasMessageContaining("LIFECYCLE_KEYCLOAK_REALM")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("keycloak.realm"));
  }

  @Test
  void anUnreadableFileIsAConfigurationError(@TempDir Path dir) {
    assertThatThrownBy(() -> Settings.load(DECLARED, Optional.of(dir.resolve("missing.properties")), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read properties file");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Setting.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Setting.parseDuration("72h")).isEqualTo(Duration.ofHours(72));
    assertThat(Setting.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Setting.parseDuration("PT5M")).isEqualTo(Duration.ofMinutes(5));
  }
}
