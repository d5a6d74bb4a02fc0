package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.policy.AssurancePolicy;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/** One subject's case driven through {@link Onboarding} by hand, with its pending timers kept by kind. */
final class Machine {

  static final String WORKER = "joiner-worker";

  final Onboarding onboarding;
  final Map<String, TimerEntry> timers = new TreeMap<>();
  JoinerCase state;

  Machine(AssurancePolicy policy, JoinerConfig config) {
    this.onboarding = new Onboarding(WORKER, policy, config);
  }

  Machine() {
    this(AssurancePolicy.defaults(), JoinerConfig.defaults());
  }

  Outcome hr(WorkerEvent event, Instant now) {
    return apply(onboarding.onWorkerEvent(state, event, now));
  }

  Outcome fact(SpecificRecord fact, Instant now) {
    return apply(onboarding.onAuthenticatorFact(state, fact, now));
  }

  /** Fires the pending timer of that kind, as the timer index would at its due time. */
  Outcome fire(String kind) {
    TimerEntry timer = timers.remove(kind);
    if (timer == null) {
      throw new AssertionError("no pending timer " + kind + " (pending: " + timers.keySet() + ")");
    }
    return apply(onboarding.onTimer(state, timer, timer.getDueAt()));
  }

  TimerEntry timer(String kind) {
    return timers.get(kind);
  }

  private Outcome apply(Outcome outcome) {
    state = outcome.state().orElse(state);
    outcome.cancelledTimerKinds().forEach(prefix -> timers.keySet().removeIf(k -> k.startsWith(prefix)));
    outcome.scheduledTimers().forEach(t -> timers.put(t.getKind(), t));
    return outcome;
  }
}
