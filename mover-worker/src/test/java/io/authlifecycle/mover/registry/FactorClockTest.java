package io.authlifecycle.mover.registry;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.hr;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.suspended;
import static io.authlifecycle.mover.Inputs.used;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.mover.registry.Step.Cause;
import io.authlifecycle.mover.registry.Step.Command;
import io.authlifecycle.mover.registry.Step.Notice;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FactorClockTest extends RegistryFixture {

  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void aFactorWithAnExpiryIsRemindedFourteenAndThreeDaysBeforeAndExpiredAtTheTime() {
    on(joiner("alice", "engineer", false, T0));
    Instant expiresAt = T0.plus(Duration.ofDays(20));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt.minus(Duration.ofDays(14)));
    Outcome first = at(expiresAt.minus(Duration.ofDays(14)));
    assertThat(notices(first)).extracting(Notice::topic).containsExactly("factor.expiring");
    assertThat(actions(first)).containsExactly("mover.subject.notified", "mover.factor.expiry-reminded");
    assertThat(commands(first)).isEmpty();

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt.minus(Duration.ofDays(3)));
    assertThat(notices(at(expiresAt.minus(Duration.ofDays(3))))).extracting(Notice::topic).containsExactly("factor.expiring");

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt);
    Outcome expiry = at(expiresAt);
    String causation = "expiry:a-key:" + expiresAt.toEpochMilli();
    assertThat(commands(expiry)).containsExactly(new Command(
        rules.commandId(causation, CommandAction.EXPIRE_AUTHENTICATOR, "a-key"), CommandAction.EXPIRE_AUTHENTICATOR,
        "a-key", "a-key", new Cause(causation, expiresAt, "expiry:alice:a-key"), "expired at " + expiresAt,
        PolicyRefs.EXPIRATION, null));
    assertThat(notices(expiry)).extracting(Notice::topic).containsExactly("factor.expired");
    assertThat(factor("a-key").requested()).isEqualTo(Factor.Request.EXPIRE);
  }

  @Test
  void aTimerThatFiresLateSendsOnlyTheLatestReminderDue() {
    on(joiner("alice", "engineer", false, T0));
    Instant expiresAt = T0.plus(Duration.ofDays(2));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));

    Outcome late = at(T0);

    assertThat(notices(late)).hasSize(1);
    assertThat(audits(late).get(1).details()).containsEntry("before", Duration.ofDays(3).toString());
    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt);
  }

  @Test
  void aRenewalMovesTheTimerAndStartsTheRemindersOver() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", T0.plus(Duration.ofDays(20)), T0));
    at(T0.plus(Duration.ofDays(6)));
    Instant renewed = T0.plus(Duration.ofDays(400));

    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", renewed, later(DAY)));

    assertThat(decisions.nextDue(alice)).isEqualTo(now.plus(Duration.ofDays(90)));
    assertThat(factor("a-key").expiresAt()).isEqualTo(renewed);
    assertThat(commands(at(T0.plus(Duration.ofDays(20))))).isEmpty();
  }

  @Test
  void anUnusedFactorIsRemindedAfterNinetyDaysAndRevokedWhenStillUnusedAfterTheGrace() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(T0.plus(Duration.ofDays(90)));
    Outcome reminder = at(T0.plus(Duration.ofDays(90)));
    assertThat(notices(reminder)).extracting(Notice::topic).containsExactly("factor.unused");
    assertThat(commands(reminder)).isEmpty();

    assertThat(decisions.nextDue(alice)).isEqualTo(T0.plus(Duration.ofDays(104)));
    Outcome revoke = at(T0.plus(Duration.ofDays(104)));
    assertThat(commands(revoke)).extracting(Command::action, Command::authenticatorId, Command::policyRef)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-otp", PolicyRefs.INVALIDATION));
    assertThat(decisions.nextDue(alice)).isNull();
  }

  @Test
  void anEffectiveLeaverStopsEveryReminderAndExpiryForTheSubject() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Outcome left = on(hr(WorkerEventType.LEAVER, "alice", "engineer", false, "hr-alice-left", later(DAY)));

    assertThat(actions(left)).containsExactly("mover.clock.stopped");
    assertThat(commands(left)).isEmpty();
    assertThat(decisions.nextDue(alice)).isNull();
    Outcome afterStale = at(T0.plus(Duration.ofDays(120)));
    assertThat(notices(afterStale)).isEmpty();
    assertThat(commands(afterStale)).isEmpty();

    on(hr(WorkerEventType.REHIRE, "alice", "engineer", false, "hr-alice-back", later(DAY)));
    assertThat(decisions.nextDue(alice)).isNotNull();
  }

  @Test
  void aUseAfterTheStaleReminderCancelsTheRevocationAndMovesTheTimer() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    at(T0.plus(Duration.ofDays(90)));

    on(used("alice", "a-otp", later(DAY)));

    assertThat(decisions.nextDue(alice)).isEqualTo(now.plus(Duration.ofDays(90)));
    assertThat(commands(at(T0.plus(Duration.ofDays(104))))).isEmpty();
  }

  @Test
  void aUseMovesTheStalenessTimer() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    Instant usedAt = later(Duration.ofDays(30));

    on(used("alice", "a-otp", usedAt));

    assertThat(decisions.nextDue(alice)).isEqualTo(usedAt.plus(Duration.ofDays(90)));
  }

  @Test
  void aSuspendedFactorDoesNotGoStaleButStillExpires() {
    Instant expiresAt = T0.plus(Duration.ofDays(200));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", expiresAt, T0));
    on(suspended("alice", "a-otp", null, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt.minus(Duration.ofDays(14)));
  }

  @Test
  void remindersFollowTheConfiguredOffsetsAndNoneMeansExpiryOnly() {
    use(new MoverRules(WORKER, rules.policy(), rules.rebindGrace(), rules.rebindTicketLifetime(),
        rules.lossTicketLifetime(), java.util.List.of(), rules.staleAfter(), rules.staleGrace(), 64, rules.useResolution()));
    Instant expiresAt = T0.plus(Duration.ofDays(20));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt);
  }
}
