package io.authlifecycle.core.hr;

import static io.authlifecycle.core.hr.HrEvents.T;
import static io.authlifecycle.core.hr.HrEvents.event;
import static io.authlifecycle.core.hr.HrEvents.leaver;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrLeave;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a leaver takes effect, what a later or an older leaver may change, and what time alone does. */
class LeaveTimingTest {

  static final StandingRules RULES = HrEvents.rules(Map.of());
  static final Instant HIRED = T.minus(Duration.ofDays(10));

  static HrStanding hired() {
    return StandingFold.fold(null, event("hr-1", WorkerEventType.JOINER, HIRED).build(), HIRED, RULES).after();
  }

  static HrStanding pending(Instant recorded, Instant effective) {
    return StandingFold.fold(hired(), leaver("hr-2", recorded, effective).build(), recorded, RULES).after();
  }

  @Test
  void aLeaverEffectiveNowTerminatesAtItsEffectiveTime() {
    Folded folded = StandingFold.fold(hired(), leaver("hr-2", T, T.minusSeconds(30)).build(), T.plusSeconds(5), RULES);

    assertThat(folded.after().getPhase()).isEqualTo(HrPhase.TERMINATED);
    // Back-dated: it took effect when HR recorded it.
    assertThat(folded.after().getTerminatedAt()).isEqualTo(T);
    assertThat(folded.after().getLeave()).isEqualTo(HrLeave.newBuilder().setEventId("hr-2").setEventTime(T)
        .setEffectiveTime(T.minusSeconds(30)).setImmediate(false).setForCause(false).build());
  }

  @Test
  void anImmediateOrForCauseLeaverDatedInTheFutureTerminatesWhenRecorded() {
    Instant later = T.plus(Duration.ofDays(14));

    HrStanding immediate = StandingFold.fold(hired(), leaver("hr-2", T, later).setImmediate(true).build(), T, RULES).after();
    HrStanding forCause = StandingFold.fold(hired(), leaver("hr-2", T, later).setForCause(true).build(), T, RULES).after();

    assertThat(immediate.getPhase()).isEqualTo(HrPhase.TERMINATED);
    assertThat(immediate.getTerminatedAt()).isEqualTo(T);
    assertThat(forCause.getPhase()).isEqualTo(HrPhase.TERMINATED);
    assertThat(forCause.getTerminatedAt()).isEqualTo(T);
  }

  @Test
  void aPendingLeaverTerminatesAtItsEffectiveTimeWhetherReadByTimeOrByTheNextEvent() {
    Instant effective = T.plus(Duration.ofDays(7));
    HrStanding s = pending(T, effective);

    Folded early = StandingFold.advance(s, effective.minusMillis(1));
    Folded due = StandingFold.advance(s, effective);
    Folded byEvent = StandingFold.fold(s, event("hr-3", WorkerEventType.MOVER, effective.plusSeconds(60)).build(),
        effective.plusSeconds(60), RULES);

    assertThat(early.changes()).isEmpty();
    assertThat(early.changed()).isFalse();
    assertThat(due.changes()).containsExactly(HrChange.TERMINATED);
    assertThat(due.after().getTerminatedAt()).isEqualTo(effective);
    assertThat(byEvent.changes()).containsExactly(HrChange.TERMINATED, HrChange.REOPEN_REFUSED);
    assertThat(byEvent.after()).isEqualTo(due.after());
    assertThat(StandingFold.at(s, effective)).isEqualTo(due.after());
    assertThat(Standings.terminated(s, effective.minusMillis(1))).isFalse();
    assertThat(Standings.leavePending(s, effective.minusMillis(1))).isTrue();
    assertThat(Standings.terminated(s, effective)).isTrue();
  }

  @Test
  void aLaterLeaverMayPostponeAnOlderOneMayOnlyBringTheDateForward() {
    Instant effective = T.plus(Duration.ofDays(7));
    HrStanding s = pending(T, effective);

    Folded postponed = StandingFold.fold(s, leaver("hr-3", T.plusSeconds(60), effective.plus(Duration.ofDays(7)))
        .build(), T.plusSeconds(60), RULES);
    Folded olderPostpones = StandingFold.fold(s, leaver("hr-0", T.minusSeconds(60), effective.plus(Duration.ofDays(7)))
        .build(), T.plusSeconds(60), RULES);
    Folded olderBringsForward = StandingFold.fold(s, leaver("hr-0", T.minusSeconds(60), effective.minus(Duration.ofDays(2)))
        .build(), T.plusSeconds(60), RULES);

    assertThat(postponed.changes()).containsExactly(HrChange.LEAVE_RESCHEDULED);
    assertThat(postponed.after().getLeave().getEffectiveTime()).isEqualTo(effective.plus(Duration.ofDays(7)));
    assertThat(olderPostpones.changes()).containsExactly(HrChange.RESCHEDULE_REFUSED);
    assertThat(olderPostpones.refusal()).contains(Refusal.OLDER_RECORD_CANNOT_POSTPONE);
    assertThat(olderPostpones.changed()).isFalse();
    assertThat(olderBringsForward.changes()).containsExactly(HrChange.LEAVE_RESCHEDULED);
    assertThat(olderBringsForward.after().getLeave().getEffectiveTime()).isEqualTo(effective.minus(Duration.ofDays(2)));
    // The older record does not move the latest event applied.
    assertThat(olderBringsForward.after().getLastEventTime()).isEqualTo(T);
  }

  @Test
  void aLeaverOlderThanTheLatestEventStillTerminates() {
    HrStanding moved = StandingFold.fold(hired(), event("hr-2", WorkerEventType.MOVER, T).build(), T, RULES).after();

    Folded late = StandingFold.fold(moved, leaver("hr-1b", T.minusSeconds(60), T.minusSeconds(60)).build(), T, RULES);

    assertThat(late.changes()).containsExactly(HrChange.TERMINATED);
    assertThat(late.after().getLastEventId()).isEqualTo("hr-2");
  }

  @Test
  void aCancelOlderThanThePendingLeaverDoesNotCancelIt() {
    HrStanding s = pending(T, T.plus(Duration.ofDays(7)));

    Folded stale = StandingFold.fold(s, event("hr-3", WorkerEventType.LEAVER_CANCELLED, T.minusSeconds(1)).build(),
        T.plusSeconds(1), RULES);
    Folded staleRehire = StandingFold.fold(s, event("hr-4", WorkerEventType.REHIRE, T.minusSeconds(1)).build(),
        T.plusSeconds(1), RULES);

    assertThat(stale.changes()).containsExactly(HrChange.CANCEL_REFUSED);
    assertThat(stale.refusal()).contains(Refusal.STALE_EVENT);
    assertThat(stale.after().getPhase()).isEqualTo(HrPhase.LEAVE_PENDING);
    assertThat(staleRehire.changes()).containsExactly(HrChange.CANCEL_REFUSED);
    assertThat(staleRehire.after().getPhase()).isEqualTo(HrPhase.LEAVE_PENDING);
  }

  @Test
  void aCancelledLeaverLeavesNoTraceOfTheLeave() {
    HrStanding s = pending(T, T.plus(Duration.ofDays(7)));

    Folded cancelled = StandingFold.fold(s, event("hr-3", WorkerEventType.LEAVER_CANCELLED, T.plusSeconds(1)).build(),
        T.plusSeconds(1), RULES);

    assertThat(cancelled.after().getPhase()).isEqualTo(HrPhase.ACTIVE);
    assertThat(cancelled.after().getLeave()).isNull();
    assertThat(cancelled.after().getTerminatedAt()).isNull();
    assertThat(StandingFold.at(cancelled.after(), T.plus(Duration.ofDays(30))).getPhase()).isEqualTo(HrPhase.ACTIVE);
  }
}
