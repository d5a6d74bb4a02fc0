package io.authlifecycle.core.hr;

import static io.authlifecycle.core.hr.HrEvents.T;
import static io.authlifecycle.core.hr.HrEvents.event;
import static io.authlifecycle.core.hr.HrEvents.leaver;
import static io.authlifecycle.core.hr.HrEvents.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.HrPhase;
import io.authlifecycle.avro.state.HrStanding;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one transition table of HR standing: every phase against every kind of HR event, read at
 * {@link HrEvents#T}. The changes compared are the phase-level ones; profile, privilege and
 * verification changes have tables of their own in {@link StandingProfileTest}.
 */
class StandingFoldTest {

  static final StandingRules RULES = HrEvents.rules(Map.of());

  /** The changes that say what happened to the phase (or why nothing did). */
  static final Set<HrChange> PHASE_CHANGES = EnumSet.of(HrChange.ACTIVATED, HrChange.REOPENED,
      HrChange.REOPEN_REFUSED, HrChange.LEAVE_SCHEDULED, HrChange.LEAVE_RESCHEDULED, HrChange.RESCHEDULE_REFUSED,
      HrChange.LEAVE_CANCELLED, HrChange.CANCEL_REFUSED, HrChange.TERMINATED, HrChange.ALREADY_TERMINATED,
      HrChange.STALE);

  /** The standings the table starts from, each folded from events before {@code T}. */
  enum Before {
    UNKNOWN, ACTIVE, LEAVE_PENDING, PENDING_DUE, TERMINATED;

    HrStanding standing() {
      HrStanding s = null;
      if (this == UNKNOWN) {
        return null;
      }
      s = fold(s, event("hr-join", WorkerEventType.JOINER, T.minus(Duration.ofDays(10))).build(), T.minus(Duration.ofDays(10)));
      Instant yesterday = T.minus(Duration.ofDays(1));
      return switch (this) {
        case LEAVE_PENDING -> fold(s, leaver("hr-leave", yesterday, T.plus(Duration.ofDays(7))).build(), yesterday);
        case PENDING_DUE -> fold(s, leaver("hr-leave", yesterday, T.minus(Duration.ofHours(2))).build(), yesterday);
        case TERMINATED -> fold(s, leaver("hr-leave", yesterday, yesterday).setImmediate(true).build(), yesterday);
        default -> s;
      };
    }
  }

  /** The events of the table, all recorded at {@code T}. */
  enum Input {
    JOINER, MOVER, REHIRE, REHIRE_UNVERIFIED, LEAVER_NOW, LEAVER_FUTURE, LEAVER_CANCELLED;

    WorkerEvent record() {
      return switch (this) {
        case JOINER -> event("hr-9", WorkerEventType.JOINER, T).build();
        case MOVER -> event("hr-9", WorkerEventType.MOVER, T).build();
        case REHIRE -> event("hr-9", WorkerEventType.REHIRE, T)
            .setIdentityVerification(verified("iv-9", IdentityAssuranceLevel.IAL2, T.minus(Duration.ofHours(1)))).build();
        case REHIRE_UNVERIFIED -> event("hr-9", WorkerEventType.REHIRE, T).build();
        case LEAVER_NOW -> leaver("hr-9", T, T).build();
        case LEAVER_FUTURE -> leaver("hr-9", T, T.plus(Duration.ofDays(14))).build();
        case LEAVER_CANCELLED -> event("hr-9", WorkerEventType.LEAVER_CANCELLED, T).build();
      };
    }
  }

  @ParameterizedTest(name = "{0} + {1} → {2} {3} {4}")
  @CsvSource({
      "UNKNOWN,       JOINER,            ACTIVE,        ACTIVATED,                         -",
      "UNKNOWN,       MOVER,             ACTIVE,        ACTIVATED,                         -",
      "UNKNOWN,       REHIRE,            ACTIVE,        ACTIVATED,                         -",
      "UNKNOWN,       REHIRE_UNVERIFIED, ACTIVE,        ACTIVATED,                         -",
      "UNKNOWN,       LEAVER_NOW,        TERMINATED,    TERMINATED,                        -",
      "UNKNOWN,       LEAVER_FUTURE,     LEAVE_PENDING, LEAVE_SCHEDULED,                   -",
      "UNKNOWN,       LEAVER_CANCELLED,  UNKNOWN,       CANCEL_REFUSED,                    NOTHING_PENDING",
      "ACTIVE,        JOINER,            ACTIVE,        -,                                 -",
      "ACTIVE,        MOVER,             ACTIVE,        -,                                 -",
      "ACTIVE,        REHIRE,            ACTIVE,        -,                                 -",
      "ACTIVE,        REHIRE_UNVERIFIED, ACTIVE,        -,                                 -",
      "ACTIVE,        LEAVER_NOW,        TERMINATED,    TERMINATED,                        -",
      "ACTIVE,        LEAVER_FUTURE,     LEAVE_PENDING, LEAVE_SCHEDULED,                   -",
      "ACTIVE,        LEAVER_CANCELLED,  ACTIVE,        CANCEL_REFUSED,                    NOTHING_PENDING",
      "LEAVE_PENDING, JOINER,            LEAVE_PENDING, -,                                 -",
      "LEAVE_PENDING, MOVER,             LEAVE_PENDING, -,                                 -",
      "LEAVE_PENDING, REHIRE,            ACTIVE,        LEAVE_CANCELLED,                   -",
      "LEAVE_PENDING, REHIRE_UNVERIFIED, ACTIVE,        LEAVE_CANCELLED,                   -",
      "LEAVE_PENDING, LEAVER_NOW,        TERMINATED,    TERMINATED,                        -",
      "LEAVE_PENDING, LEAVER_FUTURE,     LEAVE_PENDING, LEAVE_RESCHEDULED,                 -",
      "LEAVE_PENDING, LEAVER_CANCELLED,  ACTIVE,        LEAVE_CANCELLED,                   -",
      "PENDING_DUE,   JOINER,            TERMINATED,    TERMINATED REOPEN_REFUSED,         JOINER_DOES_NOT_REOPEN",
      "PENDING_DUE,   MOVER,             TERMINATED,    TERMINATED REOPEN_REFUSED,         MOVER_DOES_NOT_REOPEN",
      "PENDING_DUE,   REHIRE,            ACTIVE,        TERMINATED REOPENED,               -",
      "PENDING_DUE,   REHIRE_UNVERIFIED, TERMINATED,    TERMINATED REOPEN_REFUSED,         IDENTITY_NOT_VERIFIED",
      "PENDING_DUE,   LEAVER_NOW,        TERMINATED,    TERMINATED ALREADY_TERMINATED,     -",
      "PENDING_DUE,   LEAVER_FUTURE,     TERMINATED,    TERMINATED ALREADY_TERMINATED,     -",
      "PENDING_DUE,   LEAVER_CANCELLED,  TERMINATED,    TERMINATED CANCEL_REFUSED,         ALREADY_TERMINATED",
      "TERMINATED,    JOINER,            TERMINATED,    REOPEN_REFUSED,                    JOINER_DOES_NOT_REOPEN",
      "TERMINATED,    MOVER,             TERMINATED,    REOPEN_REFUSED,                    MOVER_DOES_NOT_REOPEN",
      "TERMINATED,    REHIRE,            ACTIVE,        REOPENED,                          -",
      "TERMINATED,    REHIRE_UNVERIFIED, TERMINATED,    REOPEN_REFUSED,                    IDENTITY_NOT_VERIFIED",
      "TERMINATED,    LEAVER_NOW,        TERMINATED,    ALREADY_TERMINATED,                -",
      "TERMINATED,    LEAVER_FUTURE,     TERMINATED,    ALREADY_TERMINATED,                -",
      "TERMINATED,    LEAVER_CANCELLED,  TERMINATED,    CANCEL_REFUSED,                    ALREADY_TERMINATED"})
  void theTransitionTable(Before before, Input input, HrPhase after, String changes, String refusal) {
    HrStanding start = before.standing();

    Folded folded = StandingFold.fold(start, input.record(), T, RULES);

    assertThat(folded.after().getPhase()).isEqualTo(after);
    assertThat(folded.changes().stream().filter(PHASE_CHANGES::contains).toList())
        .isEqualTo(changes.equals("-") ? List.of()
            : Arrays.stream(changes.split(" ")).map(HrChange::valueOf).toList());
    assertThat(folded.refusal().map(Enum::name).orElse("-")).isEqualTo(refusal);
    if (folded.refusal().isPresent() || folded.has(HrChange.ALREADY_TERMINATED)) {
      // A refused event changes nothing but what time alone changed.
      assertThat(folded.after()).isEqualTo(StandingFold.at(start, T));
    }
  }

  static HrStanding fold(HrStanding s, WorkerEvent e, Instant now) {
    return StandingFold.fold(s, e, now, RULES).after();
  }
}
