package io.authlifecycle.recovery;

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

/** The worker as the runner sees it: registered, its settings documented as declared and checked at start. */
class RecoveryWorkerTest {

  @Test
  void isRegisteredSoTheLocalStackFindsIt() {
    assertThat(ServiceLoader.load(WorkerApp.class).stream().map(ServiceLoader.Provider::type))
        .contains(RecoveryWorker.class);
  }

  @Test
  void readmeListsTheSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("README.md", RecoverySettings.ALL);
  }

  @Test
  void theRulesAreBuiltFromTheSettingsWithTheirOverrides() {
    RecoveryRules rules = RecoveryRules.from(WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL,
        Map.of("recovery.cooling-off.privileged", "48h", "recovery.quorum.standard", "2")));

    assertThat(rules.coolingOff(true)).isEqualTo(Duration.ofHours(48));
    assertThat(rules.coolingOff(false)).isEqualTo(Duration.ofHours(1));
    assertThat(rules.quorum(false)).isEqualTo(2);
    assertThat(rules.quorum(true)).isEqualTo(2);
    assertThat(rules.ticketLifetime()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aPrivilegedQuorumBelowTwoOrATicketLongerThanTenMinutesFailsAtStartNamingTheKey() {
    assertThatThrownBy(() -> WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL,
            Map.of("recovery.quorum.privileged", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("recovery.quorum.privileged")
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL,
            Map.of("recovery.ticket.lifetime", "11m")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("recovery.ticket.lifetime")
        .hasMessageContaining("at most 10m");
  }
}
