package io.authlifecycle.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LastUsesTest {

  private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  private final Random random = new Random(20261130);

  @Test
  void answersExactlyAsTheDecisionsWouldFromTheStoredEntryForEveryKindOfFactorAndUse() {
    for (String resolution : List.of("1h", "0s", "1d")) {
      MoverRules rules = RegistryFixture.rules(Map.of("mover.use.resolution", resolution));
      FactDecisions facts = new FactDecisions(rules, null, null, null);
      LastUses lastUses = new LastUses(rules.useResolution(), 1_000);
      for (int n = 0; n < 20_000; n++) {
        MoverSubject stored = randomSubject();
        lastUses.remember("s", stored);
        AuthenticatorUsed use = AuthenticatorUsed.newBuilder().setEventId("u-" + n).setSubjectId("s")
            .setAuthenticatorId("a-" + random.nextInt(4)).setFactorType(FactorType.OTP_APP)
            .setEventTime(T0.plus(Duration.ofMinutes(random.nextInt(3 * 24 * 60) - 24 * 60))).build();

        assertThat(lastUses.skips("s", use)).as("%s with resolution %s", stored, resolution)
            .isEqualTo(facts.withinResolution(stored, use));
      }
    }
  }

  @Test
  void knowsNothingOfASubjectItNeverSawOrDropped() {
    LastUses lastUses = new LastUses(Duration.ofHours(1), 2);
    MoverSubject stored = subject(factor("a-0", MoverFactorStatus.ACTIVE, T0, null, null));
    AuthenticatorUsed soon = AuthenticatorUsed.newBuilder().setEventId("u").setSubjectId("s1").setAuthenticatorId("a-0")
        .setFactorType(FactorType.OTP_APP).setEventTime(T0.plusSeconds(60)).build();

    assertThat(lastUses.skips("s1", soon)).isFalse();
    lastUses.remember("s1", stored);
    assertThat(lastUses.skips("s1", soon)).isTrue();
    lastUses.remember("s2", stored);
    lastUses.remember("s3", stored);
    assertThat(lastUses.size()).isEqualTo(2);
    assertThat(lastUses.skips("s1", soon)).as("the least recently used subject was dropped").isFalse();
    lastUses.clear();
    assertThat(lastUses.skips("s3", soon)).isFalse();
  }

  private MoverSubject randomSubject() {
    List<MoverFactor> factors = new ArrayList<>();
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      MoverFactorStatus status = MoverFactorStatus.values()[random.nextInt(MoverFactorStatus.values().length)];
      Instant bound = random.nextBoolean() ? T0.minus(Duration.ofMinutes(random.nextInt(2 * 24 * 60))) : null;
      Instant used = random.nextBoolean() ? T0.plus(Duration.ofMinutes(random.nextInt(24 * 60))) : null;
      Instant reminded = random.nextInt(4) == 0 ? T0 : null;
      factors.add(factor("a-" + random.nextInt(4), status, bound, used, reminded));
    }
    return subject(factors.toArray(MoverFactor[]::new));
  }

  private static MoverFactor factor(String id, MoverFactorStatus status, Instant bound, Instant used, Instant reminded) {
    return MoverFactor.newBuilder().setAuthenticatorId(id).setStatus(status).setRequested(MoverRequest.NONE)
        .setFirstSeenAt(T0.minus(Duration.ofDays(3))).setBoundAt(bound).setLastUsedAt(used).setStaleReminderAt(reminded).build();
  }

  private static MoverSubject subject(MoverFactor... factors) {
    return MoverSubject.newBuilder().setSubjectId("s").setFactors(new ArrayList<>(List.of(factors)))
        .setDevices(new ArrayList<>()).setRecentEventIds(new ArrayList<>()).build();
  }
}
