package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Garbage and invalid records on every input go to that input's dead-letter topic; duplicates change nothing. */
class InputHandlingTest {

  private static final byte[] GARBAGE = {(byte) 0xC3, 0x01, 7, 7, 7, 7, 7, 7, 7, 7, 1, 2, 3};

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void garbageOnEveryInputIsDeadLetteredWithItsBytesAndAudited() {
    for (TopicSpec<?> input : RecoveryProcessor.INPUTS) {
      h.pipeRaw(input.name(), ADMIN, GARBAGE);

      List<DeadLetter> letters = h.read(input.deadLetterTopic());
      assertThat(letters).as(input.name()).hasSize(1);
      assertThat(letters.get(0).getErrorKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
      assertThat(letters.get(0).getSourceTopic()).isEqualTo(input.name());
      assertThat(letters.get(0).getValue().array()).isEqualTo(GARBAGE);
      assertThat(letters.get(0).getWorker()).isEqualTo("recovery-worker");
      assertThat(h.read(Topics.AUDIT)).extracting(AuditEvent::getAction).containsExactly("input.dead-lettered");
    }
  }

  @Test
  void aSchemaValidButInvalidRecordOnEveryInputIsDeadLetteredWithItsProblems() {
    WorkerEvent hr = WorkerEvent.newBuilder(RecoveryFixtures.joiner(h, ADMIN, true)).setType(WorkerEventType.UNKNOWN).build();
    RecoveryRequest request = RecoveryRequest.newBuilder(helpDesk(h, ADMIN, "r-1")).setRequesterId("")
        .setChannel(RecoveryChannel.UNKNOWN).build();
    ApprovalDecision decision = ApprovalDecision.newBuilder(approve(h, ADMIN, "r-1", AP1)).setDecision(Decision.UNKNOWN).build();
    AuthenticatorBound fact = RecoveryFixtures.bound(h, "someone-else", "k-1", FactorType.HARDWARE_PASSKEY, null);

    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, hr);
    submit(h, request);
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, decision);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, ADMIN, fact);

    assertThat(single(h.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).getError()).contains("type is UNKNOWN");
    assertThat(single(h.read(Topics.RECOVERY_REQUESTS.deadLetterTopic())).getError())
        .contains("requesterId is blank").contains("channel is UNKNOWN");
    assertThat(single(h.read(Topics.APPROVAL_DECISIONS.deadLetterTopic())).getError()).contains("decision is UNKNOWN");
    assertThat(single(h.read(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic())).getError())
        .contains("record key 'root-ann' does not match subjectId 'someone-else'");
    assertThat(h.read(Topics.AUDIT)).extracting(AuditEvent::getAction).containsOnly("input.dead-lettered").hasSize(4);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  @Test
  void aRecordOfAnotherContractOnTheDecisionTopicIsDeadLettered() {
    h.pipeRaw(Topics.APPROVAL_DECISIONS.name(), ADMIN,
        AvroSerde.of(RecoveryRequest.class).encode(helpDesk(h, ADMIN, "r-1")));

    assertThat(single(h.read(Topics.APPROVAL_DECISIONS.deadLetterTopic())).getErrorKind()).isIn(DeadLetterKind.UNDECODABLE,
        DeadLetterKind.INVALID);
  }

  @Test
  void aDuplicateRequestOrDecisionChangesNothingAndEmitsNothing() {
    known(h, ADMIN, true);
    RecoveryRequest request = helpDesk(h, ADMIN, "r-1");
    submit(h, request);
    ApprovalDecision decision = approve(h, ADMIN, "r-1", AP1);
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, decision);
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);

    submit(h, request);
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, decision);
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, RecoveryFixtures.joiner(h, ADMIN, true));

    assertThat(h.read(Topics.AUDIT)).isEmpty();
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    assertThat(h.read(Topics.NOTIFICATIONS)).isEmpty();
    RecoverySubject stored = h.<String, RecoverySubject>store("recovery-worker-subjects").get(ADMIN);
    assertThat(RecoverySubjects.findCase(stored, "r-1").orElseThrow().getApprovals()).containsExactly("ap-1");
  }

  @Test
  void aRequestWhoseEventIdAnHrEventAlreadyUsedIsStillDecided() {
    known(h, ADMIN, true);
    h.read(Topics.AUDIT);

    // HR and the help desk's tool number their events independently: the same id is a new event here.
    submit(h, RequestSigner.sign(RecoveryRequest.newBuilder(helpDesk(h, ADMIN, "r-1")).setEventId("hr-join-" + ADMIN),
        RecoveryFixtures.AGENT_KEY));

    assertThat(h.read(Topics.AUDIT)).extracting(AuditEvent::getAction).isNotEmpty();
    RecoverySubject stored = h.<String, RecoverySubject>store("recovery-worker-subjects").get(ADMIN);
    assertThat(RecoverySubjects.findCase(stored, "r-1")).isPresent();
  }

  @Test
  void aCancelIsARecoveryRequestOfKindCancelAndNeedsNoEvidence() {
    known(h, ADMIN, true);
    submit(h, helpDesk(h, ADMIN, "r-1"));
    h.read(Topics.AUDIT);

    submit(h, RecoveryRequest.newBuilder(RecoveryFixtures.cancel(h, ADMIN, "r-1", "c-1"))
        .setKind(RecoveryRequestKind.CANCEL).build());

    assertThat(h.read(Topics.AUDIT)).extracting(AuditEvent::getAction).startsWith("recovery.cancelled");
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
