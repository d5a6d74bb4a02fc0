package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AGENT_APPROVER_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.AP2;
import static io.authlifecycle.recovery.RecoveryFixtures.MANAGER_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.OUTSIDER;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.approve;
import static io.authlifecycle.recovery.RecoveryFixtures.decision;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decision 6: only signed decisions by eligible, registered approvers count; every other one is refused and audited. */
class SignedDecisionsTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @BeforeEach
  void privilegedRequestAwaitingTwoApprovals() {
    known(h, ADMIN, true);
    submit(h, helpDesk(h, ADMIN, "r-1"));
    drain();
  }

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aSignedApprovalCountsAndTheApprovalRequestShowsWhoApproved() {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));

    AuditEvent counted = only(h.read(Topics.AUDIT), "approval.counted");
    assertThat(counted.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
    assertThat(counted.getReason()).isEqualTo("1 of 2 distinct approvals");
    assertThat(counted.getDetails()).containsEntry("approverId", "ap-1").containsEntry("requestId", "r-1");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus, ApprovalRequested::getApprovedBy)
        .containsExactly(tuple(ApprovalStatus.OPEN, List.of("ap-1")));
  }

  @Test
  void anUnsignedDecisionIsRefused() {
    ApprovalDecision unsigned = approve(h, ADMIN, "r-1", AP1);
    unsigned.setSignatureEnvelope(null);

    assertRefused(unsigned, "approval.unsigned", "no signature");
  }

  @Test
  void aBareSignatureOfTheFirstReleaseBoundToNoCaseIsRefused() {
    ApprovalDecision bare = approve(h, ADMIN, "r-1", AP1);
    bare.setSignatureEnvelope(null);
    bare.setSignature(ByteBuffer.wrap(new byte[64]));

    assertRefused(bare, "approval.unsigned", "bound to no case");
  }

  @Test
  void aDecisionSignedWithAnUnregisteredKeyUnderARegisteredNameIsRefused() {
    PersonKeyFile stolenName = new PersonKeyFile(AP1.person(), AP1.roles(), OUTSIDER.publicKey(), OUTSIDER.privateKey());

    assertRefused(approve(h, ADMIN, "r-1", stolenName), "approval.unknown-approver", "is not registered");
  }

  @Test
  void aDecisionSignedWithOneApproversKeyButNamingAnotherIsRefusedAsForged() {
    ApprovalDecision byAp2 = approve(h, ADMIN, "r-1", AP2);
    ApprovalDecision claimsAp1 = ApprovalDecision.newBuilder(byAp2).setApproverId("ap-1").build();

    assertRefused(claimsAp1, "approval.forged", "signed with a key of ap-2 (HR E1002), but the decision names ap-1");
  }

  @Test
  void aDecisionAlteredAfterSigningIsRefusedAsForged() {
    ApprovalDecision denied = decision(h, ADMIN, "r-1", AP1, Decision.DENY);
    denied.setDecision(Decision.APPROVE);

    assertRefused(denied, "approval.forged", "wrong key or altered decision");
  }

  @Test
  void aDecisionByAnUnregisteredApproverIsRefused() {
    assertRefused(approve(h, ADMIN, "r-1", OUTSIDER), "approval.unknown-approver", "key " + OUTSIDER.keyId() + " is not registered");
  }

  @Test
  void aSignatureMadeForAnotherRequestOfTheSubjectIsRefusedAsAReplay() {
    ApprovalDecision old = approve(h, ADMIN, "r-1", AP2);
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, decision(h, ADMIN, "r-1", AP1, Decision.DENY));
    drain();
    submit(h, helpDesk(h, ADMIN, "r-2"));
    drain();
    ApprovalDecision replayed = ApprovalDecision.newBuilder(old).setEventId("ad-replayed").setRequestId("r-2").build();

    assertRefused(replayed, "approval.replay", "the signature was made for request r-1, not r-2");
  }

  @Test
  void aDecisionForARequestTheSubjectNeverHadIsRefused() {
    assertRefused(approve(h, ADMIN, "r-404", AP1), "approval.unknown-request", "no recovery request r-404");
  }

  @Test
  void aDecisionAfterTheDeadlineIsRefusedAsLate() {
    h.advance(Duration.ofHours(4).plusSeconds(1));
    drain();

    assertRefused(approve(h, ADMIN, "r-1", AP1), "approval.late", "after the deadline 2026-11-02T13:00:00Z");
  }

  @Test
  void aDecisionSignedAsDecidedAfterTheDeadlineIsRefusedEvenIfItArrivesInTime() {
    ApprovalDecision decidedLater = RecoveryFixtures.sign(h, ADMIN, "r-1", AP1, Decision.APPROVE,
        h.now().plus(Duration.ofHours(5)), RecoveryFixtures.nonce(h, ADMIN, "r-1"));

    assertRefused(decidedLater, "approval.late", "decided at 2026-11-02T14:00:00Z");
  }

  @Test
  void theSubjectCannotApproveItsOwnRecoveryWhateverIdItSignsAs() {
    PersonKeyFile adminKey = RecoveryFixtures.key("ann", ADMIN, io.authlifecycle.core.approvals.Role.APPROVER);
    try (TopologyHarness withAdminKey = RecoveryFixtures.harness(java.util.Map.of("person.keys",
        RecoveryFixtures.registry(adminKey, AP1, RecoveryFixtures.AGENT_KEY)))) {
      known(withAdminKey, ADMIN, true);
      submit(withAdminKey, helpDesk(withAdminKey, ADMIN, "r-1"));
      withAdminKey.read(Topics.AUDIT);

      withAdminKey.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(withAdminKey, ADMIN, "r-1", adminKey));

      AuditEvent refused = only(withAdminKey.read(Topics.AUDIT), "approval.self");
      assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);
      assertThat(refused.getReason()).isEqualTo("the subject cannot approve its own recovery (ann (HR root-ann) is the subject)");
      assertThat(refused.getDetails()).containsEntry("approverId", "ann").containsEntry("approverSubjectId", ADMIN);
    }
  }

  @Test
  void theSubjectsSelfApprovalIsRefusedForAStandardSubjectToo() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-9"));
    drain();

    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, approve(h, SUBJECT, "r-9", SUBJECT_KEY));

    assertThat(only(h.read(Topics.AUDIT), "approval.self").getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  @Test
  void theRequesterCannotApproveTheRequestItMadeWithItsOtherKey() {
    assertRefused(approve(h, ADMIN, "r-1", AGENT_APPROVER_KEY), "approval.requester",
        "the requester cannot approve the request it made (hd-7 (HR E2007) made it)");
  }

  @Test
  void someoneOnTheSubjectsOwnApproverListCannotApproveUnderAnotherId() {
    assertRefused(approve(h, ADMIN, "r-1", MANAGER_KEY), "approval.ineligible",
        "boss (HR mgr-1) is on the subject's own approver list");
  }

  @Test
  void theSameApproverTwiceCountsOnce() {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    drain();
    h.advance(Duration.ofMinutes(1));

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, ApprovalDecision.newBuilder(approve(h, ADMIN, "r-1", AP1))
        .setEventId("ad-again").build());

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("approval.duplicate");
    assertThat(audits.get(0).getReason()).isEqualTo("ap-1 already approved; a person counts once");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  @Test
  void anyDenyEndsTheRequestEvenAfterAnApproval() {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));
    drain();

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, decision(h, ADMIN, "r-1", AP2, Decision.DENY));

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(actions(audits)).containsExactly("recovery.denied", "recovery.subject-notified");
    assertThat(audits.get(0).getReason()).isEqualTo("denied by approver ap-2");
    assertThat(audits.get(0).getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_RECOVERY);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).extracting(ApprovalRequested::getStatus).containsExactly(ApprovalStatus.DENIED);
    assertThat(h.read(Topics.NOTIFICATIONS)).extracting(SubjectNotification::getTopic).containsExactly("recovery.denied");

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP2));
    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("approval.closed");
    h.advance(Duration.ofDays(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  @Test
  void noRefusedDecisionEverCountsTowardsTheQuorum() {
    ApprovalDecision unsigned = approve(h, ADMIN, "r-1", AP2);
    unsigned.setSignature(ByteBuffer.wrap(new byte[0]));
    unsigned.setSignatureEnvelope(null);
    ApprovalDecision byAp3ClaimingAp2 = ApprovalDecision.newBuilder(approve(h, ADMIN, "r-1", RecoveryFixtures.AP3))
        .setApproverId("ap-2").build();
    for (ApprovalDecision bad : List.of(unsigned, approve(h, ADMIN, "r-1", OUTSIDER), approve(h, ADMIN, "r-1", AGENT_APPROVER_KEY),
        approve(h, ADMIN, "r-1", MANAGER_KEY), byAp3ClaimingAp2)) {
      h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, ApprovalDecision.newBuilder(bad).setEventId("bad-" + bad.hashCode()).build());
    }
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, approve(h, ADMIN, "r-1", AP1));

    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("approval.unsigned", "approval.unknown-approver",
        "approval.requester", "approval.ineligible", "approval.forged", "approval.counted");
    h.advance(Duration.ofDays(2));
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  private void assertRefused(ApprovalDecision decision, String action, String reason) {
    h.pipe(Topics.APPROVAL_DECISIONS, decision.getSubjectId(), decision);
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    AuditEvent refused = only(audits, action);
    assertThat(audits).hasSize(1);
    assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(refused.getPolicyRef()).isEqualTo(PolicyRefs.ACCOUNT_RECOVERY);
    assertThat(refused.getControlRefs()).containsExactly(PolicyRefs.CSF_LEAST_PRIVILEGE);
    assertThat(refused.getReason()).contains(reason);
    assertThat(refused.getCausationId()).isEqualTo(decision.getEventId());
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
  }

  private void drain() {
    h.read(Topics.AUDIT);
    h.read(Topics.APPROVAL_REQUESTS);
    h.read(Topics.NOTIFICATIONS);
  }
}
