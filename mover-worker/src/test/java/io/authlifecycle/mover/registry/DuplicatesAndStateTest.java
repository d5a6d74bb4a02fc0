package io.authlifecycle.mover.registry;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.used;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.state.MoverSubject;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class DuplicatesAndStateTest extends RegistryFixture {

  private void busySubject() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, "dev-phone", T0.plus(Duration.ofDays(30)), T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    on(used("alice", "a-key", later(Duration.ofHours(1))));
    on(mover("alice", "admin", true, "hr-move-1", now));
    on(device("alice", "dev-key", DeviceEventType.NONCOMPLIANT, "mdm-9", later(Duration.ofHours(1))));
    on(device("alice", "dev-lost", DeviceEventType.LOST, "mdm-10", now));
  }

  @Test
  void everyInputDecidedTwiceChangesNothingAndEmitsNothingTheSecondTime() {
    busySubject();
    MoverSubject before = SubjectCodec.encode(alice);

    for (SpecificRecordBase again : java.util.List.<SpecificRecordBase>of(
        joiner("alice", "engineer", false, T0),
        mover("alice", "admin", true, "hr-move-1", T0),
        device("alice", "dev-lost", DeviceEventType.LOST, "mdm-10", T0),
        device("alice", "dev-key", DeviceEventType.NONCOMPLIANT, "mdm-9", T0))) {
      assertThat(on(again).steps()).as("%s", again.get("eventId")).isEmpty();
    }

    assertThat(SubjectCodec.encode(alice)).isEqualTo(before);
  }

  @Test
  void theStoredStateRoundTripsEveryField() {
    busySubject();

    MoverSubject stored = SubjectCodec.encode(alice);

    assertThat(SubjectCodec.encode(SubjectCodec.decode(stored))).isEqualTo(stored);
    assertThat(stored.getFactors()).hasSize(2);
    assertThat(stored.getDevices()).extracting(d -> d.getDeviceId()).containsExactly("dev-key", "dev-lost");
    assertThat(stored.getRebind()).isNotNull();
    assertThat(stored.getProfile().getPrivileged()).isTrue();
  }

  @Test
  void onlyTheMostRecentEventIdsAreKept() {
    for (int i = 0; i < 70; i++) {
      on(used("alice", "a-key", later(rules.useResolution())));
    }

    assertThat(SubjectCodec.encode(alice).getRecentEventIds()).hasSize(64);
  }
}
