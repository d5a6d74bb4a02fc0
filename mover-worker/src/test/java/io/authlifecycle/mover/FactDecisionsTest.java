package io.authlifecycle.mover;

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
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactDecisionsTest extends RegistryFixture {

  @Test
  void aFactAboutAnUnknownFactorIsRecordedAndAuditedNotDropped() {
    Instant usedAt = later(Duration.ofHours(1));

    Decision<MoverSubject> out = on(used("alice", "a-ghost", usedAt));

    MoverFactor ghost = factor("a-ghost");
    assertThat(ghost.getSeenBound()).isFalse();
    assertThat(ghost.getLastUsedAt()).isEqualTo(usedAt);
    assertThat(ghost.getStatus()).isEqualTo(MoverFactorStatus.ACTIVE);
    assertThat(out.audits()).singleElement().satisfies(a -> {
      assertThat(a.getAction()).isEqualTo("mover.factor.unknown-recorded");
      assertThat(a.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
      assertThat(a.getPolicyRef()).isEqualTo(PolicyRefs.AUTHENTICATOR_RECORD);
      assertThat(a.getAuthenticatorId()).isEqualTo("a-ghost");
    });
  }

  @Test
  void aRevokedFactorIsKeptWithTheTimeOfEachLifecycleEvent() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(used("alice", "a-otp", later(Duration.ofHours(1))));
    Instant revokedAt = later(Duration.ofHours(2));

    on(revoked("alice", "a-otp", null, revokedAt));

    MoverFactor otp = factor("a-otp");
    assertThat(otp.getStatus()).isEqualTo(MoverFactorStatus.REVOKED);
    assertThat(otp.getRevokedAt()).isEqualTo(revokedAt);
    assertThat(otp.getLastUsedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(otp.getFactorType()).isEqualTo(FactorType.OTP_APP);
    assertThat(decisions.nextDue(alice)).isNull();
  }

  @Test
  void aRevocationThatArrivesBeforeTheBindingLeavesTheFactorRevoked() {
    on(revoked("alice", "a-otp", null, T0.plus(Duration.ofMinutes(5))));

    Decision<MoverSubject> bind = on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    assertThat(bind.commands()).isEmpty();
    assertThat(factor("a-otp").getStatus()).isEqualTo(MoverFactorStatus.REVOKED);
    assertThat(factor("a-otp").getSeenBound()).isTrue();
  }

  @Test
  void theIdpConfirmingAnExpiryMarksTheFactorExpired() {
    Instant expiresAt = T0.plus(Duration.ofDays(1));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", expiresAt, T0));
    String commandId = at(expiresAt).commands().get(0).getCommandId();

    on(applied("alice", commandId, CommandAction.EXPIRE_AUTHENTICATOR, expiresAt.plusSeconds(2)));

    assertThat(factor("a-key").getStatus()).isEqualTo(MoverFactorStatus.EXPIRED);
    assertThat(factor("a-key").getRequested()).isEqualTo(MoverRequest.NONE);
  }

  @Test
  void aDryRunApplicationIsShadowAndNeverEndsAFactorInTheRegistry() {
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", T0.plus(Duration.ofDays(20)), T0));
    Instant expiresAt = T0.plus(Duration.ofDays(20));
    String commandId = at(expiresAt).commands().get(0).getCommandId();

    Decision<MoverSubject> shadow = on(CommandApplied.newBuilder(applied("alice", commandId,
        CommandAction.EXPIRE_AUTHENTICATOR, expiresAt.plusSeconds(2))).setDryRun(true).build());

    assertThat(shadow.auditActions()).containsExactly("mover.command.shadow");
    assertThat(shadow.audits().get(0).getDetails()).containsEntry("shadow", "true")
        .containsEntry("action", "EXPIRE_AUTHENTICATOR");
    assertThat(shadow.audits().get(0).getCommandIds()).containsExactly(commandId);
    assertThat(factor("a-key").getStatus()).isEqualTo(MoverFactorStatus.ACTIVE);
    assertThat(factor("a-key").getExpiredAt()).isNull();
    assertThat(factor("a-key").getRequested()).isEqualTo(MoverRequest.EXPIRE);

    // The real application, later, ends it.
    on(CommandApplied.newBuilder(applied("alice", commandId, CommandAction.EXPIRE_AUTHENTICATOR, expiresAt.plusSeconds(5)))
        .setEventId("applied-for-real").build());
    assertThat(factor("a-key").getStatus()).isEqualTo(MoverFactorStatus.EXPIRED);
  }

  @Test
  void suspendedAndResumedFactsMoveTheStatusButNeverReviveARevokedFactor() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(suspended("alice", "a-otp", null, later(Duration.ofMinutes(1))));
    assertThat(factor("a-otp").getStatus()).isEqualTo(MoverFactorStatus.SUSPENDED);
    on(resumed("alice", "a-otp", null, later(Duration.ofMinutes(1))));
    assertThat(factor("a-otp").getStatus()).isEqualTo(MoverFactorStatus.ACTIVE);
    on(revoked("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    on(resumed("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    assertThat(factor("a-otp").getStatus()).isEqualTo(MoverFactorStatus.REVOKED);
  }

  @Test
  void aUseReportedAfterRevocationIsAnAnomaly() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(revoked("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    Decision<MoverSubject> out = on(used("alice", "a-otp", later(Duration.ofMinutes(1))));

    assertThat(out.audits()).singleElement().satisfies(a -> {
      assertThat(a.getAction()).isEqualTo("mover.factor.used-after-end");
      assertThat(a.getOutcome()).isEqualTo(AuditOutcome.ANOMALY);
      assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
    });
  }

  @Test
  void aPermanentlyFailedRevocationIsEscalatedAndNoLongerPending() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    String commandId = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", T0)).commands().get(0).getCommandId();

    Decision<MoverSubject> out = on(failed("alice", commandId, CommandAction.REVOKE_AUTHENTICATOR, true,
        later(Duration.ofMinutes(1))));

    assertThat(out.audits()).singleElement().satisfies(a -> {
      assertThat(a.getAction()).isEqualTo("mover.command.failed");
      assertThat(a.getOutcome()).isEqualTo(AuditOutcome.FAILED);
      assertThat(a.getCommandIds()).containsExactly(commandId);
    });
    assertThat(factor("a-otp").getRequested()).isEqualTo(MoverRequest.NONE);
  }

  @Test
  void aUseWithinTheResolutionOfTheLastActivityLeavesTheViewAsItWas() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    MoverSubject before = copy(alice);

    Decision<MoverSubject> soon = on(used("alice", "a-otp", later(rules.useResolution().minusSeconds(1))));

    assertThat(soon.isEmpty()).as("nothing emitted, no timer moved, nothing stored").isTrue();
    assertThat(alice).isEqualTo(before);
    assertThat(decisions.nextDue(alice)).as("staleness counts from the recorded activity")
        .isEqualTo(T0.plus(rules.staleAfter()));

    Instant atResolution = T0.plus(rules.useResolution());
    Decision<MoverSubject> recorded = on(used("alice", "a-otp", atResolution));

    assertThat(recorded.state()).isPresent();
    assertThat(factor("a-otp").getLastUsedAt()).isEqualTo(atResolution);
    assertThat(decisions.nextDue(alice)).isEqualTo(atResolution.plus(rules.staleAfter()));
  }

  @Test
  void withAZeroResolutionEveryLaterUseIsRecorded() {
    use(Map.of("mover.use.resolution", "0s"));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    Instant usedAt = later(Duration.ofSeconds(1));

    assertThat(on(used("alice", "a-otp", usedAt)).state()).isPresent();
    assertThat(factor("a-otp").getLastUsedAt()).isEqualTo(usedAt);
  }

  @Test
  void aUseOfARevokedFactorIsAnAnomalyHoweverSoonItComes() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(revoked("alice", "a-otp", null, later(Duration.ofMinutes(1))));

    Decision<MoverSubject> afterRevocation = on(used("alice", "a-otp", later(Duration.ofMinutes(1))));

    assertThat(afterRevocation.auditActions()).containsExactly("mover.factor.used-after-end");
    assertThat(afterRevocation.audits().get(0).getSeverity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aUseOfAFactorNeverSeenIsRecordedHoweverSoonItComes() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));

    Decision<MoverSubject> ghost = on(used("alice", "a-ghost", later(Duration.ofSeconds(1))));

    assertThat(ghost.state()).isPresent();
    assertThat(ghost.auditActions()).containsExactly("mover.factor.unknown-recorded");
  }

  @Test
  void aRecordedUseCopiesOnlyTheFactorItTouchesAndLeavesTheRestShared() {
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    MoverSubject stored = alice;
    Instant usedAt = later(rules.useResolution());

    MoverSubject after = on(used("alice", "a-otp", usedAt)).state().orElseThrow();

    assertThat(after.getFactors().get(0).getLastUsedAt()).isEqualTo(usedAt);
    assertThat(stored.getFactors().get(0).getLastUsedAt()).as("the stored factor is not changed").isNull();
    assertThat(after.getFactors().get(1)).as("an untouched factor is not copied").isSameAs(stored.getFactors().get(1));
    List<String> eventIds = new ArrayList<>(stored.getRecentEventIds());
    eventIds.add("idp:used-a-otp-" + usedAt.toEpochMilli());
    assertThat(after.getRecentEventIds()).isEqualTo(eventIds);
  }
}
