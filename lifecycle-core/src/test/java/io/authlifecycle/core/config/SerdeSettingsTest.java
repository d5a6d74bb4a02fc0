package io.authlifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.core.testing.ReadmeSettings;
import io.authlifecycle.schemas.RegistryOptions;
import io.authlifecycle.schemas.Wire;
import io.authlifecycle.schemas.WireFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerdeSettingsTest {

  @AfterEach
  void reset() {
    Wire.reset();
  }

  @Test
  void singleObjectWithoutARegistryIsTheDefault() {
    Settings settings = load(Map.of());

    SerdeSettings.apply(settings);

    assertThat(Wire.format()).isEqualTo(WireFormat.SINGLE_OBJECT);
    assertThat(Wire.registry()).isEmpty();
  }

  @Test
  void theRegistryFormatWithItsUrlAndBasicCredentialsIsAppliedToTheProcess() {
    Settings settings = load(Map.of("LIFECYCLE_SERDE_FORMAT", "registry",
        "LIFECYCLE_SERDE_REGISTRY_URL", "https://registry.example.internal/apis/registry/v2",
        "LIFECYCLE_SERDE_REGISTRY_USERNAME", "lifecycle", "LIFECYCLE_SERDE_REGISTRY_PASSWORD", "secret",
        "LIFECYCLE_SERDE_REGISTRY_AUTO_REGISTER", "false"));

    SerdeSettings.apply(settings);

    assertThat(Wire.format()).isEqualTo(WireFormat.REGISTRY);
    RegistryOptions registry = Wire.registry().orElseThrow();
    assertThat(registry.url()).isEqualTo("https://registry.example.internal/apis/registry/v2");
    assertThat(registry.username()).contains("lifecycle");
    assertThat(registry.autoRegister()).isFalse();
    assertThat(registry.toString()).doesNotContain("secret");
  }

  @Test
  void readersMayKnowARegistryWhileWritersStayOnSingleObject() {
    SerdeSettings.apply(load(Map.of("LIFECYCLE_SERDE_REGISTRY_URL", "http://127.0.0.1:8080/apis/registry/v2")));

    assertThat(Wire.format()).isEqualTo(WireFormat.SINGLE_OBJECT);
    assertThat(Wire.registry()).isPresent();
  }

  @Test
  void badSettingsStopStartUpNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("LIFECYCLE_SERDE_FORMAT", "confluent")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("serde.format").hasMessageContaining("single-object or registry");
    assertThatThrownBy(() -> SerdeSettings.registry(load(Map.of("LIFECYCLE_SERDE_FORMAT", "registry"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("serde.registry.url");
    assertThatThrownBy(() -> SerdeSettings.registry(load(Map.of("LIFECYCLE_SERDE_REGISTRY_URL", "registry:8080"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> SerdeSettings.registry(load(Map.of("LIFECYCLE_SERDE_REGISTRY_URL", "http://r/apis/registry/v2",
        "LIFECYCLE_SERDE_REGISTRY_USERNAME", "lifecycle"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("serde.registry.password");
    assertThatThrownBy(() -> SerdeSettings.registry(load(Map.of("LIFECYCLE_SERDE_REGISTRY_URL", "http://r/apis/registry/v2",
        "LIFECYCLE_SERDE_REGISTRY_OAUTH_CLIENT_ID", "c", "LIFECYCLE_SERDE_REGISTRY_OAUTH_CLIENT_SECRET", "s"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("serde.registry.oauth.token-endpoint");
  }

  @Test
  void theReadmeDocumentsEverySerdeSetting() {
    ReadmeSettings.assertDocumented("../README.md", SerdeSettings.ALL);
  }

  private static Settings load(Map<String, String> env) {
    return Settings.load(SerdeSettings.ALL, Optional.empty(), env, Map.of());
  }
}
