package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Garbage and schema-valid-but-invalid records on each of the mover's inputs go to that input's dead-letter topic. */
class MoverDeadLetterTest {

  private static final byte[] GARBAGE = {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 42};

  private final TopologyHarness harness = new TopologyHarness(new MoverWorker());

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void garbageOnEachInputIsDeadLetteredWithItsBytesAndAudited() {
    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", GARBAGE);
    harness.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "alice", GARBAGE);
    harness.pipeRaw(Topics.MDM_DEVICE_EVENTS.name(), "dev-1", GARBAGE);

    for (TopicSpec<?> input : List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS, Topics.MDM_DEVICE_EVENTS)) {
      assertThat(harness.read(input.deadLetterTopic())).singleElement().satisfies(letter -> {
        assertThat(letter.getSourceTopic()).isEqualTo(input.name());
        assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
        assertThat(letter.getValue().array()).isEqualTo(GARBAGE);
      });
    }
    List<AuditEvent> audit = harness.read(Topics.AUDIT);
    assertThat(audit).extracting(AuditEvent::getWorker, AuditEvent::getSubjectId, AuditEvent::getSeverity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mover-worker", "alice", Severity.HIGH),
            org.assertj.core.groups.Tuple.tuple("mover-worker", "alice", Severity.MEDIUM),
            org.assertj.core.groups.Tuple.tuple("mover-worker-device-intake", "device:dev-1", Severity.HIGH));
    assertThat(audit).extracting(AuditEvent::getOutcome).containsOnly(AuditOutcome.DEAD_LETTERED);
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
    assertThat(harness.read(Topics.COMMANDS_MOVER)).isEmpty();
  }

  @Test
  void aSchemaValidButInvalidRecordOnEachInputIsDeadLetteredWithItsProblems() {
    WorkerEvent hr = WorkerEvent.newBuilder(joiner("alice", "engineer", false, harness.now()))
        .setEventId("").setType(WorkerEventType.UNKNOWN).build();
    AuthenticatorBound fact = AuthenticatorBound.newBuilder(
        bound("alice", "", FactorType.OTP_APP, "dev-1", null, harness.now())).build();
    DeviceEvent lost = device("alice", "dev-1", DeviceEventType.LOST, "mdm-1", harness.now());

    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", hr);
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "bob", fact);
    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-2", lost);

    assertThat(single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).getError())
        .contains("eventId is blank").contains("type is UNKNOWN");
    assertThat(single(harness.read(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic())).getError())
        .contains("authenticatorId is blank").contains("record key 'bob' does not match subjectId 'alice'");
    DeadLetter device = single(harness.read(Topics.MDM_DEVICE_EVENTS.deadLetterTopic()));
    assertThat(device.getErrorKind()).isEqualTo(DeadLetterKind.INVALID);
    assertThat(device.getError()).contains("record key 'dev-2' does not match deviceId 'dev-1'");
    assertThat(device.getWorker()).isEqualTo("mover-worker-device-intake");
    assertThat(harness.read(Topics.COMMANDS_MOVER)).isEmpty();
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
  }

  @Test
  void aDeviceEventWithAnUnknownTypeIsDeadLetteredBeforeItIsReKeyed() {
    harness.pipe(Topics.MDM_DEVICE_EVENTS, "dev-1", DeviceEvent.newBuilder(
        device("alice", "dev-1", DeviceEventType.LOST, "mdm-1", harness.now())).setType(DeviceEventType.UNKNOWN).build());

    assertThat(single(harness.read(Topics.MDM_DEVICE_EVENTS.deadLetterTopic())).getError()).contains("type is UNKNOWN");
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getSubjectId).containsExactly("device:dev-1");
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
