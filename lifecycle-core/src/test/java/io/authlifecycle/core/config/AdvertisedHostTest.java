package io.authlifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an instance advertises for interactive queries (Streams' application.server). */
class AdvertisedHostTest {

  @Test
  void advertisesTheConfiguredHostWhenSet() {
    assertThat(CoreSettings.advertisedHost("10.1.2.3", "0.0.0.0", () -> "pod-0")).isEqualTo("10.1.2.3");
  }

  @Test
  void advertisesTheBindHostWhenItIsOneAddress() {
    assertThat(CoreSettings.advertisedHost("", "127.0.0.2", () -> "pod-0")).isEqualTo("127.0.0.2");
  }

  @Test
  void advertisesTheLocalHostNameWhenBindingEveryAddressNeverTheWildcard() {
    assertThat(CoreSettings.advertisedHost("", "0.0.0.0", () -> "pod-0")).isEqualTo("pod-0");
    assertThat(CoreSettings.advertisedHost(" ", "::", () -> "pod-1")).isEqualTo("pod-1");
  }

  @Test
  void isReadFromTheEnvironmentAndLeftBlankByDefault() {
    Settings unset = Settings.load(CoreSettings.ALL, Optional.empty(), Map.of(), Map.of());
    Settings fromEnv = Settings.load(CoreSettings.ALL, Optional.empty(),
        Map.of("LIFECYCLE_HTTP_ADVERTISED_HOST", "10.0.0.7", "LIFECYCLE_HTTP_HOST", "0.0.0.0"), Map.of());

    assertThat(unset.get(CoreSettings.HTTP_ADVERTISED_HOST)).isEmpty();
    assertThat(CoreSettings.advertisedHost(unset)).isEqualTo("127.0.0.1");
    assertThat(CoreSettings.advertisedHost(fromEnv)).isEqualTo("10.0.0.7");
  }
}
