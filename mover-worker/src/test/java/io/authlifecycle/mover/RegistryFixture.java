package io.authlifecycle.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One subject's stored state, the rules the default settings make and a hand-moved clock, for the
 * decision tests. Every decision is also checked to leave the state it was given as it was.
 */
abstract class RegistryFixture {

  static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  static final String WORKER = MoverWorker.NAME;

  MoverRules rules = rules(Map.of());
  MoverDecisions decisions = new MoverDecisions(rules);
  /** Alice's stored state: null until a decision stores one. */
  MoverSubject alice;
  Instant now = T0;

  /** The rules production builds from these settings (defaults for the rest). */
  static MoverRules rules(Map<String, String> settings) {
    return MoverRules.from(WorkerContext.forTest(WORKER, MoverSettings.ALL, settings));
  }

  void use(Map<String, String> settings) {
    rules = rules(settings);
    decisions = new MoverDecisions(rules);
  }

  Decision<MoverSubject> on(SpecificRecordBase input) {
    MoverSubject stored = alice;
    MoverSubject before = snapshot(stored);
    return keep(stored, before, decisions.decide(stored, "alice", input, now));
  }

  /** Moves the clock and fires whatever is due, as the timer index would. */
  Decision<MoverSubject> at(Instant when) {
    now = when;
    MoverSubject stored = alice;
    MoverSubject before = snapshot(stored);
    TimerEntry timer = TimerEntry.newBuilder().setOwner("alice").setKind(MoverDecisions.TIMER_KIND).setDueAt(when).build();
    return keep(stored, before, decisions.onTimer(stored, timer, when));
  }

  Instant later(Duration by) {
    now = now.plus(by);
    return now;
  }

  MoverFactor factor(String id) {
    return Objects.requireNonNull(MoverSubjects.factor(alice, id), id);
  }

  /** A command as the mover builds it for alice, decided at {@code now}. */
  static AuthenticatorCommand.Builder command(CommandAction action, String causationId, Instant causationTime,
      String correlationId, String discriminator, String reason, String policyRef, Instant now) {
    return Decisions.command(WORKER, action, "alice", causationId, causationTime, correlationId, discriminator, reason,
        policyRef, now);
  }

  /** The factor revocations a decision asks for, leaving out the tickets it closes or re-issues. */
  static List<AuthenticatorCommand> revocations(Decision<MoverSubject> out) {
    return out.commands().stream().filter(c -> c.getAction() == CommandAction.REVOKE_AUTHENTICATOR).toList();
  }

  static List<RecoveryRequest> recoveries(Decision<MoverSubject> out) {
    return out.sent(Topics.SYSTEM_REQUESTS);
  }

  static MoverSubject copy(MoverSubject state) {
    return MoverSubjects.copy(state.getSubjectId(), state);
  }

  private static MoverSubject snapshot(MoverSubject stored) {
    return stored == null ? null : copy(stored);
  }

  private Decision<MoverSubject> keep(MoverSubject stored, MoverSubject before, Decision<MoverSubject> decision) {
    if (stored != null) {
      assertThat(stored).as("a decision leaves the stored state it was given as it was").isEqualTo(before);
    }
    decision.state().ifPresent(s -> alice = s);
    return decision;
  }
}
