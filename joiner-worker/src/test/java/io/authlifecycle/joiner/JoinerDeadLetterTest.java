package io.authlifecycle.joiner;

import static io.authlifecycle.joiner.JoinerFixtures.bound;
import static io.authlifecycle.joiner.JoinerFixtures.joiner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input on either of the joiner's topics is dead-lettered and audited, and decides nothing. */
class JoinerDeadLetterTest {

  private static final byte[] GARBAGE = "not avro at all".getBytes(StandardCharsets.UTF_8);

  private final TopologyHarness harness = new TopologyHarness(new JoinerWorker());

  @AfterEach
  void close() {
    harness.close();
  }

  private void assertDeadLettered(TopicSpec<?> input, DeadLetterKind kind, String errorPart, byte[] original,
      Severity severity) {
    List<DeadLetter> letters = harness.read(input.deadLetterTopic());
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getSourceTopic()).isEqualTo(input.name());
    assertThat(letter.getErrorKind()).isEqualTo(kind);
    assertThat(letter.getError()).contains(errorPart);
    assertThat(letter.getWorker()).isEqualTo("joiner-worker");
    assertThat(letter.getValue().array()).isEqualTo(original);
    List<AuditEvent> audit = harness.read(Topics.AUDIT);
    assertThat(audit).extracting(AuditEvent::getAction, AuditEvent::getSeverity)
        .containsExactly(tuple("input.dead-lettered", severity));
    assertThat(harness.read(Topics.COMMANDS_JOINER)).isEmpty();
    assertThat(harness.read(Topics.NOTIFICATIONS)).isEmpty();
  }

  @Test
  void garbageOnTheHrTopicIsDeadLettered() {
    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", GARBAGE);

    assertDeadLettered(Topics.HR_WORKER_EVENTS, DeadLetterKind.UNDECODABLE, "not Avro single-object encoding", GARBAGE,
        Severity.HIGH);
  }

  @Test
  void anInvalidJoinerIsDeadLetteredNotRefusedOrTicketed() {
    WorkerEvent invalid = joiner("alice", "", harness.now()).setType(WorkerEventType.UNKNOWN).build();
    byte[] bytes = AvroSerde.of(WorkerEvent.class).encode(invalid);

    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "bob", bytes);

    assertDeadLettered(Topics.HR_WORKER_EVENTS, DeadLetterKind.INVALID,
        "eventId is blank; type is UNKNOWN (a value this reader does not know); record key 'bob' does not match "
            + "subjectId 'alice'", bytes, Severity.HIGH);
  }

  @Test
  void garbageOnTheAuthenticatorEventsTopicIsDeadLettered() {
    harness.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "alice", GARBAGE);

    assertDeadLettered(Topics.AUTHENTICATOR_EVENTS, DeadLetterKind.UNDECODABLE, "not Avro single-object encoding", GARBAGE,
        Severity.MEDIUM);
  }

  @Test
  void anInvalidBindingFactIsDeadLetteredNotRecorded() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", joiner("alice", "hr-1", harness.now()).build());
    harness.read(Topics.COMMANDS_JOINER);
    harness.read(Topics.AUDIT);
    AuthenticatorBound invalid = bound("alice", "f-1", "", FactorType.HARDWARE_PASSKEY, null, harness.now()).build();
    byte[] bytes = AvroSerde.of(AuthenticatorBound.class).encode(invalid);

    harness.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "alice", bytes);

    assertDeadLettered(Topics.AUTHENTICATOR_EVENTS, DeadLetterKind.INVALID, "authenticatorId is blank", bytes,
        Severity.MEDIUM);
  }

  @Test
  void anHrRecordOnTheFactsTopicIsDeadLettered() {
    byte[] bytes = AvroSerde.of(WorkerEvent.class).encode(joiner("alice", "hr-1", harness.now()).build());

    harness.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "alice", bytes);

    assertDeadLettered(Topics.AUTHENTICATOR_EVENTS, DeadLetterKind.INVALID,
        "WorkerEvent does not belong on authn.authenticator-events.v1", bytes,
        Severity.MEDIUM);
  }
}
