package io.authlifecycle.mover.registry;

import static io.authlifecycle.mover.Inputs.applied;
import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.failed;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.resumed;
import static io.authlifecycle.mover.Inputs.revoked;
import static io.authlifecycle.mover.Inputs.suspended;
import static io.authlifecycle.mover.Inputs.used;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FactRecorderTest extends RegistryFixture {

  @Test
  void aFactAboutAnUnknownFactorIsRecordedAndAuditedNotDropped() {
    Instant usedAt = later(Duration.ofHours(1));

    Outcome out = on(used("alice", "a-ghost", usedAt));

    Factor ghost = factor("a-ghost");
    assertThat(ghost.seenBound()).isFalse();
    assertThat(ghost.lastUsedAt()).isEqualTo(usedAt);
    assertThat(ghost.status()).isEqualTo(Factor.Status.ACTIVE);
    assertThat(audits(out)).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("mover.factor.unknown-recorded");
      assertThat(a.outcome()).isEqualTo(AuditOutcome.RECORDED);
      assertThat(a.policyRef()).isEqualTo(PolicyRefs.AUTHENTICATOR_RECORD);
      assertThat(a.authenticatorId()).isEqualTo("a-ghost");
    });
  }

  @Test
  void aRevokedFactorIsKeptWithTheTimeOfEachLifecycleEvent() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(used("alice", "a-otp", later(Duration.ofHours(1))));
    Instant revokedAt = later(Duration.ofHours(2));

    on(revoked("alice", "a-otp", null, revokedAt));

    Factor otp = factor("a-otp");
    assertThat(otp.status()).isEqualTo(Factor.Status.REVOKED);
    assertThat(otp.revokedAt()).isEqualTo(revokedAt);
    assertThat(otp.lastUsedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(otp.type()).isEqualTo(FactorType.OTP_APP);
    assertThat(decisions.nextDue(alice)).isNull();
  }

  @Test
  void aRevocationThatArrivesBeforeTheBindingLeavesTheFactorRevoked() {
    on(revoked("alice", "a-otp", null, T0.plus(Duration.ofMinutes(5))));

    Outcome bind = on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    assertThat(commands(bind)).isEmpty();
    assertThat(factor("a-otp").status()).isEqualTo(Factor.Status.REVOKED);
    assertThat(factor("a-otp").seenBound()).isTrue();
  }

  @Test
  void theIdpConfirmingAnExpiryMarksTheFactorExpired() {
    Instant expiresAt = T0.plus(Duration.ofDays(1));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));
    String commandId = commands(at(expiresAt)).get(0).commandId();

    on(applied("alice", commandId, CommandAction.EXPIRE_AUTHENTICATOR, expiresAt.plusSeconds(2)));

    assertThat(factor("a-key").status()).isEqualTo(Factor.Status.EXPIRED);
    assertThat(factor("a-key").requested()).isEqualTo(Factor.Request.NONE);
  }

  @Test
  void suspendedAndResumedFactsMoveTheStatusButNeverReviveARevokedFactor() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(suspended("alice", "a-otp", null, later(Duration.ofMinutes(1))));
    assertThat(factor("a-otp").status()).isEqualTo(Factor.Status.SUSPENDED);
    on(resumed("alice", "a-otp", null, later(Duration.ofMinutes(1))));
    assertThat(factor("a-otp").status()).isEqualTo(Factor.Status.ACTIVE);
    on(revoked("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    on(resumed("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    assertThat(factor("a-otp").status()).isEqualTo(Factor.Status.REVOKED);
  }

  @Test
  void aUseReportedAfterRevocationIsAnAnomaly() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(revoked("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    Outcome out = on(used("alice", "a-otp", later(Duration.ofMinutes(1))));

    assertThat(audits(out)).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("mover.factor.used-after-end");
      assertThat(a.outcome()).isEqualTo(AuditOutcome.ANOMALY);
      assertThat(a.severity()).isEqualTo(Severity.HIGH);
    });
  }

  @Test
  void aPermanentlyFailedRevocationIsEscalatedAndNoLongerPending() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    String commandId = commands(on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", T0))).get(0).commandId();

    Outcome out = on(failed("alice", commandId, CommandAction.REVOKE_AUTHENTICATOR, true, later(Duration.ofMinutes(1))));

    assertThat(audits(out)).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("mover.command.failed");
      assertThat(a.outcome()).isEqualTo(AuditOutcome.FAILED);
      assertThat(a.commandIds()).containsExactly(commandId);
    });
    assertThat(factor("a-otp").requested()).isEqualTo(Factor.Request.NONE);
  }

  @Test
  void aUseWithinTheResolutionOfTheLastActivityLeavesTheViewAsItWas() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    MoverSubject before = SubjectCodec.encode(alice);

    Outcome soon = on(used("alice", "a-otp", later(rules.useResolution().minusSeconds(1))));

    assertThat(soon.viewChanged()).isFalse();
    assertThat(soon.steps()).isEmpty();
    assertThat(SubjectCodec.encode(alice)).isEqualTo(before);
    assertThat(decisions.nextDue(alice)).as("staleness counts from the recorded activity")
        .isEqualTo(T0.plus(rules.staleAfter()));

    Instant atResolution = T0.plus(rules.useResolution());
    Outcome recorded = on(used("alice", "a-otp", atResolution));

    assertThat(recorded.viewChanged()).isTrue();
    assertThat(factor("a-otp").lastUsedAt()).isEqualTo(atResolution);
    assertThat(decisions.nextDue(alice)).isEqualTo(atResolution.plus(rules.staleAfter()));
  }

  @Test
  void withAZeroResolutionEveryLaterUseIsRecorded() {
    use(new MoverRules(WORKER, rules.policy(), rules.rebindGrace(), rules.rebindTicketLifetime(),
        rules.lossTicketLifetime(), rules.expiryReminders(), rules.staleAfter(), rules.staleGrace(), 64, Duration.ZERO));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    Instant usedAt = later(Duration.ofSeconds(1));

    assertThat(on(used("alice", "a-otp", usedAt)).viewChanged()).isTrue();
    assertThat(factor("a-otp").lastUsedAt()).isEqualTo(usedAt);
  }

  @Test
  void aUseOfARevokedFactorIsAnAnomalyHoweverSoonItComes() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(revoked("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    Outcome afterRevocation = on(used("alice", "a-otp", later(Duration.ofMinutes(1))));

    assertThat(actions(afterRevocation)).containsExactly("mover.factor.used-after-end");
    assertThat(audits(afterRevocation).get(0).severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aUseOfAFactorNeverSeenIsRecordedHoweverSoonItComes() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Outcome ghost = on(used("alice", "a-ghost", later(Duration.ofSeconds(1))));

    assertThat(ghost.viewChanged()).isTrue();
    assertThat(actions(ghost)).containsExactly("mover.factor.unknown-recorded");
  }
}
