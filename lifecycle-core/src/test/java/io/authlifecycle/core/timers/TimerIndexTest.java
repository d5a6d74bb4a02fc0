package io.authlifecycle.core.timers;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimerIndexTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  private MockProcessorContext<Object, Object> context;
  private TimerIndex timers;
  private final List<String> fired = new ArrayList<>();

  @BeforeEach
  void openStores() {
    context = new MockProcessorContext<>();
    KeyValueStore<String, TimerEntry> byDue = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("t-timers-by-due"),
        Serdes.String(), AvroSerde.of(TimerEntry.class)).withLoggingDisabled().build();
    KeyValueStore<String, Long> byOwner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("t-timers-by-owner"),
        Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
    byDue.init(context.getStateStoreContext(), byDue);
    byOwner.init(context.getStateStoreContext(), byOwner);
    context.addStateStore(byDue);
    context.addStateStore(byOwner);
    timers = TimerIndex.open(context, "t");
    // The way a worker wires it: a wall-clock punctuator that fires what is due.
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME,
        now -> timers.fireDue(now, 100, e -> fired.add(e.getOwner() + "/" + e.getKind())));
  }

  @Test
  void withoutAnOwnerStoreTheCallerNamesTheDueTimeItMovesOrCancelsAndOneStoreHoldsEverything() {
    MockProcessorContext<Object, Object> ownContext = new MockProcessorContext<>();
    KeyValueStore<String, TimerEntry> byDue = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("m-timers-by-due"),
        Serdes.String(), AvroSerde.of(TimerEntry.class)).withLoggingDisabled().build();
    byDue.init(ownContext.getStateStoreContext(), byDue);
    ownContext.addStateStore(byDue);
    TimerIndex dueOnly = TimerIndex.open(ownContext, "m");
    List<String> firedHere = new ArrayList<>();

    assertThat(dueOnly.tracksOwners()).isFalse();
    dueOnly.schedule(timer("alice", "mover.next-due", T0.plusSeconds(30)), null);
    dueOnly.schedule(timer("alice", "mover.next-due", T0.plusSeconds(10)), T0.plusSeconds(30));
    dueOnly.schedule(timer("bob", "mover.next-due", T0.plusSeconds(20)), null);
    assertThat(dueOnly.cancel("bob", "mover.next-due", T0.plusSeconds(20))).isPresent();
    assertThat(dueOnly.cancel("bob", "mover.next-due", null)).isEmpty();
    dueOnly.fireDue(T0.plusSeconds(60).toEpochMilli(), 100, e -> firedHere.add(e.getOwner() + "@" + e.getDueAt()));

    assertThat(firedHere).containsExactly("alice@" + T0.plusSeconds(10));
    assertThat(byDue.approximateNumEntries()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dueOnly.pending("alice"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no owner store");
  }

  @Test
  void withAnOwnerStoreANamedDueTimeIsNotNeededAndTheOwnerStoreIsTrusted() {
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(30)));
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(10)), null);
    assertThat(timers.cancel("alice", "leaver.effective", null)).isPresent();
    punctuate(T0.plusSeconds(60));
    assertThat(fired).isEmpty();
  }

  @Test
  void firesOnlyDueTimersInDueOrder() {
    timers.schedule(timer("carol", "leaver.effective", T0.plusSeconds(30)));
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(10)));
    timers.schedule(timer("bob", "ticket.expiry", T0.plusSeconds(20)));
    timers.schedule(timer("dave", "leaver.effective", T0.plus(Duration.ofDays(400))));

    punctuate(T0.plusSeconds(9));
    assertThat(fired).isEmpty();

    punctuate(T0.plusSeconds(20));
    assertThat(fired).containsExactly("alice/leaver.effective", "bob/ticket.expiry");

    punctuate(T0.plusSeconds(31));
    assertThat(fired).containsExactly("alice/leaver.effective", "bob/ticket.expiry", "carol/leaver.effective");
    assertThat(timers.pending("dave")).hasSize(1);
    assertThat(timers.pending("alice")).isEmpty();
  }

  @Test
  void aTimerDueExactlyNowFires() {
    timers.schedule(timer("alice", "leaver.effective", T0));
    punctuate(T0);
    assertThat(fired).containsExactly("alice/leaver.effective");
  }

  @Test
  void cancelledTimersNeverFire() {
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(10)));
    timers.schedule(timer("alice", "ticket.reminder:1h", T0.plusSeconds(10)));

    assertThat(timers.cancel("alice", "leaver.effective")).isPresent();
    assertThat(timers.cancel("alice", "leaver.effective")).isEmpty();
    punctuate(T0.plusSeconds(60));

    assertThat(fired).containsExactly("alice/ticket.reminder:1h");
  }

  @Test
  void aTimerScheduledForATimeBeforeWhatAlreadyFiredStillFires() {
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(10)));
    punctuate(T0.plusSeconds(20));
    timers.schedule(timer("bob", "leaver.effective", T0.plusSeconds(5)));

    punctuate(T0.plusSeconds(21));

    assertThat(fired).containsExactly("alice/leaver.effective", "bob/leaver.effective");
  }

  @Test
  void aTimerScheduledAfterATickThatFoundNothingPendingFiresWhenDue() {
    punctuate(T0);
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(100)));
    timers.schedule(timer("bob", "leaver.effective", T0.plusSeconds(40)));

    punctuate(T0.plusSeconds(50));
    punctuate(T0.plusSeconds(99));
    assertThat(fired).containsExactly("bob/leaver.effective");
    punctuate(T0.plusSeconds(100));

    assertThat(fired).containsExactly("bob/leaver.effective", "alice/leaver.effective");
  }

  @Test
  void aHandlerMayScheduleAnotherTimerThatIsAlreadyDueAndItFiresOnTheNextTick() {
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(10)));
    timers.fireDue(T0.plusSeconds(20).toEpochMilli(), 100, e -> {
      fired.add(e.getOwner() + "/" + e.getKind());
      timers.schedule(timer("alice", "leaver.deadline", T0.plusSeconds(15)));
    });

    punctuate(T0.plusSeconds(21));

    assertThat(fired).containsExactly("alice/leaver.effective", "alice/leaver.deadline");
  }

  @Test
  void schedulingTheSameOwnerAndKindAgainReschedulesInsteadOfDuplicating() {
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(10)));
    timers.schedule(timer("alice", "leaver.effective", T0.plusSeconds(50)));

    punctuate(T0.plusSeconds(20));
    assertThat(fired).isEmpty();
    assertThat(timers.get("alice", "leaver.effective")).get()
        .extracting(TimerEntry::getDueAt).isEqualTo(T0.plusSeconds(50));

    punctuate(T0.plusSeconds(50));
    assertThat(fired).containsExactly("alice/leaver.effective");
  }

  @Test
  void firesAtMostTheBatchPerTickAndTheRestNextTick() {
    for (int i = 0; i < 5; i++) {
      timers.schedule(timer("s" + i, "k", T0.plusSeconds(i)));
    }
    List<String> batch = new ArrayList<>();
    assertThat(timers.fireDue(T0.plusSeconds(10).toEpochMilli(), 3, e -> batch.add(e.getOwner()))).isEqualTo(3);
    assertThat(batch).containsExactly("s0", "s1", "s2");
    assertThat(timers.fireDue(T0.plusSeconds(10).toEpochMilli(), 3, e -> batch.add(e.getOwner()))).isEqualTo(2);
    assertThat(batch).containsExactly("s0", "s1", "s2", "s3", "s4");
  }

  @Test
  void cancelAllRemovesOnlyMatchingKindsOfOneOwner() {
    timers.schedule(timer("alice", "expiry.reminder:a1:14d", T0.plusSeconds(5)));
    timers.schedule(timer("alice", "expiry.reminder:a1:3d", T0.plusSeconds(6)));
    timers.schedule(timer("alice", "expiry.due:a1", T0.plusSeconds(7)));
    timers.schedule(timer("alicia", "expiry.reminder:a1:14d", T0.plusSeconds(5)));

    assertThat(timers.cancelAll("alice", "expiry.reminder:")).isEqualTo(2);
    punctuate(T0.plusSeconds(10));

    assertThat(fired).containsExactly("alicia/expiry.reminder:a1:14d", "alice/expiry.due:a1");
  }

  private void punctuate(Instant at) {
    CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);
    punctuator.getPunctuator().punctuate(at.toEpochMilli());
  }

  @Test
  void dueKeysKeepTheTextOfTheStoredKeysSoExistingChangelogsStillMatch() {
    for (long due : new long[] {0, 7, 1_000, T0.toEpochMilli(), 253_402_300_799_999L, Long.MAX_VALUE}) {
      assertThat(TimerIndex.dueKey(due, "s-1", "k")).isEqualTo(String.format("%019d", due) + "\u0000s-1\u0000k");
    }
  }

  private static TimerEntry timer(String owner, String kind, Instant due) {
    return TimerEntry.newBuilder().setOwner(owner).setKind(kind).setDueAt(due).build();
  }
}
