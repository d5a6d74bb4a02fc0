package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static io.authlifecycle.joiner.JoinerFixtures.leaver;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.state.TimerEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kinds the decisions cancel one by one must cover every timer the joiner schedules of that group. */
class TimerKindsTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  @Test
  void everyTimerTheJoinerSchedulesIsAmongTheKindsItsDecisionsCancel() {
    Machine alice = new Machine(Map.of("joiner.ticket.lifetime", "8h",
        "joiner.ticket.reminder-offsets", "7h,6h,5h,4h,3h,2h,1h"));

    alice.hr(joiner("alice", "hr-1", T0).build(), T0);
    List<String> ticketTimers = List.copyOf(alice.timers.keySet());
    String ticket = alice.ticketId("hr-1");
    var consumed = alice.fact(bound("alice", "f-1", "a-1", FactorType.HARDWARE_PASSKEY, ticket, T0).build(), T0);

    assertThat(ticketTimers).hasSize(8).allSatisfy(kind -> assertThat(kind).startsWith("ticket."));
    assertThat(consumed.cancelled()).containsAll(ticketTimers)
        .doesNotContain(JoinerDecisions.SECOND_FACTOR_TIMER)
        .contains(JoinerDecisions.TICKET_REMINDER_TIMER + (7 + JoinerRecords.SPARE_REMINDER_KINDS - 1))
        .allSatisfy(kind -> assertThat(kind).startsWith("ticket."));
    assertThat(alice.timers.values()).extracting(TimerEntry::getKind)
        .containsExactly(JoinerDecisions.SECOND_FACTOR_TIMER);

    var closed = alice.hr(leaver("alice", "hr-9", T0).build(), T0);

    assertThat(closed.cancelled())
        .contains(JoinerDecisions.SECOND_FACTOR_TIMER, JoinerDecisions.LEAVER_EFFECTIVE_TIMER);
    assertThat(alice.timers).isEmpty();
  }
}
