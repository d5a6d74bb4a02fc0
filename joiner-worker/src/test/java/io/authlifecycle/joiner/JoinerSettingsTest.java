package io.authlifecycle.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.testing.ReadmeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JoinerSettingsTest {

  private static WorkerContext context(Map<String, String> overrides) {
    return WorkerContext.forTest(JoinerWorker.NAME, JoinerSettings.ALL, overrides);
  }

  @Test
  void theDefaultsAreOneHourTicketsThroughTheIdpPortalWithTwoRemindersAndASevenDaySecondFactorNudge() {
    WorkerContext defaults = context(Map.of());

    assertThat(JoinerRules.from(defaults)).isEqualTo(new JoinerRules(JoinerWorker.NAME, defaults.policy(),
        Duration.ofHours(1), Channel.IDP_PORTAL, List.of(Duration.ofMinutes(30), Duration.ofMinutes(10)),
        Duration.ofDays(7), new StandingRules(defaults.policy(), Duration.ofDays(30))));
  }

  @Test
  void everySettingCanBeChanged() {
    WorkerContext custom = context(Map.of("joiner.ticket.lifetime", "8h",
        "joiner.ticket.delivery-channel", "in_person", "joiner.ticket.reminder-offsets", "4h, 1h,15m",
        "joiner.second-factor.reminder-after", "3d", "hr.rehire.max-verification-age", "14d"));

    assertThat(JoinerRules.from(custom)).isEqualTo(new JoinerRules(JoinerWorker.NAME, custom.policy(),
        Duration.ofHours(8), Channel.IN_PERSON,
        List.of(Duration.ofHours(4), Duration.ofHours(1), Duration.ofMinutes(15)), Duration.ofDays(3),
        new StandingRules(custom.policy(), Duration.ofDays(14))));
  }

  @Test
  void readmeListsTheSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("README.md", JoinerSettings.ALL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"9h", "0s", "2d"})
  void aTicketLifetimeOutsideZeroToEightHoursStopsTheWorkerNamingTheKey(String lifetime) {
    assertThatThrownBy(() -> context(Map.of("joiner.ticket.lifetime", lifetime)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("joiner.ticket.lifetime")
        .hasMessageContaining("at most 8h");
  }

  @ParameterizedTest
  @ValueSource(strings = {"WORK_EMAIL", "personal_email", "UNKNOWN"})
  void aTicketIsNeverDeliveredByEmail(String channel) {
    assertThatThrownBy(() -> context(Map.of("joiner.ticket.delivery-channel", channel)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("joiner.ticket.delivery-channel")
        .hasMessageContaining("must not be an email channel");
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "30m,x", "0m"})
  void reminderOffsetsMustBePositiveDurations(String offsets) {
    assertThatThrownBy(() -> context(Map.of("joiner.ticket.reminder-offsets", offsets)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("joiner.ticket.reminder-offsets");
  }

  @Test
  void aReminderOffsetNotInsideTheTicketLifetimeStopsTheWorkerAtStart() {
    WorkerContext context = context(Map.of("joiner.ticket.lifetime", "1h", "joiner.ticket.reminder-offsets", "30m,1h"));

    assertThatThrownBy(() -> new JoinerWorker().buildTopology(context))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("joiner.ticket.reminder-offsets")
        .hasMessageContaining("reminder offset PT1H is not shorter than the ticket lifetime PT1H");
  }

  @Test
  void noRemindersIsAValidChoice() {
    assertThat(JoinerRules.from(context(Map.of("joiner.ticket.reminder-offsets", ""))).reminderOffsets()).isEmpty();
  }

  @Test
  void theSecondFactorPeriodMustBePositive() {
    assertThatThrownBy(() -> context(Map.of("joiner.second-factor.reminder-after", "0d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("joiner.second-factor.reminder-after");
  }
}
