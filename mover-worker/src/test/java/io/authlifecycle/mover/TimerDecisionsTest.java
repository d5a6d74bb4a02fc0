package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.hr;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.suspended;
import static io.authlifecycle.mover.Inputs.used;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimerDecisionsTest extends RegistryFixture {

  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void aFactorWithAnExpiryIsRemindedFourteenAndThreeDaysBeforeAndExpiredAtTheTime() {
    on(joiner("alice", "engineer", false, T0));
    Instant expiresAt = T0.plus(Duration.ofDays(20));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt.minus(Duration.ofDays(14)));
    Decision<MoverSubject> first = at(expiresAt.minus(Duration.ofDays(14)));
    assertThat(first.notifications()).extracting(SubjectNotification::getTopic).containsExactly("factor.expiring");
    assertThat(first.auditActions()).containsExactly("mover.subject.notified", "mover.factor.expiry-reminded");
    assertThat(first.commands()).isEmpty();

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt.minus(Duration.ofDays(3)));
    assertThat(at(expiresAt.minus(Duration.ofDays(3))).notifications()).extracting(SubjectNotification::getTopic)
        .containsExactly("factor.expiring");

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt);
    Decision<MoverSubject> expiry = at(expiresAt);
    String causation = "expiry:a-key:" + expiresAt.toEpochMilli();
    assertThat(expiry.commands()).containsExactly(command(CommandAction.EXPIRE_AUTHENTICATOR, causation, expiresAt,
        "expiry:alice:a-key", "a-key", "expired at " + expiresAt, PolicyRefs.EXPIRATION, expiresAt)
        .setAuthenticatorId("a-key").build());
    assertThat(expiry.notifications()).extracting(SubjectNotification::getTopic).containsExactly("factor.expired");
    assertThat(factor("a-key").getRequested()).isEqualTo(MoverRequest.EXPIRE);
  }

  @Test
  void aTimerThatFiresLateSendsOnlyTheLatestReminderDue() {
    on(joiner("alice", "engineer", false, T0));
    Instant expiresAt = T0.plus(Duration.ofDays(2));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));

    Decision<MoverSubject> late = at(T0);

    assertThat(late.notifications()).hasSize(1);
    assertThat(late.audits().get(1).getDetails()).containsEntry("before", Duration.ofDays(3).toString());
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
    assertThat(factor("a-key").getExpiresAt()).isEqualTo(renewed);
    assertThat(at(T0.plus(Duration.ofDays(20))).commands()).isEmpty();
  }

  @Test
  void anUnusedFactorIsRemindedAfterNinetyDaysAndRevokedWhenStillUnusedAfterTheGrace() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(T0.plus(Duration.ofDays(90)));
    Decision<MoverSubject> reminder = at(T0.plus(Duration.ofDays(90)));
    assertThat(reminder.notifications()).extracting(SubjectNotification::getTopic).containsExactly("factor.unused");
    assertThat(reminder.commands()).isEmpty();

    assertThat(decisions.nextDue(alice)).isEqualTo(T0.plus(Duration.ofDays(104)));
    Decision<MoverSubject> revoke = at(T0.plus(Duration.ofDays(104)));
    assertThat(revoke.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
        AuthenticatorCommand::getPolicyRef)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-otp", PolicyRefs.INVALIDATION));
    assertThat(decisions.nextDue(alice)).isNull();
  }

  @Test
  void anEffectiveLeaverStopsEveryReminderAndExpiryForTheSubject() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Decision<MoverSubject> left = on(hr(WorkerEventType.LEAVER, "alice", "engineer", false, "hr-alice-left", later(DAY)));

    assertThat(left.auditActions()).containsExactly("mover.clock.stopped");
    assertThat(left.commands()).isEmpty();
    assertThat(decisions.nextDue(alice)).isNull();
    Decision<MoverSubject> afterStale = at(T0.plus(Duration.ofDays(120)));
    assertThat(afterStale.notifications()).isEmpty();
    assertThat(afterStale.commands()).isEmpty();

    on(hr(WorkerEventType.REHIRE, "alice", "engineer", false, "hr-alice-unverified", later(DAY)));
    assertThat(decisions.nextDue(alice)).isNull();
    Instant back = later(DAY);
    on(Inputs.withVerification(hr(WorkerEventType.REHIRE, "alice", "engineer", false, "hr-alice-back", back),
        io.authlifecycle.avro.IdentityAssuranceLevel.IAL2, back.minusSeconds(60)));
    assertThat(decisions.nextDue(alice)).isNotNull();
  }

  @Test
  void aUseAfterTheStaleReminderCancelsTheRevocationAndMovesTheTimer() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    at(T0.plus(Duration.ofDays(90)));

    on(used("alice", "a-otp", later(DAY)));

    assertThat(decisions.nextDue(alice)).isEqualTo(now.plus(Duration.ofDays(90)));
    assertThat(at(T0.plus(Duration.ofDays(104))).commands()).isEmpty();
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
    use(Map.of("mover.expiry.reminders", ""));
    Instant expiresAt = T0.plus(Duration.ofDays(20));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));

    assertThat(decisions.nextDue(alice)).isEqualTo(expiresAt);
  }
}
