package io.authlifecycle.leaver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.testing.ReadmeSettings;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LeaverWorkerTest {

  @Test
  void isRegisteredSoTheLocalStackFindsIt() {
    assertThat(ServiceLoader.load(WorkerApp.class).stream().map(ServiceLoader.Provider::type))
        .contains(LeaverWorker.class);
  }

  @Test
  void theConfirmationDeadlineDefaultsToFiveMinutesAndCanBeSet() {
    WorkerContext defaults = WorkerContext.forTest(LeaverWorker.NAME, LeaverSettings.ALL, Map.of());
    WorkerContext custom = WorkerContext.forTest(LeaverWorker.NAME, LeaverSettings.ALL,
        Map.of("leaver.confirmation-deadline", "90s"));

    assertThat(defaults.get(LeaverSettings.CONFIRMATION_DEADLINE)).isEqualTo(Duration.ofMinutes(5));
    assertThat(custom.get(LeaverSettings.CONFIRMATION_DEADLINE)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void readmeListsTheSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("README.md", LeaverSettings.ALL);
  }

  @Test
  void aDeadlineThatIsNotPositiveFailsAtStartNamingTheKey() {
    assertThatThrownBy(() -> WorkerContext.forTest(LeaverWorker.NAME, LeaverSettings.ALL,
            Map.of("leaver.confirmation-deadline", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("leaver.confirmation-deadline")
        .hasMessageContaining("must be positive");
  }
}
