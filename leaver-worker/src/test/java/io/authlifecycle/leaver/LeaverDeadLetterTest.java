package io.authlifecycle.leaver;

import static io.authlifecycle.leaver.LeaverFixtures.ALICE;
import static io.authlifecycle.leaver.LeaverFixtures.applied;
import static io.authlifecycle.leaver.LeaverFixtures.bound;
import static io.authlifecycle.leaver.LeaverFixtures.leaver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input on either of the leaver worker's topics is dead-lettered and audited, and later input is still decided. */
class LeaverDeadLetterTest {

  private static final byte[] GARBAGE = "LEAVER alice now".getBytes(StandardCharsets.UTF_8);

  private final TopologyHarness harness = new TopologyHarness(new LeaverWorker());

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void garbageAndInvalidHrRecordsGoToTheHrDeadLetterTopicAndALaterLeaverIsStillRevoked() {
    WorkerEvent invalidLeaver = WorkerEvent.newBuilder(leaver("hr-2", harness.now(), harness.now()))
        .setEventId(" ").build();

    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), ALICE, GARBAGE);
    harness.pipe(Topics.HR_WORKER_EVENTS, "mallory", invalidLeaver);
    harness.pipe(Topics.HR_WORKER_EVENTS, ALICE, leaver("hr-3", harness.now(), harness.now()));

    List<DeadLetter> letters = harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic());
    assertThat(letters).extracting(DeadLetter::getErrorKind, DeadLetter::getSourceTopic, DeadLetter::getWorker)
        .containsExactly(tuple(DeadLetterKind.UNDECODABLE, "hr.worker-events.v1", "leaver-worker"),
            tuple(DeadLetterKind.INVALID, "hr.worker-events.v1", "leaver-worker"));
    assertThat(letters.get(0).getValue().array()).isEqualTo(GARBAGE);
    assertThat(letters.get(1).getError()).contains("eventId is blank")
        .contains("record key 'mallory' does not match subjectId 'alice'");
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getAction, AuditEvent::getSeverity)
        .containsExactly(tuple("input.dead-lettered", Severity.HIGH), tuple("input.dead-lettered", Severity.HIGH),
            tuple("leaver.revocation.requested", Severity.MEDIUM));
    assertThat(harness.read(Topics.COMMANDS_LEAVER)).extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
  }

  @Test
  void garbageAndInvalidFactsGoToTheFactsDeadLetterTopicAndLaterFactsAreStillDecided() {
    harness.pipe(Topics.HR_WORKER_EVENTS, ALICE, leaver("hr-2", harness.now(), harness.now()));
    harness.read(Topics.COMMANDS_LEAVER);
    harness.read(Topics.AUDIT);

    harness.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), ALICE, GARBAGE);
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, ALICE, applied("f-1", "c-1", CommandAction.UNKNOWN, harness.now()));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, "mallory", bound("f-2", "a-2", harness.now()));
    harness.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), ALICE, Topics.HR_WORKER_EVENTS.valueSerde().serializer()
        .serialize(Topics.HR_WORKER_EVENTS.name(), LeaverFixtures.hr("hr-9", WorkerEventType.JOINER, harness.now(), harness.now())));
    harness.pipe(Topics.AUTHENTICATOR_EVENTS, ALICE, bound("f-3", "a-3", harness.now()));

    List<DeadLetter> letters = harness.read(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic());
    assertThat(letters).extracting(DeadLetter::getErrorKind).containsExactly(DeadLetterKind.UNDECODABLE,
        DeadLetterKind.INVALID, DeadLetterKind.INVALID, DeadLetterKind.INVALID);
    assertThat(letters).extracting(DeadLetter::getSourceTopic).containsOnly("authn.authenticator-events.v1");
    assertThat(letters.get(1).getError()).contains("action is UNKNOWN");
    assertThat(letters.get(2).getError()).contains("record key 'mallory' does not match subjectId 'alice'");
    assertThat(letters.get(3).getError()).isEqualTo("WorkerEvent does not belong on authn.authenticator-events.v1");
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getAction, AuditEvent::getSeverity).containsExactly(
        tuple("input.dead-lettered", Severity.MEDIUM), tuple("input.dead-lettered", Severity.MEDIUM),
        tuple("input.dead-lettered", Severity.MEDIUM), tuple("input.dead-lettered", Severity.MEDIUM),
        tuple("factor.bound.after.termination", Severity.HIGH));
    assertThat(harness.read(Topics.COMMANDS_LEAVER)).extracting(AuthenticatorCommand::getAuthenticatorId)
        .containsExactly("a-3", null);
    assertThat(harness.context().metrics().registry().get("lifecycle.dead.letters")
        .tag("topic", "authn.authenticator-events.v1").tag("kind", "INVALID").counter().count()).isEqualTo(3.0);
  }
}
