package io.authlifecycle.e2e.bindings;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.joiner.JoinerDecisions;
import io.authlifecycle.joiner.JoinerRules;
import io.authlifecycle.joiner.JoinerSettings;
import io.authlifecycle.joiner.JoinerWorker;
import io.authlifecycle.leaver.LeaverDecisions;
import io.authlifecycle.leaver.LeaverSettings;
import io.authlifecycle.leaver.LeaverWorker;
import io.authlifecycle.mover.MoverDecisions;
import io.authlifecycle.mover.MoverRules;
import io.authlifecycle.mover.MoverSettings;
import io.authlifecycle.mover.MoverWorker;
import io.authlifecycle.recovery.RecoveryDecisions;
import io.authlifecycle.recovery.RecoveryRules;
import io.authlifecycle.recovery.RecoverySettings;
import io.authlifecycle.recovery.RecoveryWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The four workers' pure decisions for one subject, fed the same inputs in the same order as their
 * topics would bring them, with each worker's state and timers kept as its processor and timer
 * index would. What they emit is collected, so a test can count how many workers acted on one input.
 */
final class Fleet {

  /** One worker: its decisions, its state, its pending timers, and what it emitted. */
  static final class Member<S> {
    interface Decide<S> {
      Decision<S> decide(S stored, String subjectId, Object input, Instant now);
    }

    interface OnTimer<S> {
      Decision<S> onTimer(S stored, TimerEntry timer, Instant now);
    }

    final String name;
    private final Decide<S> decide;
    private final OnTimer<S> onTimer;
    private final Map<String, TimerEntry> timers = new TreeMap<>();
    final List<AuthenticatorCommand> commands = new ArrayList<>();
    final List<SubjectNotification> notices = new ArrayList<>();
    S state;

    Member(String name, Decide<S> decide, OnTimer<S> onTimer) {
      this.name = name;
      this.decide = decide;
      this.onTimer = onTimer;
    }

    void input(String subjectId, Object input, Instant now) {
      apply(decide.decide(state, subjectId, input, now));
    }

    void advanceTo(Instant now) {
      while (true) {
        Optional<TimerEntry> due = timers.values().stream().filter(t -> !t.getDueAt().isAfter(now))
            .min(Comparator.comparing(TimerEntry::getDueAt));
        if (due.isEmpty()) {
          return;
        }
        timers.remove(due.get().getKind());
        apply(onTimer.onTimer(state, due.get(), now));
      }
    }

    private void apply(Decision<S> decision) {
      state = decision.state().orElse(state);
      commands.addAll(decision.commands());
      notices.addAll(decision.notifications());
      for (Decision.TimerChange change : decision.timers()) {
        if (change instanceof Decision.Schedule s) {
          timers.put(s.kind(), s.timer());
        } else {
          timers.remove(change.kind());
        }
      }
    }
  }

  final Member<?> joiner;
  final Member<?> mover;
  final Member<?> leaver;
  final Member<?> recovery;
  private final List<Member<?>> all;

  Fleet(Map<String, String> settings) {
    JoinerDecisions j = new JoinerDecisions(JoinerRules.from(
        WorkerContext.forTest(JoinerWorker.NAME, JoinerSettings.ALL, settings)));
    MoverDecisions m = new MoverDecisions(MoverRules.from(
        WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, settings)));
    LeaverDecisions l = LeaverDecisions.from(WorkerContext.forTest(LeaverWorker.NAME, LeaverSettings.ALL, settings));
    RecoveryDecisions r = new RecoveryDecisions(RecoveryRules.from(
        WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL, settings)));
    this.joiner = new Member<>(JoinerWorker.NAME, j::decide, j::onTimer);
    this.mover = new Member<>(MoverWorker.NAME, m::decide, m::onTimer);
    this.leaver = new Member<>(LeaverWorker.NAME, l::decide, l::onTimer);
    this.recovery = new Member<>(RecoveryWorker.NAME, r::decide, r::onTimer);
    this.all = List.of(joiner, mover, leaver, recovery);
  }

  /** An HR event or an IdP fact: every worker reads both topics. */
  void publish(String subjectId, Object input, Instant now) {
    all.forEach(w -> w.advanceTo(now));
    all.forEach(w -> w.input(subjectId, input, now));
  }

  /** A recovery request or an approval decision reaches the recovery worker only. */
  void toRecovery(String subjectId, Object input, Instant now) {
    all.forEach(w -> w.advanceTo(now));
    recovery.input(subjectId, input, now);
  }

  /** A device event reaches the mover only, re-keyed to its owner. */
  void device(DeviceEvent event, Instant now) {
    all.forEach(w -> w.advanceTo(now));
    mover.input(event.getOwnerSubjectId(), event, now);
  }

  void advance(Instant to) {
    all.forEach(w -> w.advanceTo(to));
  }

  /** Every worker's REVOKE_AUTHENTICATOR commands for this authenticator, by worker. */
  List<String> revokersOf(String authenticatorId) {
    List<String> who = new ArrayList<>();
    for (Member<?> w : all) {
      w.commands.stream().filter(c -> c.getAction() == CommandAction.REVOKE_AUTHENTICATOR
          && authenticatorId.equals(c.getAuthenticatorId())).forEach(c -> who.add(w.name));
    }
    return who;
  }

  /** The workers that told anyone about the fact with this event id, by notification topic. */
  List<String> noticesCausedBy(String eventId) {
    List<String> who = new ArrayList<>();
    for (Member<?> w : all) {
      w.notices.stream().filter(n -> eventId.equals(n.getCausationId())).forEach(n -> who.add(w.name + ":" + n.getTopic()));
    }
    return who;
  }

  /** The commands of one worker of this action. */
  static List<AuthenticatorCommand> of(Member<?> w, CommandAction action) {
    return w.commands.stream().filter(c -> c.getAction() == action).toList();
  }

  static Instant at(Instant t0, Duration after) {
    return t0.plus(after);
  }
}
