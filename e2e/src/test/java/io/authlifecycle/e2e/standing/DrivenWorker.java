package io.authlifecycle.e2e.standing;

import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.hr.StandingFold;
import io.authlifecycle.core.streams.Decision;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * One worker's pure decisions driven by hand for one subject: the state each decision stores is
 * kept, and the timers it schedules are kept by kind and fired in due order when time passes, as
 * the worker's timer index would.
 *
 * @param <S> the worker's state record
 */
final class DrivenWorker<S> {

  /** The worker's decision on one input, as its public decisions class offers it. */
  interface Decide<S> {
    Decision<S> decide(S stored, String subjectId, Object input, Instant now);
  }

  /** The worker's decision on a due timer. */
  interface OnTimer<S> {
    Decision<S> onTimer(S stored, TimerEntry timer, Instant now);
  }

  final String name;
  private final Decide<S> decide;
  private final OnTimer<S> onTimer;
  private final Function<S, HrStanding> standing;
  private final BiPredicate<S, Instant> readsTerminated;
  private final Map<String, TimerEntry> timers = new TreeMap<>();
  private S state;

  /**
   * @param standing where the worker keeps its standing
   * @param readsTerminated the worker's own reading of "this subject has left" (its phase, its
   *     closed case, its termination time), which must agree with the standing
   */
  DrivenWorker(String name, Decide<S> decide, OnTimer<S> onTimer, Function<S, HrStanding> standing,
      BiPredicate<S, Instant> readsTerminated) {
    this.name = name;
    this.decide = decide;
    this.onTimer = onTimer;
    this.standing = standing;
    this.readsTerminated = readsTerminated;
  }

  void input(String subjectId, Object input, Instant now) {
    apply(decide.decide(state, subjectId, input, now));
  }

  /**
   * Fires every timer due by {@code now}, earliest first; a timer a firing schedules is fired too if
   * due. A worker that keeps scheduling a timer already due would fire forever: that fails the test.
   */
  void advanceTo(Instant now) {
    for (int fired = 0; ; fired++) {
      if (fired > 1_000) {
        throw new AssertionError(name + " keeps scheduling due timers: " + timers.values());
      }
      Optional<TimerEntry> due = timers.values().stream().filter(t -> !t.getDueAt().isAfter(now))
          .min(Comparator.comparing(TimerEntry::getDueAt));
      if (due.isEmpty()) {
        return;
      }
      timers.remove(due.get().getKind());
      apply(onTimer.onTimer(state, due.get(), now));
    }
  }

  /** The worker's standing as of {@code now}; a subject it never stored is UNKNOWN. */
  HrStanding standingAt(Instant now) {
    return StandingFold.at(state == null ? null : standing.apply(state), now);
  }

  /** Whether the worker's own reading says the subject has left; a subject it never stored has not. */
  boolean readsTerminated(Instant now) {
    return state != null && readsTerminated.test(state, now);
  }

  private void apply(Decision<S> decision) {
    state = decision.state().orElse(state);
    for (Decision.TimerChange change : decision.timers()) {
      if (change instanceof Decision.Schedule s) {
        timers.put(s.kind(), s.timer());
      } else {
        timers.remove(change.kind());
      }
    }
  }
}
