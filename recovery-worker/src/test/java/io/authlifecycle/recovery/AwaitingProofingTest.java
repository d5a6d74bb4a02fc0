package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.HELP_DESK_AGENT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT_APPROVER;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.hr;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.proof;
import static io.authlifecycle.recovery.RecoveryFixtures.proofing;
import static io.authlifecycle.recovery.RecoveryFixtures.request;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryCaseStatus;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.hr.Proofing;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lost device that leaves the subject too little: the mover's SYSTEM request carries no
 * evidence, so its case waits for identity proofing by the help desk instead of being refused;
 * the signed help-desk request with evidence takes it over and runs the normal approval path.
 */
class AwaitingProofingTest {

  private static final String SYSTEM_REQUEST = "sys-1";

  private TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aSystemRequestWithoutEvidenceOpensACaseWaitingForProofingAndAsksTheHelpDeskInsteadOfRefusing() {
    known(h, SUBJECT, false);

    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).doesNotContain("recovery.refused").contains("recovery.proofing.requested");
    AuditEvent requested = only(audits, "recovery.proofing.requested");
    assertThat(requested.getDetails()).containsEntry("requestId", SYSTEM_REQUEST).containsEntry("channel", "SYSTEM")
        .containsKey("deadline").containsKey("notificationIds");
    RecoveryCase waiting = caseOf(SYSTEM_REQUEST);
    assertThat(waiting.getStatus()).isEqualTo(RecoveryCaseStatus.AWAITING_PROOFING);
    assertThat(waiting.getDeadline()).isEqualTo(h.now().plus(Duration.ofHours(72)));
    assertThat(waiting.getLostAuthenticatorIds()).containsExactly("phone-1");
    // Approvers have nothing to decide until a request with evidence arrives.
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    List<SubjectNotification> notices = h.read(Topics.NOTIFICATIONS);
    assertThat(notices).extracting(SubjectNotification::getRecipient, SubjectNotification::getTopic,
            SubjectNotification::getChannels)
        .containsExactlyInAnyOrder(
            tuple(RecipientRole.MANAGER, Proofing.TOPIC, List.of(Channel.WORK_EMAIL)),
            tuple(RecipientRole.HELP_DESK, Proofing.TOPIC, List.of(Channel.HELP_DESK)),
            // Registered: work email, SMS, push; the lost phone reaches the last two.
            tuple(RecipientRole.SUBJECT, "recovery.proofing.requested", List.of(Channel.WORK_EMAIL)));
    assertThat(notices.stream().filter(n -> n.getRecipient() == RecipientRole.MANAGER).findFirst().orElseThrow()
        .getRecipientId()).isEqualTo(SUBJECT_APPROVER);
    assertThat(notices.stream().filter(n -> n.getRecipient() == RecipientRole.SUBJECT).findFirst().orElseThrow()
        .getNotMeRef()).isEqualTo(waiting.getNotMeRef());
  }

  @Test
  void aWaitingSystemRequestDoesNotSpendTheRateLimit() {
    h.close();
    h = RecoveryFixtures.harness(Map.of("recovery.rate-limit.requests", "1"));
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));

    submit(h, helpDesk("r-hd", List.of()));

    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.requested").doesNotContain("recovery.locked",
        "recovery.refused");
    assertThat(stored().getRequestTimes()).hasSize(1);
  }

  @Test
  void aSignedHelpDeskRequestWithEvidenceTakesOverTheWaitingCaseKeepingItsLostFactorsAndChannels() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    submit(h, helpDesk("r-hd", List.of()));

    RecoveryCase superseded = caseOf(SYSTEM_REQUEST);
    assertThat(superseded.getStatus()).isEqualTo(RecoveryCaseStatus.SUPERSEDED);
    assertThat(superseded.getSupersededBy()).isEqualTo("r-hd");
    assertThat(superseded.getClosedAt()).isEqualTo(h.now());
    RecoveryCase taken = caseOf("r-hd");
    assertThat(taken.getStatus()).isEqualTo(RecoveryCaseStatus.AWAITING_APPROVAL);
    assertThat(taken.getLostAuthenticatorIds()).containsExactly("phone-1");
    assertThat(taken.getLostChannels()).containsExactlyInAnyOrder(Channel.SMS, Channel.PUSH);
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(only(audits, "recovery.superseded").getDetails()).containsEntry("requestId", SYSTEM_REQUEST)
        .containsEntry("supersededBy", "r-hd");
    assertThat(only(audits, "recovery.requested").getDetails()).containsEntry("supersedes", SYSTEM_REQUEST)
        .containsEntry("requesterId", HELP_DESK_AGENT);
    ApprovalRequested published = h.read(Topics.APPROVAL_REQUESTS).get(0);
    assertThat(published.getRequestId()).isEqualTo("r-hd");
    assertThat(published.getLostAuthenticatorIds()).containsExactly("phone-1");
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic, SubjectNotification::getChannels)
        .containsExactly(tuple("recovery.requested", List.of(Channel.WORK_EMAIL)));
  }

  @Test
  void theTakenOverCaseGoesThroughApprovalAndCoolingOffToTheRecoveryTicketAndRevokesTheLostPhone() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    submit(h, helpDesk("r-hd", List.of()));
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-hd", AP1));
    drain();

    h.advance(Duration.ofHours(1));

    List<AuthenticatorCommand> commands = h.read(Topics.COMMANDS_RECOVERY);
    assertThat(commands).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "phone-1"),
            tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null));
    assertThat(commands.get(1).getTicket().getPurpose()).isEqualTo(TicketPurpose.RECOVERY);
    assertThat(caseOf("r-hd").getStatus()).isEqualTo(RecoveryCaseStatus.COMPLETED);
  }

  @Test
  void aSelfServiceRequestWithSufficientEvidenceTakesTheWaitingCaseOverToo() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    submit(h, request(h, SUBJECT, "r-ss", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.ISSUED_RECOVERY_CODE, "d")),
        List.of(), RecoveryReason.LOCKED_OUT));

    assertThat(caseOf(SYSTEM_REQUEST).getSupersededBy()).isEqualTo("r-ss");
    assertThat(caseOf("r-ss").getLostAuthenticatorIds()).containsExactly("phone-1");
  }

  @Test
  void aHelpDeskRequestWithTooLittleEvidenceIsRefusedAndTheCaseKeepsWaiting() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    submit(h, request(h, SUBJECT, "r-hd", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT, List.of(), List.of(),
        RecoveryReason.LOCKED_OUT));

    assertThat(only(h.read(Topics.AUDIT), "recovery.refused").getDetails()).containsEntry("rule", "evidence-insufficient");
    assertThat(caseOf(SYSTEM_REQUEST).getStatus()).isEqualTo(RecoveryCaseStatus.AWAITING_PROOFING);
  }

  @Test
  void aSecondSystemRequestWhileOneWaitsJoinsItInsteadOfOpeningASecondCase() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    submit(h, lostPhone("sys-2", "tablet-1"));

    assertThat(stored().getCases()).extracting(RecoveryCase::getRequestId).containsExactly(SYSTEM_REQUEST);
    assertThat(caseOf(SYSTEM_REQUEST).getLostAuthenticatorIds()).containsExactly("phone-1", "tablet-1");
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.proofing.joined");
    assertThat(audits.get(0).getDetails()).containsEntry("requestId", SYSTEM_REQUEST).containsEntry("joinedRequestId", "sys-2");
    assertThat(h.read(Topics.NOTIFICATIONS)).isEmpty();
    assertThat(stored().getRequestTimes()).isEmpty();
  }

  @Test
  void aWaitingCaseOutlivesTheApprovalDeadlineAndExpiresAtTheProofingDeadlineTellingSubjectAndHelpDesk() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    h.advance(Duration.ofHours(5));
    assertThat(h.read(Topics.AUDIT)).isEmpty();
    h.advance(Duration.ofHours(67));

    AuditEvent expired = only(h.read(Topics.AUDIT), "recovery.proofing.expired");
    assertThat(expired.getDetails()).containsEntry("requestId", SYSTEM_REQUEST);
    assertThat(caseOf(SYSTEM_REQUEST).getStatus()).isEqualTo(RecoveryCaseStatus.EXPIRED);
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getRecipient, SubjectNotification::getTopic,
            SubjectNotification::getChannels)
        .containsExactlyInAnyOrder(tuple(RecipientRole.SUBJECT, "recovery.proofing.expired", List.of(Channel.WORK_EMAIL)),
            tuple(RecipientRole.HELP_DESK, "recovery.proofing.expired", List.of(Channel.HELP_DESK)));
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  @Test
  void theProofingDeadlineIsASetting() {
    h.close();
    h = RecoveryFixtures.harness(Map.of("recovery.proofing.deadline", "2h"));
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));

    assertThat(caseOf(SYSTEM_REQUEST).getDeadline()).isEqualTo(h.now().plus(Duration.ofHours(2)));
  }

  @Test
  void aLeaverCancelsAWaitingCaseAndTellsTheHelpDeskWithoutPublishingAnApprovalState() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-leave", WorkerEventType.LEAVER, SUBJECT, h.now(), true));

    assertThat(caseOf(SYSTEM_REQUEST).getStatus()).isEqualTo(RecoveryCaseStatus.CANCELLED);
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.cancelled");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getRecipient)
        .contains(RecipientRole.HELP_DESK);
  }

  @Test
  void anApprovalForAWaitingCaseIsRefusedAsItWaitsForProofingNotApprovals() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, SYSTEM_REQUEST, AP1));

    AuditEvent refused = only(h.read(Topics.AUDIT), "approval.unknown-request");
    assertThat(refused.getReason()).contains("waits for identity proofing");
    assertThat(caseOf(SYSTEM_REQUEST).getApprovals()).isEmpty();
  }

  @Test
  void aSubjectMadePrivilegedWhileTheCaseWaitsGetsThePrivilegedQuorumWhenTheHelpDeskTakesItOver() {
    known(h, SUBJECT, false);
    submit(h, lostPhone(SYSTEM_REQUEST, "phone-1"));
    drain();

    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, WorkerEvent.newBuilder(hr(h, "hr-promote", WorkerEventType.MOVER, SUBJECT,
        h.now(), false)).setRole("domain-admin").setPrivileged(true).build());
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    assertThat(actions(h.read(Topics.AUDIT))).doesNotContain("recovery.quorum.raised", "recovery.cancelled");
    submit(h, helpDesk("r-hd", List.of()));

    ApprovalRequested published = h.read(Topics.APPROVAL_REQUESTS).get(0);
    assertThat(published.getQuorum()).isEqualTo(2);
    assertThat(published.getStatus()).isEqualTo(ApprovalStatus.OPEN);
  }

  /** What the mover files when a lost device leaves too little: SYSTEM, DEVICE_LOST, no evidence. */
  private RecoveryRequest lostPhone(String requestId, String lost) {
    return request(h, SUBJECT, requestId, RecoveryChannel.SYSTEM, "mover-worker", List.of(), List.of(lost));
  }

  /** The agent's signed request after proofing the subject in person (IAL3, enough for any level). */
  private RecoveryRequest helpDesk(String requestId, List<String> lost) {
    return request(h, SUBJECT, requestId, RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), lost, RecoveryReason.LOCKED_OUT);
  }

  private RecoverySubject stored() {
    return h.<String, RecoverySubject>store(RecoveryWorker.NAME + "-subjects").get(SUBJECT);
  }

  private RecoveryCase caseOf(String requestId) {
    return RecoverySubjects.findCase(stored(), requestId).orElseThrow();
  }

  private void drain() {
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
    h.read(Topics.COMMANDS_RECOVERY);
  }
}
