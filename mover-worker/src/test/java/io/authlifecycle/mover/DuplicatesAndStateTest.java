package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static io.authlifecycle.mover.Inputs.mover;
import static io.authlifecycle.mover.Inputs.used;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.state.MoverDevice;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Duration;
import java.util.List;
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
    MoverSubject before = copy(alice);

    for (SpecificRecordBase again : List.<SpecificRecordBase>of(
        joiner("alice", "engineer", false, T0),
        mover("alice", "admin", true, "hr-move-1", T0),
        device("alice", "dev-lost", DeviceEventType.LOST, "mdm-10", T0),
        device("alice", "dev-key", DeviceEventType.NONCOMPLIANT, "mdm-9", T0))) {
      assertThat(MoverDecisions.duplicate(alice, again)).as("%s", again.get("eventId")).isTrue();
      assertThat(on(again).isEmpty()).as("%s", again.get("eventId")).isTrue();
    }

    assertThat(alice).isEqualTo(before);
  }

  @Test
  void anEventIdSeenFromOneSourceDoesNotSilenceAnotherSourcesEventWithTheSameId() {
    busySubject();

    // HR and the MDM number their events independently: the same id from the other source is a new event.
    SpecificRecordBase lossNamedLikeAMove = device("alice", "dev-key", DeviceEventType.LOST, "hr-move-1", now);
    assertThat(MoverDecisions.duplicate(alice, lossNamedLikeAMove)).isFalse();
    assertThat(on(lossNamedLikeAMove).isEmpty()).isFalse();
    SpecificRecordBase moveNamedLikeADeviceEvent = mover("alice", "engineer", false, "mdm-9", now);
    assertThat(MoverDecisions.duplicate(alice, moveNamedLikeADeviceEvent)).isFalse();
    assertThat(on(moveNamedLikeADeviceEvent).isEmpty()).isFalse();
  }

  @Test
  void anInputRememberedByItsBareEventIdByTheEarlierReleaseIsStillADuplicate() {
    busySubject();
    alice.getRecentEventIds().add("mdm-11");

    SpecificRecordBase resent = device("alice", "dev-key", DeviceEventType.LOST, "mdm-11", now);
    assertThat(MoverDecisions.duplicate(alice, resent)).isTrue();
    assertThat(on(resent).isEmpty()).isTrue();
  }

  @Test
  void theStoredStateRoundTripsEveryFieldThroughTheStoresSerde() {
    busySubject();
    AvroSerde<MoverSubject> serde = AvroSerde.of(MoverSubject.class);

    MoverSubject stored = serde.deserializer().deserialize("registry", serde.serializer().serialize("registry", alice));

    assertThat(alice).isEqualTo(stored);
    assertThat(stored.getFactors()).hasSize(2);
    assertThat(stored.getDevices()).extracting(MoverDevice::getDeviceId).containsExactly("dev-key", "dev-lost");
    assertThat(stored.getRebind()).isNotNull();
    assertThat(stored.getProfile().getPrivileged()).isTrue();
    assertThat(stored.getScheduledDue()).isEqualTo(decisions.nextDue(alice));
  }

  @Test
  void onlyTheMostRecentEventIdsAreKept() {
    for (int i = 0; i < 70; i++) {
      on(used("alice", "a-key", later(rules.useResolution())));
    }

    assertThat(alice.getRecentEventIds()).hasSize(64);
  }

  @Test
  void noDecisionChangesTheStateItWasGivenNorDoesTheTimer() {
    busySubject();
    MoverSubject stored = alice;
    MoverSubject before = copy(stored);

    decisions.decide(stored, "alice", used("alice", "a-otp", now.plus(Duration.ofDays(1))), now);
    decisions.decide(stored, "alice", bound("alice", "a-new", FactorType.OTP_APP, "dev-lost", null, now), now);
    decisions.decide(stored, "alice", mover("alice", "engineer", false, "hr-move-2", now), now);
    decisions.decide(stored, "alice", device("alice", "dev-key", DeviceEventType.COMPLIANT, "mdm-11", now), now);
    decisions.onTimer(stored, TimerEntry.newBuilder().setOwner("alice")
        .setKind(MoverDecisions.TIMER_KIND).setDueAt(now).build(), now.plus(Duration.ofDays(120)));

    assertThat(stored).isEqualTo(before);
  }
}
