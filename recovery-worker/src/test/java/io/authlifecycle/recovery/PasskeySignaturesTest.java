package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.nonce;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.proofing;
import static io.authlifecycle.recovery.RecoveryFixtures.registry;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.ApprovalStatement;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.RequestStatement;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.testing.SoftPasskey;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Help-desk requests and approvals signed with a passkey (WEBAUTHN envelopes, as the approver
 * console sends them): each check of the assertion refuses what it should, and the highest
 * signature counter of each passkey is kept in the subject's state.
 */
class PasskeySignaturesTest {

  private static final String RP_ID = "console.example.test";
  private static final String ORIGIN = "https://console.example.test:8443";
  private static final Person APPROVER = new Person("pk-ap-1", "E3001");
  private static final Person AGENT = new Person("pk-hd-1", "E3003");

  private final SoftPasskey approverPasskey = new SoftPasskey();
  private final SoftPasskey agentPasskey = new SoftPasskey();
  private TopologyHarness h;

  @BeforeEach
  void privilegedSubjectKnown() {
    h = RecoveryFixtures.harness(Map.of(
        "person.keys", registry(AP1, RecoveryFixtures.AGENT_KEY) + "," + approverPasskey.entry(APPROVER, Set.of(Role.APPROVER)) + ","
            + agentPasskey.entry(AGENT, Set.of(Role.HELP_DESK)),
        "webauthn.rp-id", RP_ID,
        "webauthn.origins", ORIGIN));
    known(h, ADMIN, true);
  }

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aRequestSignedWithTheAgentsPasskeyOpensACaseAndItsCounterIsKept() {
    RecoveryRequest request = draft("r-1");
    submitSigned(request, agentPasskey.sign(RequestStatement.canonicalBytes(request, AGENT.personId()), RP_ID, ORIGIN,
        "webauthn.get", SoftPasskey.UP_UV, 7));

    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.requested");
    assertThat(stored().getSignCounters()).containsEntry(agentPasskey.credentialId(), 7L);
  }

  @Test
  void aRequestWhoseAssertionComesFromAnotherOriginIsRefused() {
    RecoveryRequest request = draft("r-1");
    submitSigned(request, agentPasskey.sign(RequestStatement.canonicalBytes(request, AGENT.personId()), RP_ID,
        "https://phish.example.test", "webauthn.get", SoftPasskey.UP_UV, 1));

    AuditEvent refused = only(h.read(Topics.AUDIT), "recovery.refused");
    assertThat(refused.getDetails()).containsEntry("rule", "signature-invalid");
    assertThat(refused.getReason()).contains("does not verify");
  }

  @Test
  void aSecondRequestWithAnOlderCounterOfTheSamePasskeyIsRefused() {
    RecoveryRequest first = draft("r-1");
    submitSigned(first, agentPasskey.sign(RequestStatement.canonicalBytes(first, AGENT.personId()), RP_ID, ORIGIN,
        "webauthn.get", SoftPasskey.UP_UV, 7));
    h.read(Topics.AUDIT);
    RecoveryRequest second = draft("r-2");
    submitSigned(second, agentPasskey.sign(RequestStatement.canonicalBytes(second, AGENT.personId()), RP_ID, ORIGIN,
        "webauthn.get", SoftPasskey.UP_UV, 7));

    AuditEvent refused = only(h.read(Topics.AUDIT), "recovery.refused");
    assertThat(refused.getDetails()).containsEntry("rule", "signature-invalid");
    assertThat(refused.getReason()).contains("Counter");
  }

  @Test
  void aPasskeyApprovalCountsForItsPerson() {
    openCase("r-1");

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, passkeyDecision("r-1", Decision.APPROVE, RP_ID, ORIGIN, "webauthn.get",
        SoftPasskey.UP_UV, 3));

    AuditEvent counted = only(h.read(Topics.AUDIT), "approval.counted");
    assertThat(counted.getDetails()).containsEntry("approverId", APPROVER.personId())
        .containsEntry("approverSubjectId", APPROVER.hrSubjectId());
    assertThat(stored().getSignCounters()).containsEntry(approverPasskey.credentialId(), 3L);
  }

  @Test
  void anAssertionForAnotherRelyingPartyIsRefused() {
    openCase("r-1");
    assertForged(passkeyDecision("r-1", Decision.APPROVE, "evil.example.test", ORIGIN, "webauthn.get", SoftPasskey.UP_UV, 1));
  }

  @Test
  void anAssertionWithoutUserVerificationIsRefused() {
    openCase("r-1");
    assertForged(passkeyDecision("r-1", Decision.APPROVE, RP_ID, ORIGIN, "webauthn.get", 0x01, 1));
  }

  @Test
  void aRegistrationCeremonysClientDataIsNotAnAssertion() {
    openCase("r-1");
    assertForged(passkeyDecision("r-1", Decision.APPROVE, RP_ID, ORIGIN, "webauthn.create", SoftPasskey.UP_UV, 1));
  }

  @Test
  void anAssertionFromAnOriginNotConfiguredIsRefused() {
    openCase("r-1");
    assertForged(passkeyDecision("r-1", Decision.APPROVE, RP_ID, "https://console.example.test", "webauthn.get",
        SoftPasskey.UP_UV, 1));
  }

  @Test
  void anAssertionOverOtherBytesThanTheDecisionIsRefused() {
    openCase("r-1");
    ApprovalDecision deny = unsigned("r-1", Decision.DENY);
    // The approver's passkey signed a DENY; the record says APPROVE.
    ApprovalDecision approve = unsigned("r-1", Decision.APPROVE);
    approve.setSignatureEnvelope(approverPasskey.sign(
        ApprovalStatement.of(deny, nonce(h, ADMIN, "r-1"), APPROVER.personId()).canonicalBytes(), RP_ID, ORIGIN));
    assertForged(approve);
  }

  @Test
  void aDenyWhoseCounterIsNotAboveTheLastOneSeenIsRefusedAndTheCaseStaysOpen() {
    openCase("r-1");
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, passkeyDecision("r-1", Decision.APPROVE, RP_ID, ORIGIN, "webauthn.get",
        SoftPasskey.UP_UV, 5));
    h.read(Topics.AUDIT);

    // A cloned authenticator (or a replayed assertion) carries a counter the worker has already seen.
    assertForged(passkeyDecision("r-1", Decision.DENY, RP_ID, ORIGIN, "webauthn.get", SoftPasskey.UP_UV, 5));
    assertThat(stored().getSignCounters()).containsEntry(approverPasskey.credentialId(), 5L);

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, passkeyDecision("r-1", Decision.DENY, RP_ID, ORIGIN, "webauthn.get",
        SoftPasskey.UP_UV, 6));
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.denied");
  }

  @Test
  void aPasskeyAssertionForOneCaseReplayedOnTheSubjectsNextCaseIsRefusedAsAReplay() {
    openCase("r-1");
    ApprovalDecision deny = passkeyDecision("r-1", Decision.DENY, RP_ID, ORIGIN, "webauthn.get", SoftPasskey.UP_UV, 1);
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, deny);
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.denied");
    openCase("r-2");

    ApprovalDecision replayed = ApprovalDecision.newBuilder(deny).setEventId("ad-replayed").setRequestId("r-2").build();
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, replayed);

    AuditEvent replay = only(h.read(Topics.AUDIT), "approval.replay");
    assertThat(replay.getReason()).contains("made for request r-1");
  }

  @Test
  void anAssertionOfAnotherPersonsPasskeyUnderThisApproversNameIsRefused() {
    SoftPasskey other = new SoftPasskey();
    h.close();
    h = RecoveryFixtures.harness(Map.of("person.keys", registry(RecoveryFixtures.AGENT_KEY) + ","
        + approverPasskey.entry(APPROVER, Set.of(Role.APPROVER)) + ","
        + other.entry(new Person("pk-ap-2", "E3002"), Set.of(Role.APPROVER)),
        "webauthn.rp-id", RP_ID, "webauthn.origins", ORIGIN));
    known(h, ADMIN, true);
    openCase("r-1");
    ApprovalDecision d = unsigned("r-1", Decision.APPROVE);
    // pk-ap-2's authenticator signs the statement as pk-ap-1 would make it: the key's person is not the decision's.
    d.setSignatureEnvelope(other.sign(ApprovalStatement.of(d, nonce(h, ADMIN, "r-1"), APPROVER.personId()).canonicalBytes(),
        RP_ID, ORIGIN));

    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, d);

    List<AuditEvent> audits = h.read(Topics.AUDIT);
    AuditEvent forged = only(audits, "approval.forged");
    assertThat(forged.getReason()).contains("pk-ap-2").contains("names pk-ap-1");
    assertThat(actions(audits)).doesNotContain("approval.counted");
  }

  @Test
  void passkeySignaturesAreRefusedWhenNoOriginIsConfigured() {
    h.close();
    h = RecoveryFixtures.harness(Map.of("person.keys", approverPasskey.entry(APPROVER, Set.of(Role.APPROVER)) + ","
        + registry(RecoveryFixtures.AGENT_KEY), "webauthn.rp-id", RP_ID));
    known(h, ADMIN, true);
    RecoveryFixtures.submit(h, RecoveryFixtures.helpDesk(h, ADMIN, "r-1"));
    h.read(Topics.AUDIT);

    AuditEvent forged = assertForged(passkeyDecision("r-1", Decision.APPROVE, RP_ID, ORIGIN, "webauthn.get",
        SoftPasskey.UP_UV, 1));
    assertThat(forged.getReason()).contains("webauthn.origins");
  }

  private void openCase(String requestId) {
    RecoveryFixtures.submit(h, RecoveryFixtures.helpDesk(h, ADMIN, requestId));
    assertThat(actions(h.read(Topics.AUDIT))).contains("recovery.requested");
    h.read(Topics.APPROVAL_REQUESTS);
  }

  private RecoveryRequest draft(String requestId) {
    return RecoveryRequest.newBuilder().setEventId("ev-" + requestId).setEventTime(h.now()).setRequestId(requestId)
        .setKind(RecoveryRequestKind.OPEN).setSubjectId(ADMIN).setChannel(RecoveryChannel.HELP_DESK)
        .setReason(RecoveryReason.DEVICE_LOST).setRequesterId(AGENT.personId())
        .setEvidence(List.of(proofing(h, IdentityAssuranceLevel.IAL3))).setLostAuthenticatorIds(List.of("lost-key-1")).build();
  }

  private void submitSigned(RecoveryRequest request, SignatureEnvelope envelope) {
    request.setSignatureEnvelope(envelope);
    h.pipe(Topics.RECOVERY_REQUESTS, ADMIN, request);
  }

  private ApprovalDecision unsigned(String requestId, Decision decision) {
    return ApprovalDecision.newBuilder().setEventId("ad-" + requestId + "-" + decision + "-" + System.nanoTime())
        .setEventTime(h.now()).setRequestId(requestId).setSubjectId(ADMIN).setApproverId(APPROVER.personId())
        .setDecision(decision).setDecidedAt(h.now()).build();
  }

  private ApprovalDecision passkeyDecision(String requestId, Decision decision, String rpId, String origin, String type,
      int flags, long counter) {
    ApprovalDecision d = unsigned(requestId, decision);
    byte[] statement = ApprovalStatement.of(d, nonce(h, ADMIN, requestId), APPROVER.personId()).canonicalBytes();
    d.setSignatureEnvelope(approverPasskey.sign(statement, rpId, origin, type, flags, counter));
    return d;
  }

  private AuditEvent assertForged(ApprovalDecision decision) {
    h.pipe(Topics.APPROVAL_DECISIONS, ADMIN, decision);
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    AuditEvent forged = only(audits, "approval.forged");
    assertThat(forged.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(forged.getDetails()).containsEntry("approverId", APPROVER.personId());
    assertThat(actions(audits)).doesNotContain("approval.counted", "recovery.denied");
    return forged;
  }

  private RecoverySubject stored() {
    return h.<String, RecoverySubject>store(RecoveryWorker.NAME + "-subjects").get(ADMIN);
  }
}
