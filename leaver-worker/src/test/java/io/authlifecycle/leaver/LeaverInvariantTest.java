package io.authlifecycle.leaver;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The leaver invariant over any interleaving of HR events, bindings and the passing of time for
 * one subject, run through the production topology: once an uncancelled leaver is effective, every
 * authenticator bound to the subject has a revoke command issued after its binding (and by then);
 * and nothing is revoked for a subject whose leaver never became effective. Each try is a fresh
 * subject in one shared topology, so state never leaks between tries.
 */
class LeaverInvariantTest {

  private static TopologyHarness harness;
  private static int subjects;

  @BeforeContainer
  static void startTopology() {
    harness = new TopologyHarness(new LeaverWorker());
  }

  @AfterContainer
  static void closeTopology() {
    harness.close();
  }

  enum Kind { JOINER, MOVER, LEAVER, LEAVER_CANCELLED, REHIRE, REHIRE_VERIFIED, BIND, ADVANCE }

  /** One step: an HR event, a binding, or time passing; {@code minutes} is a leaver's effective offset or the advance. */
  record Step(Kind kind, long minutes) {}

  /**
   * What the spec says about the subject after each step: whether it is terminated. Only a REHIRE
   * carrying a verification newer than the termination reopens (the verification here is made at
   * the REHIRE's own time, so well within the maximum age).
   */
  static final class Spec {
    boolean terminated;
    Instant terminatedAt;
    Instant pendingEffective;

    /** Applies one step at wall-clock {@code now} (after any advance); returns whether the subject became terminated. */
    boolean apply(Step step, Instant now) {
      boolean before = terminated;
      switch (step.kind()) {
        case LEAVER -> {
          if (!terminated) {
            Instant effective = now.plus(Duration.ofMinutes(step.minutes()));
            pendingEffective = effective.isAfter(now) ? effective : null;
            terminated = pendingEffective == null;
            terminatedAt = terminated ? now : null;
          }
        }
        case LEAVER_CANCELLED -> pendingEffective = null;
        case REHIRE, REHIRE_VERIFIED -> {
          pendingEffective = null;
          if (step.kind() == Kind.REHIRE_VERIFIED && terminated && now.isAfter(terminatedAt)) {
            terminated = false;
          }
        }
        case ADVANCE -> {
          if (pendingEffective != null && !pendingEffective.isAfter(now)) {
            terminatedAt = pendingEffective;
            pendingEffective = null;
            terminated = true;
          }
        }
        default -> { }
      }
      return !before && terminated;
    }
  }

  @Provide
  Arbitrary<List<Step>> interleavings() {
    Arbitrary<Step> leaver = Arbitraries.longs().between(-60, 180).map(m -> new Step(Kind.LEAVER, m));
    Arbitrary<Step> advance = Arbitraries.longs().between(1, 240).map(m -> new Step(Kind.ADVANCE, m));
    Arbitrary<Step> other = Arbitraries.of(Kind.JOINER, Kind.MOVER, Kind.LEAVER_CANCELLED, Kind.REHIRE,
            Kind.REHIRE_VERIFIED, Kind.BIND)
        .map(k -> new Step(k, 0));
    Arbitrary<Step> bind = Arbitraries.just(new Step(Kind.BIND, 0));
    return Arbitraries.frequencyOf(Tuple.of(3, leaver), Tuple.of(3, advance), Tuple.of(4, other), Tuple.of(2, bind))
        .list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 200)
  void everyFactorOfAnEffectivelyTerminatedSubjectIsRevokedAfterItsBinding(@ForAll("interleavings") List<Step> steps) {
    List<Step> all = new ArrayList<>(steps);
    all.add(new Step(Kind.ADVANCE, Duration.ofDays(2).toMinutes()));
    Spec spec = new Spec();
    Map<Integer, List<AuthenticatorCommand>> commandsByStep = new HashMap<>();
    List<Integer> terminations = new ArrayList<>();
    boolean[] terminatedAfter = new boolean[all.size()];
    String subject = "subject-" + ++subjects;
    harness.readKeyed(Topics.COMMANDS_LEAVER);
    for (int i = 0; i < all.size(); i++) {
      Step step = all.get(i);
      perform(subject, step, i);
      if (spec.apply(step, harness.now())) {
        terminations.add(i);
      }
      terminatedAfter[i] = spec.terminated;
      commandsByStep.put(i, harness.readKeyed(Topics.COMMANDS_LEAVER).stream().filter(kv -> kv.key.equals(subject))
          .map(kv -> kv.value).toList());
    }

    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).kind() != Kind.BIND) {
        continue;
      }
      String authenticatorId = "a-" + i;
      int terminatedBy = firstTerminatedAtOrAfter(terminatedAfter, i);
      if (terminatedBy < 0) {
        continue;
      }
      List<AuthenticatorCommand> between = new ArrayList<>();
      for (int k = i; k <= terminatedBy; k++) {
        between.addAll(commandsByStep.get(k));
      }
      assertThat(between).as("revokes of %s bound at step %d, terminated by step %d in %s", authenticatorId, i,
              terminatedBy, all)
          .anyMatch(c -> c.getAction() == CommandAction.REVOKE_ALL
              || (c.getAction() == CommandAction.REVOKE_AUTHENTICATOR && authenticatorId.equals(c.getAuthenticatorId())));
    }
    List<Integer> initialRevocations = new ArrayList<>();
    commandsByStep.forEach((step, commands) -> commands.stream()
        .filter(c -> c.getAction() == CommandAction.REVOKE_ALL)
        .filter(c -> c.getCommandId().equals(LeaverFixtures.commandId(c.getCausationId(), CommandAction.REVOKE_ALL, "initial")))
        .forEach(c -> initialRevocations.add(step)));
    assertThat(initialRevocations).as("steps issuing a REVOKE_ALL in %s", all).containsExactlyInAnyOrderElementsOf(terminations);
    commandsByStep.forEach((step, commands) -> commands.stream()
        .filter(c -> c.getAction() == CommandAction.REVOKE_AUTHENTICATOR)
        .forEach(c -> assertThat(all.get(step).kind() == Kind.BIND && terminatedAfter[step])
            .as("REVOKE_AUTHENTICATOR at step %d of %s", step, all).isTrue()));
  }

  private static void perform(String subject, Step step, int i) {
    Instant now = harness.now();
    String eventId = subject + "-e-" + i;
    switch (step.kind()) {
      case ADVANCE -> harness.advance(Duration.ofMinutes(step.minutes()));
      case BIND -> harness.pipe(Topics.AUTHENTICATOR_EVENTS, subject, AuthenticatorBound.newBuilder(
          LeaverFixtures.bound(eventId, "a-" + i, now)).setSubjectId(subject).build());
      case REHIRE_VERIFIED -> harness.pipe(Topics.HR_WORKER_EVENTS, subject, WorkerEvent.newBuilder(
          LeaverFixtures.rehire(eventId, now, now)).setSubjectId(subject).build());
      case LEAVER -> harness.pipe(Topics.HR_WORKER_EVENTS, subject, WorkerEvent.newBuilder(
          LeaverFixtures.leaver(eventId, now, now.plus(Duration.ofMinutes(step.minutes())))).setSubjectId(subject).build());
      default -> harness.pipe(Topics.HR_WORKER_EVENTS, subject, WorkerEvent.newBuilder(
          LeaverFixtures.hr(eventId, WorkerEventType.valueOf(step.kind().name()), now, now)).setSubjectId(subject).build());
    }
  }

  private static int firstTerminatedAtOrAfter(boolean[] terminatedAfter, int from) {
    for (int j = from; j < terminatedAfter.length; j++) {
      if (terminatedAfter[j]) {
        return j;
      }
    }
    return -1;
  }
}
