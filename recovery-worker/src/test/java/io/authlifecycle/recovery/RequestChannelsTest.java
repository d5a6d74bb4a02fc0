package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.AGENT_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.AP1;
import static io.authlifecycle.recovery.RecoveryFixtures.COLLEAGUE_KEY;
import static io.authlifecycle.recovery.RecoveryFixtures.HELP_DESK_AGENT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.proof;
import static io.authlifecycle.recovery.RecoveryFixtures.proofing;
import static io.authlifecycle.recovery.RecoveryFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who made a request is known from where it came, never from its own fields: the channel from the
 * topic (each has one writer), the help-desk requester from the agent's signing key, the
 * self-service requester from the subject.
 */
class RequestChannelsTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aSignedHelpDeskRequestIsAcceptedWithTheSigningAgentAsRequester() {
    known(h, SUBJECT, false);

    h.pipe(Topics.RECOVERY_REQUESTS, SUBJECT, helpDesk(h, SUBJECT, "r-1"));

    AuditEvent requested = only(h.read(Topics.AUDIT), "recovery.requested");
    assertThat(requested.getDetails()).containsEntry("channel", "HELP_DESK").containsEntry("requesterId", HELP_DESK_AGENT)
        .containsEntry("requesterSubjectId", "E2007");
  }

  @Test
  void anUnsignedHelpDeskRequestIsRefusedAtHighSeverity() {
    known(h, SUBJECT, false);
    RecoveryRequest unsigned = RecoveryRequest.newBuilder(helpDesk(h, SUBJECT, "r-1")).setSignatureEnvelope(null).build();

    AuditEvent refused = refused(Topics.RECOVERY_REQUESTS, unsigned);

    assertRule(refused, "unsigned", "help-desk request carries no signature");
    assertThat(refused.getDetails()).containsEntry("claimedRequesterId", HELP_DESK_AGENT).doesNotContainKey("requesterId");
  }

  @Test
  void evidenceAlteredAfterTheAgentSignedIsRefused() {
    known(h, SUBJECT, false);
    RecoveryRequest signed = RecoveryFixtures.request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "code-1")), List.of());
    RecoveryEvidence stronger = proofing(h, IdentityAssuranceLevel.IAL3);
    RecoveryRequest altered = RecoveryRequest.newBuilder(signed).setEvidence(List.of(stronger)).build();

    assertRule(refused(Topics.RECOVERY_REQUESTS, altered), "signature-invalid", "signature does not verify");
  }

  @Test
  void aRequestSignedWithAnApproverOnlyOrUnregisteredKeyIsRefused() {
    known(h, SUBJECT, false);
    PersonKeyFile approverAsAgent = new PersonKeyFile(AP1.person(), java.util.Set.of(io.authlifecycle.core.approvals.Role.HELP_DESK),
        AP1.publicKey(), AP1.privateKey());
    PersonKeyFile unregistered = RecoveryFixtures.key("hd-99", "E2099", io.authlifecycle.core.approvals.Role.HELP_DESK);

    assertRule(refused(Topics.RECOVERY_REQUESTS, signedBy(approverAsAgent, "r-1")), "unknown-signer", "not HELP_DESK");
    assertRule(refused(Topics.RECOVERY_REQUESTS, signedBy(unregistered, "r-2")), "unknown-signer", "is not registered");
  }

  /**
   * Hole 1: an agent who also holds an approver key names a colleague as the requester, so that he
   * may approve himself. The requester is the signing key's person, and a field that names
   * someone else is refused.
   */
  @Test
  void anAgentNamingAColleagueAsRequesterIsRefusedAndCannotThenApproveHimself() {
    known(h, SUBJECT, false);
    RecoveryRequest namesColleague = RecoveryRequest.newBuilder(helpDesk(h, SUBJECT, "r-1"))
        .setRequesterId(COLLEAGUE_KEY.personId()).build();

    AuditEvent refused = refused(Topics.RECOVERY_REQUESTS, namesColleague);
    h.pipe(Topics.APPROVAL_DECISIONS, SUBJECT, RecoveryFixtures.approve(h, SUBJECT, "r-1", RecoveryFixtures.AGENT_APPROVER_KEY));

    assertRule(refused, "requester-mismatch", "signed by hd-7 (HR E2007) but names hd-8 as the requester");
    assertThat(refused.getDetails()).containsEntry("requesterId", HELP_DESK_AGENT).containsEntry("claimedRequesterId", "hd-8");
    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("approval.unknown-request");
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
  }

  /**
   * Hole 1: SYSTEM with the subject as requester passed the "privileged accounts cannot reset
   * themselves" rule. The channel is the topic's: a SYSTEM request on the help-desk or
   * self-service topic is refused, whatever it carries.
   */
  @Test
  void aSystemChannelClaimedOnTheHelpDeskOrSelfServiceTopicIsRefusedAtHighSeverity() {
    known(h, ADMIN, true);
    RecoveryRequest systemClaim = request(h, ADMIN, "r-1", RecoveryChannel.SYSTEM, ADMIN,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of());

    AuditEvent viaHelpDesk = refused(Topics.RECOVERY_REQUESTS, systemClaim);
    AuditEvent viaPortal = refused(Topics.SELF_SERVICE_REQUESTS,
        RecoveryRequest.newBuilder(systemClaim).setEventId("ev-r-2").setRequestId("r-2").build());

    assertRule(viaHelpDesk, "channel-mismatch", "the request says SYSTEM but came on the HELP_DESK topic");
    assertRule(viaPortal, "channel-mismatch", "the request says SYSTEM but came on the SELF_SERVICE topic");
    assertThat(viaPortal.getDetails()).containsEntry("channel", "SELF_SERVICE").containsEntry("claimedChannel", "SYSTEM");
  }

  @Test
  void aSelfServiceRequestOnTheHelpDeskTopicIsRefusedSoThePortalCannotBorrowTheHelpDesksChannel() {
    known(h, SUBJECT, false);
    RecoveryRequest selfService = request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.ISSUED_RECOVERY_CODE, "d")), List.of());

    assertRule(refused(Topics.RECOVERY_REQUESTS, selfService), "channel-mismatch", "says SELF_SERVICE but came on the HELP_DESK topic");
  }

  @Test
  void aSelfServiceRequestIsTheSubjectsOwnSoNamingSomeoneElseIsRefused() {
    known(h, SUBJECT, false);
    RecoveryRequest forSomeoneElse = request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, "hd-7",
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.ISSUED_RECOVERY_CODE, "d")), List.of());

    assertRule(refused(Topics.SELF_SERVICE_REQUESTS, forSomeoneElse), "requester-mismatch", "names hd-7 as the requester");
  }

  @Test
  void aSystemRequestFromTheMoversTopicIsAcceptedWithThePrivilegedQuorum() {
    known(h, ADMIN, true);

    h.pipe(Topics.SYSTEM_REQUESTS, ADMIN, request(h, ADMIN, "r-1", RecoveryChannel.SYSTEM, "mover-worker",
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of("lost-key-1")));

    ApprovalRequested published = h.read(Topics.APPROVAL_REQUESTS).get(0);
    assertThat(published.getChannel()).isEqualTo(RecoveryChannel.SYSTEM);
    assertThat(published.getQuorum()).isEqualTo(2);
    assertThat(published.getRequesterId()).isEqualTo("mover-worker");
    assertThat(published.getRequesterSubjectId()).isNull();
    assertThat(published.getIneligibleApprovers()).containsExactly(ADMIN, "mgr-1");
  }

  @Test
  void aSignedCancelFromTheHelpDeskEndsTheCaseAndNamesTheAgent() {
    known(h, SUBJECT, false);
    h.pipe(Topics.RECOVERY_REQUESTS, SUBJECT, helpDesk(h, SUBJECT, "r-1"));
    h.read(Topics.AUDIT);
    RecoveryRequest cancel = RequestSigner.sign(RecoveryRequest.newBuilder(RecoveryFixtures.cancel(h, SUBJECT, "r-1", "c-1"))
        .setChannel(RecoveryChannel.HELP_DESK), AGENT_KEY);

    h.pipe(Topics.RECOVERY_REQUESTS, SUBJECT, cancel);

    assertThat(only(h.read(Topics.AUDIT), "recovery.cancelled").getReason()).isEqualTo("cancelled by hd-7 through HELP_DESK");
  }

  private RecoveryRequest signedBy(PersonKeyFile key, String requestId) {
    return RequestSigner.sign(RecoveryRequest.newBuilder(helpDesk(h, SUBJECT, requestId)), key);
  }

  private AuditEvent refused(TopicSpec<RecoveryRequest> topic, RecoveryRequest request) {
    h.read(Topics.AUDIT);
    h.pipe(topic, request.getSubjectId(), request);
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
    return only(audits, "recovery.refused");
  }

  private static void assertRule(AuditEvent refused, String rule, String reason) {
    assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(refused.getDetails()).containsEntry("rule", rule);
    assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(refused.getPolicyRef()).isEqualTo(PolicyRefs.CSF_LEAST_PRIVILEGE);
    assertThat(refused.getReason()).contains(reason);
  }
}
