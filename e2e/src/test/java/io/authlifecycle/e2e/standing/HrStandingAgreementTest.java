package io.authlifecycle.e2e.standing;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.JoinerPhase;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.avro.state.LeaverPhase;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.RecoverySubject;
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
import io.authlifecycle.schemas.SchemaCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any interleaving of HR events (in order or recorded late) and of time passing, fed to every
 * worker's own decisions built from the production settings, leaves the workers agreeing on the
 * subject: the same HR standing as of now, and each worker's own reading of whether the subject
 * has left (the leaver's phase, the joiner's closed case, the mover's stopped clock, the recovery
 * worker's termination time) and of its privilege saying the same.
 */
class HrStandingAgreementTest {

  static {
    SchemaCatalog.get();
  }

  static final String SUBJECT = "s-1";
  static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

  enum Kind {
    JOINER, JOINER_PRIVILEGED, MOVER_PARTIAL, MOVER_PROMOTE, MOVER_DEMOTE, MOVER_SERVICE, REHIRE_FRESH, REHIRE_OLD,
    REHIRE_UNVERIFIED, LEAVER_NOW, LEAVER_FUTURE, LEAVER_IMMEDIATE, LEAVER_CANCELLED, ADVANCE
  }

  /**
   * One step: an HR event recorded {@code lateMinutes} before now, or time passing. {@code minutes}
   * is a future leaver's effective offset, a fresh verification's age, or the time that passes.
   */
  record Step(Kind kind, long minutes, long lateMinutes, boolean ial3) {}

  @Provide
  Arbitrary<List<Step>> interleavings() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.values()),
        Arbitraries.longs().between(1, 3 * 24 * 60), Arbitraries.of(0L, 0L, 0L, 45L), Arbitraries.of(true, false))
        .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 300)
  void everyWorkerReadsTheSameStanding(@ForAll("interleavings") List<Step> steps) {
    List<DrivenWorker<?>> workers = workers();
    Instant now = START;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.kind() == Kind.ADVANCE) {
        now = now.plus(Duration.ofMinutes(step.minutes()));
        for (DrivenWorker<?> worker : workers) {
          worker.advanceTo(now);
        }
      } else {
        WorkerEvent event = event("hr-" + i, step, now);
        for (DrivenWorker<?> worker : workers) {
          worker.input(SUBJECT, event, now);
        }
      }
      assertAgree(workers, now, steps.subList(0, i + 1));
    }
  }

  private static void assertAgree(List<DrivenWorker<?>> workers, Instant now, List<Step> steps) {
    HrStanding first = workers.get(0).standingAt(now);
    boolean terminated = first.getPhase() == HrPhase.TERMINATED;
    for (DrivenWorker<?> worker : workers) {
      assertThat(worker.standingAt(now)).as("%s's standing after %s", worker.name, steps).isEqualTo(first);
      assertThat(worker.readsTerminated(now)).as("%s reads the subject as having left after %s", worker.name, steps)
          .isEqualTo(terminated);
    }
  }

  /** Every worker's decisions, built from its settings' defaults as the worker builds them. */
  static List<DrivenWorker<?>> workers() {
    LeaverDecisions leaver = LeaverDecisions.from(WorkerContext.forTest(LeaverWorker.NAME, LeaverSettings.ALL, Map.of()));
    JoinerDecisions joiner = new JoinerDecisions(JoinerRules.from(
        WorkerContext.forTest(JoinerWorker.NAME, JoinerSettings.ALL, Map.of())));
    RecoveryDecisions recovery = new RecoveryDecisions(RecoveryRules.from(
        WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL, Map.of())));
    MoverDecisions mover = new MoverDecisions(MoverRules.from(
        WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL, Map.of())));
    return List.of(
        new DrivenWorker<MoverSubject>("mover", mover::decide, mover::onTimer, MoverSubject::getStanding,
            (s, now) -> s.getTerminatedAt() != null),
        new DrivenWorker<LeaverCaseState>("leaver", leaver::decide, leaver::onTimer, LeaverCaseState::getStanding,
            (s, now) -> s.getPhase() == LeaverPhase.TERMINATED),
        new DrivenWorker<JoinerCase>("joiner", joiner::decide, joiner::onTimer, JoinerCase::getStanding,
            (s, now) -> s.getPhase() == JoinerPhase.CLOSED),
        new DrivenWorker<RecoverySubject>("recovery", recovery::decide, recovery::onTimer, RecoverySubject::getStanding,
            (s, now) -> s.getLeaverEffectiveAt() != null && !now.isBefore(s.getLeaverEffectiveAt())));
  }

  static WorkerEvent event(String eventId, Step step, Instant now) {
    Instant recorded = now.minus(Duration.ofMinutes(step.lateMinutes()));
    WorkerEvent.Builder e = WorkerEvent.newBuilder().setEventId(eventId).setEventTime(recorded).setSubjectId(SUBJECT)
        .setIdentityType(IdentityType.HUMAN).setEffectiveTime(recorded);
    return switch (step.kind()) {
      case JOINER -> full(e, WorkerEventType.JOINER, false).setIdentityVerification(verified(eventId, step, now)).build();
      case JOINER_PRIVILEGED -> full(e, WorkerEventType.JOINER, true).setIdentityVerification(verified(eventId, step, now))
          .build();
      case MOVER_PARTIAL -> e.setType(WorkerEventType.MOVER).setIdentityType(IdentityType.UNKNOWN).setRole("sre").build();
      case MOVER_PROMOTE -> e.setType(WorkerEventType.MOVER).setRole("admin").setPrivileged(true).build();
      case MOVER_DEMOTE -> e.setType(WorkerEventType.MOVER).setRole("sales").setStatedPrivileged(false).build();
      case MOVER_SERVICE -> e.setType(WorkerEventType.MOVER).setIdentityType(IdentityType.SERVICE).build();
      case REHIRE_FRESH -> full(e, WorkerEventType.REHIRE, step.ial3()).setIdentityVerification(verified(eventId, step, now))
          .build();
      case REHIRE_OLD -> full(e, WorkerEventType.REHIRE, false).setIdentityVerification(
          IdentityVerification.newBuilder(verified(eventId, step, now)).setVerifiedAt(now.minus(Duration.ofDays(40)))
              .build()).build();
      case REHIRE_UNVERIFIED -> full(e, WorkerEventType.REHIRE, false).build();
      case LEAVER_NOW -> e.setType(WorkerEventType.LEAVER).build();
      case LEAVER_FUTURE -> e.setType(WorkerEventType.LEAVER).setEffectiveTime(now.plus(Duration.ofMinutes(step.minutes())))
          .build();
      case LEAVER_IMMEDIATE -> e.setType(WorkerEventType.LEAVER).setImmediate(true)
          .setEffectiveTime(now.plus(Duration.ofMinutes(step.minutes()))).build();
      case LEAVER_CANCELLED -> e.setType(WorkerEventType.LEAVER_CANCELLED).build();
      case ADVANCE -> throw new IllegalArgumentException("time passing is not an event");
    };
  }

  private static WorkerEvent.Builder full(WorkerEvent.Builder e, WorkerEventType type, boolean privileged) {
    return e.setType(type).setRole(privileged ? "admin" : "engineer").setPrivileged(privileged)
        .setStatedPrivileged(privileged).setManagerId("mgr-1").setChannels(List.of(Channel.WORK_EMAIL, Channel.SMS))
        .setApprovers(List.of("ap-1"));
  }

  /** A verification made {@code minutes} before now (at most a day), at IAL2 or IAL3. */
  private static IdentityVerification verified(String eventId, Step step, Instant now) {
    return IdentityVerification.newBuilder().setVerificationId("iv-" + eventId)
        .setMethod(VerificationMethod.IN_PERSON_PROOFING)
        .setLevel(step.ial3() ? IdentityAssuranceLevel.IAL3 : IdentityAssuranceLevel.IAL2)
        .setVerifiedAt(now.minus(Duration.ofMinutes(step.minutes() % (24 * 60)))).build();
  }
}
