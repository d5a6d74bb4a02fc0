package io.authlifecycle.core.timers;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimerTicksTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration NEAR = Duration.ofMillis(100);

  private MockProcessorContext<Object, Object> context;
  private TimerIndex timers;
  private final List<String> fired = new ArrayList<>();

  @BeforeEach
  void openIndex() {
    context = new MockProcessorContext<>();
    KeyValueStore<String, TimerEntry> byDue = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("t-timers-by-due"),
        Serdes.String(), AvroSerde.of(TimerEntry.class)).withLoggingDisabled().build();
    byDue.init(context.getStateStoreContext(), byDue);
    context.addStateStore(byDue);
    timers = TimerIndex.open(context, "t");
  }

  private TimerTicks start(Duration near, int batch) {
    return TimerTicks.start(context, timers, TICK, near, batch, e -> fired.add(e.getOwner()));
  }

  @Test
  void aTimerDueBeforeTheNextTickFiresOnTheNearTickAfterItsDueTimeNotOnTheNextTick() {
    TimerTicks ticks = start(NEAR, 100);
    timers.schedule(timer("alice", T0.plusMillis(1_450)), null);

    // After a start the low-water mark is unknown: the near ticks run until the index has been read once.
    ticks.watch(at(0));
    assertThat(ticks.nearTicking()).isTrue();
    near(at(100));
    assertThat(fired).isEmpty();
    assertThat(ticks.nearTicking()).as("alice is due after the next tick: no near ticks until then").isFalse();

    tick(at(1_000));
    assertThat(ticks.nearTicking()).isTrue();
    near(at(1_400));
    assertThat(fired).isEmpty();
    near(at(1_500));
    assertThat(fired).containsExactly("alice");
    assertThat(ticks.nearTicking()).as("nothing left pending").isFalse();
  }

  @Test
  void nothingDueSoonSchedulesNoNearTicksSoAnIdleWorkerCommitsOnlyOnTheTick() {
    TimerTicks ticks = start(NEAR, 100);
    timers.schedule(timer("alice", T0.plus(Duration.ofDays(30))), null);
    ticks.watch(at(0));
    near(at(100));

    for (int s = 1; s <= 5; s++) {
      tick(at(s * 1_000L));
      ticks.watch(at(s * 1_000L + 10));
    }

    assertThat(ticks.nearTicking()).isFalse();
    assertThat(context.scheduledPunctuators()).filteredOn(p -> p.getInterval().equals(NEAR))
        .hasSize(1).allMatch(CapturedPunctuator::cancelled);
  }

  @Test
  void anInputThatSchedulesATimerDueWithinATickStartsTheNearTicks() {
    TimerTicks ticks = start(NEAR, 100);
    timers.schedule(timer("alice", T0.plus(Duration.ofDays(30))), null);
    ticks.watch(at(0));
    near(at(100));
    assertThat(ticks.nearTicking()).isFalse();

    timers.schedule(timer("bob", T0.plusMillis(700)), null);
    ticks.watch(at(200));
    assertThat(ticks.nearTicking()).isTrue();
    near(at(700));
    assertThat(fired).containsExactly("bob");
  }

  @Test
  void aFullBatchKeepsTheNearTicksGoingUntilTheBacklogIsFired() {
    TimerTicks ticks = start(NEAR, 2);
    for (int i = 0; i < 5; i++) {
      timers.schedule(timer("s" + i, T0.plusMillis(i)), null);
    }
    tick(at(1_000));
    assertThat(fired).containsExactly("s0", "s1");
    assertThat(ticks.nearTicking()).isTrue();
    near(at(1_100));
    near(at(1_200));
    assertThat(fired).containsExactly("s0", "s1", "s2", "s3", "s4");
  }

  @Test
  void aNearTickNotShorterThanTheTickLeavesTheTickAlone() {
    TimerTicks ticks = start(TICK, 100);
    timers.schedule(timer("alice", T0.plusMillis(300)), null);
    ticks.watch(at(0));
    assertThat(ticks.nearTicking()).isFalse();
    assertThat(context.scheduledPunctuators()).hasSize(1);
    tick(at(1_000));
    assertThat(fired).containsExactly("alice");
  }

  private static long at(long millisAfterT0) {
    return T0.toEpochMilli() + millisAfterT0;
  }

  private void tick(long now) {
    live(TICK).getPunctuator().punctuate(now);
  }

  private void near(long now) {
    live(NEAR).getPunctuator().punctuate(now);
  }

  private CapturedPunctuator live(Duration interval) {
    return context.scheduledPunctuators().stream()
        .filter(p -> p.getInterval().equals(interval) && !p.cancelled())
        .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no live punctuator every " + interval));
  }

  private static TimerEntry timer(String owner, Instant due) {
    return TimerEntry.newBuilder().setOwner(owner).setKind("k").setDueAt(due).build();
  }
}
