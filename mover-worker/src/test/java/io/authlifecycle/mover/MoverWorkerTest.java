package io.authlifecycle.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.testing.ReadmeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MoverWorkerTest {

  @Test
  void theWorkerIsRegisteredForTheLocalStack() {
    assertThat(ServiceLoader.load(WorkerApp.class).stream().map(p -> p.type().getName()))
        .contains(MoverWorker.class.getName());
  }

  @Test
  void settingsBecomeTheDecisionRules() {
    WorkerContext context = WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL,
        Map.of("mover.expiry.reminders", "3d, 30d ,7d", "mover.rebind.grace", "48h", "mover.stale.after", "PT2160H",
            "mover.use.resolution", "0s"));

    MoverRules rules = MoverRules.from(context);

    assertThat(rules.expiryReminders()).containsExactly(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(3));
    assertThat(rules.rebindGrace()).isEqualTo(Duration.ofHours(48));
    assertThat(rules.staleAfter()).isEqualTo(Duration.ofDays(90));
    assertThat(rules.useResolution()).isZero();
    assertThat(rules.worker()).isEqualTo("mover-worker");
  }

  @Test
  void readmeListsTheSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("README.md", MoverSettings.ALL);
  }

  @Test
  void aBadReminderListFailsAtStartNamingTheKey() {
    assertThatThrownBy(() -> WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL,
        Map.of("mover.expiry.reminders", "14d,soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mover.expiry.reminders");
    assertThatThrownBy(() -> WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, Map.of("mover.rebind.grace", "0h")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mover.rebind.grace");
    assertThatThrownBy(() -> WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, Map.of("mover.use.resolution", "2d")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mover.use.resolution");
  }

  @Test
  void aRebindTicketMayLiveAtMostEightHours() {
    for (String key : List.of("mover.rebind.ticket-lifetime", "mover.device-loss.ticket-lifetime")) {
      assertThatThrownBy(() -> WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, Map.of(key, "9h")))
          .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining("at most 8h");
      assertThat(WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, Map.of(key, "8h")).get(
          key.contains("loss") ? MoverSettings.LOSS_TICKET_LIFETIME : MoverSettings.REBIND_TICKET_LIFETIME))
          .isEqualTo(Duration.ofHours(8));
    }
  }

  @Test
  void noRemindersIsAllowed() {
    WorkerContext context = WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, Map.of("mover.expiry.reminders", ""));

    assertThat(MoverRules.from(context).expiryReminders()).isEqualTo(List.of());
  }
}
