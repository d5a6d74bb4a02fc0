package io.authlifecycle.joiner;

import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One subject's case driven through {@link JoinerDecisions} by hand, with its pending timers kept by
 * kind and moved in order, as the timer index would. The rules come from the worker's settings.
 */
final class Machine {

  /** The ticket timers cancelled with the default two reminders: those, eight spare reminder kinds and the expiry. */
  static final List<String> TICKET_TIMERS = ticketTimers(2);

  final JoinerRules rules;
  final JoinerDecisions decisions;
  final Map<String, TimerEntry> timers = new TreeMap<>();
  JoinerCase state;

  /** A machine whose rules are built from the defaults plus these settings, as the worker builds them. */
  Machine(Map<String, String> settings) {
    this.rules = JoinerRules.from(WorkerContext.forTest(JoinerWorker.NAME, JoinerSettings.ALL, settings));
    this.decisions = new JoinerDecisions(rules);
  }

  Machine() {
    this(Map.of());
  }

  static List<String> ticketTimers(int reminders) {
    List<String> kinds = new ArrayList<>();
    IntStream.range(0, reminders + 8).forEach(i -> kinds.add("ticket.reminder." + i));
    kinds.add("ticket.expiry");
    return List.copyOf(kinds);
  }

  Decision<JoinerCase> hr(WorkerEvent event, Instant now) {
    return apply(decisions.decide(state, event.getSubjectId(), event, now));
  }

  /** A fact keyed, as on the topic, by its subject. */
  Decision<JoinerCase> fact(SpecificRecordBase fact, Instant now) {
    return apply(decisions.decide(state, String.valueOf(fact.get("subjectId")), fact, now));
  }

  /** Fires the pending timer of that kind, as the timer index would at its due time. */
  Decision<JoinerCase> fire(String kind) {
    TimerEntry timer = timers.remove(kind);
    if (timer == null) {
      throw new AssertionError("no pending timer " + kind + " (pending: " + timers.keySet() + ")");
    }
    return apply(decisions.onTimer(state, timer, timer.getDueAt()));
  }

  TimerEntry timer(String kind) {
    return timers.get(kind);
  }

  String ticketId(String hrEventId) {
    return decisions.ticketId(hrEventId);
  }

  private Decision<JoinerCase> apply(Decision<JoinerCase> decision) {
    state = decision.state().orElse(state);
    for (Decision.TimerChange change : decision.timers()) {
      if (change instanceof Decision.Schedule s) {
        timers.put(s.kind(), s.timer());
      } else {
        timers.remove(change.kind());
      }
    }
    return decision;
  }
}
