package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AGENT_HR_SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.CHANNELS;
import static io.authlifecycle.recovery.RecoveryFixtures.HELP_DESK_AGENT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT_APPROVER;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.proofing;
import static io.authlifecycle.recovery.RecoveryFixtures.request;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.timers.TimerIndex;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decision 5: an accepted request asks for signed approvals and tells the subject, with a way to say "this wasn't me". */
class ApprovalRequestedTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aPrivilegedSubjectsHelpDeskRequestNeedsTwoApproversNoneOfThemSubjectRequesterOrTheSubjectsApprovers() {
    known(h, ADMIN, true);

    submit(h, helpDesk(h, ADMIN, "r-1"));

    List<ApprovalRequested> requests = h.read(Topics.APPROVAL_REQUESTS);
    assertThat(requests).hasSize(1);
    ApprovalRequested published = requests.get(0);
    assertThat(published).isEqualTo(ApprovalRequested.newBuilder()
        .setEventId(published.getEventId())
        .setEventTime(h.now())
        .setRequestId("r-1")
        .setSubjectId(ADMIN)
        .setRequesterId(HELP_DESK_AGENT)
        .setChannel(RecoveryChannel.HELP_DESK)
        .setReason(RecoveryReason.DEVICE_LOST)
        .setPrivileged(true)
        .setQuorum(2)
        .setIneligibleApprovers(List.of(ADMIN, AGENT_HR_SUBJECT, SUBJECT_APPROVER))
        .setDeadline(h.now().plus(Duration.ofHours(4)))
        .setLostAuthenticatorIds(List.of("lost-key-1"))
        .setPolicyRef(PolicyRefs.CSF_LEAST_PRIVILEGE)
        .setStatus(ApprovalStatus.OPEN)
        .setApprovedBy(List.of())
        .setNonce(published.getNonce())
        .setOpenedAt(h.now())
        .setRequesterSubjectId(AGENT_HR_SUBJECT)
        .setSubjectRole("domain-admin")
        .setEvidence(List.of("IDENTITY_PROOFING proof-1 IAL3 verified " + h.now()))
        .setFactorsOnRecord(List.of())
        .build());
    assertThat(published.getNonce()).matches("[A-Za-z0-9_-]{22}");
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void theSubjectIsNotifiedOnEveryRegisteredChannelWithAThisWasntMeReference() {
    known(h, SUBJECT, false);

    // Locked out, nothing reported lost: every registered channel is the subject's.
    submit(h, request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of(), RecoveryReason.LOCKED_OUT));

    List<SubjectNotification> notes = h.read(Topics.NOTIFICATIONS);
    assertThat(notes).hasSize(1);
    SubjectNotification note = notes.get(0);
    assertThat(note.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(note.getChannels()).isEqualTo(CHANNELS);
    assertThat(note.getTopic()).isEqualTo("recovery.requested");
    assertThat(note.getNotMeRef()).startsWith("notme-");
    assertThat(note.getMessage()).contains(note.getNotMeRef()).contains(HELP_DESK_AGENT).contains("HELP_DESK");
    assertThat(note.getCorrelationId()).isEqualTo("recovery:alice:r-1");
    assertThat(note.getCausationId()).isEqualTo("ev-r-1");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getQuorum).containsExactly(1);
  }

  @Test
  void theRequestIsAuditedWithItsPolicyReferenceAndTheEvidenceThatCarriedIt() {
    known(h, ADMIN, true);

    submit(h, helpDesk(h, ADMIN, "r-1"));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.requested", "recovery.subject-notified");
    AuditEvent requested = only(audits, "recovery.requested");
    assertThat(requested.getOutcome()).isEqualTo(AuditOutcome.REQUESTED);
    assertThat(requested.getSeverity()).isEqualTo(Severity.MEDIUM);
    assertThat(requested.getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_RECOVERY);
    assertThat(requested.getControlRefs()).contains(PolicyRefs.CSF_LEAST_PRIVILEGE);
    assertThat(requested.getReason()).contains("repeated identity proofing");
    assertThat(requested.getDetails()).containsEntry("requestId", "r-1").containsEntry("quorum", "2")
        .containsEntry("level", "AAL3").containsEntry("ineligibleApprovers", "root-ann,E2007,mgr-1")
        .containsEntry("requesterId", "hd-7").containsEntry("requesterSubjectId", "E2007");
    assertThat(only(audits, "recovery.subject-notified").getOutcome()).isEqualTo(AuditOutcome.NOTIFIED);
    assertThat(AuditChainVerifier.verify(audits).intact()).isTrue();
  }

  @Test
  void theDeadlineIsATimerInTheIndex() {
    known(h, SUBJECT, false);

    submit(h, helpDesk(h, SUBJECT, "r-1"));

    KeyValueStore<String, TimerEntry> byDue = h.store(TimerIndex.byDueName(h.context().name()));
    try (KeyValueIterator<String, TimerEntry> all = byDue.all()) {
      TimerEntry timer = all.next().value;
      assertThat(timer.getKind()).isEqualTo("recovery.deadline:r-1");
      assertThat(timer.getDueAt()).isEqualTo(h.now().plus(Duration.ofHours(4)));
      assertThat(all.hasNext()).isFalse();
    }
  }

  @Test
  void quorumDeadlineAndTheSubjectsApproverListFollowConfiguration() {
    try (TopologyHarness custom = RecoveryFixtures.harness(Map.of("recovery.quorum.standard", "2",
        "recovery.approval.deadline", "30m", "recovery.exclude-subject-approvers", "false"))) {
      known(custom, SUBJECT, false);

      submit(custom, RecoveryFixtures.request(custom, SUBJECT, "r-1",
          RecoveryChannel.SELF_SERVICE, SUBJECT, List.of(RecoveryFixtures.proof(custom, EvidenceMethod.SAVED_RECOVERY_CODE, "c"),
              RecoveryFixtures.proof(custom, EvidenceMethod.ISSUED_RECOVERY_CODE, "d")), List.of()));

      ApprovalRequested published = custom.read(Topics.APPROVAL_REQUESTS).get(0);
      assertThat(published.getQuorum()).isEqualTo(2);
      assertThat(published.getDeadline()).isEqualTo(custom.now().plus(Duration.ofMinutes(30)));
      assertThat(published.getIneligibleApprovers()).containsExactly(SUBJECT);
    }
  }

  @Test
  void theApprovalRequestShowsTheSubjectsFactorsOnRecordAsTheyAreWhenItIsPublished() {
    known(h, ADMIN, true);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, ADMIN, RecoveryFixtures.bound(h, ADMIN, "passkey-ann", FactorType.HARDWARE_PASSKEY, null));
    h.pipe(Topics.AUTHENTICATOR_EVENTS, ADMIN, RecoveryFixtures.bound(h, ADMIN, "otp-ann", FactorType.OTP_APP, null));

    submit(h, helpDesk(h, ADMIN, "r-1"));

    ApprovalRequested published = h.<ApprovalRequested>read(Topics.APPROVAL_REQUESTS).get(0);
    assertThat(published.getFactorsOnRecord()).containsExactlyInAnyOrder("passkey-ann (HARDWARE_PASSKEY)", "otp-ann (OTP_APP)");
    assertThat(published.getSubjectRole()).isEqualTo("domain-admin");
  }
}
