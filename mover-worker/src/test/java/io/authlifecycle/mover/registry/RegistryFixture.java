package io.authlifecycle.mover.registry;

import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.mover.registry.Step.Audit;
import io.authlifecycle.mover.registry.Step.Command;
import io.authlifecycle.mover.registry.Step.Notice;
import io.authlifecycle.mover.registry.Step.Recovery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/** One subject, the default rules and a hand-moved clock, for the decision tests. */
abstract class RegistryFixture {

  static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  static final String WORKER = "mover-worker";

  MoverRules rules = MoverRules.defaults(WORKER, AssurancePolicy.defaults());
  MoverDecisions decisions = new MoverDecisions(rules);
  Subject alice = new Subject("alice");
  Instant now = T0;

  void use(MoverRules custom) {
    rules = custom;
    decisions = new MoverDecisions(custom);
  }

  Outcome on(SpecificRecordBase input) {
    return decisions.decide(alice, String.valueOf(input.get("eventId")), input, now);
  }

  /** Moves the clock and fires whatever is due, as the timer index would. */
  Outcome at(Instant when) {
    now = when;
    return decisions.due(alice, when);
  }

  Instant later(Duration by) {
    now = now.plus(by);
    return now;
  }

  Factor factor(String id) {
    return alice.factor(id).orElseThrow();
  }

  static List<Command> commands(Outcome out) {
    return out.steps().stream().filter(Command.class::isInstance).map(Command.class::cast).toList();
  }

  static List<Notice> notices(Outcome out) {
    return out.steps().stream().filter(Notice.class::isInstance).map(Notice.class::cast).toList();
  }

  static List<Audit> audits(Outcome out) {
    return out.steps().stream().filter(Audit.class::isInstance).map(Audit.class::cast).toList();
  }

  static List<Recovery> recoveries(Outcome out) {
    return out.steps().stream().filter(Recovery.class::isInstance).map(Recovery.class::cast).toList();
  }

  static List<String> actions(Outcome out) {
    return audits(out).stream().map(Audit::action).toList();
  }
}
