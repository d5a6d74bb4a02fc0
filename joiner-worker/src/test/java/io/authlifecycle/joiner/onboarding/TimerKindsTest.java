package io.authlifecycle.joiner.onboarding;

import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.AssurancePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kinds the processor cancels one by one must cover every timer the joiner schedules under a cancelled prefix. */
class TimerKindsTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  @Test
  void everyTimerTheJoinerSchedulesIsAmongTheKindsOfItsCancelledPrefix() {
    List<Duration> reminders = new ArrayList<>();
    for (int h = 7; h >= 1; h--) {
      reminders.add(Duration.ofHours(h));
    }
    Machine alice = new Machine(AssurancePolicy.defaults(),
        new JoinerConfig(Duration.ofHours(8), Channel.IDP_PORTAL, reminders, Duration.ofDays(7)));

    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    List<String> ticketTimers = List.copyOf(alice.timers.keySet());
    String ticket = alice.onboarding.ticketId("hr-1");
    alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, T0).build(), T0);

    assertThat(ticketTimers).hasSize(8).allSatisfy(kind -> assertThat(kind).startsWith(Actions.TICKET_TIMERS));
    assertThat(alice.onboarding.timerKinds(Actions.TICKET_TIMERS)).containsAll(ticketTimers)
        .doesNotContain(Actions.TIMER_SECOND_FACTOR)
        .contains(Actions.TIMER_TICKET_REMINDER + (reminders.size() + Onboarding.SPARE_REMINDER_KINDS - 1));
    assertThat(alice.timers.values()).extracting(TimerEntry::getKind).containsExactly(Actions.TIMER_SECOND_FACTOR);
    assertThat(alice.onboarding.timerKinds(Actions.TIMER_SECOND_FACTOR)).containsExactly(Actions.TIMER_SECOND_FACTOR);
    assertThat(alice.onboarding.timerKinds(Actions.TIMER_LEAVER_EFFECTIVE)).containsExactly(Actions.TIMER_LEAVER_EFFECTIVE);
  }
}
