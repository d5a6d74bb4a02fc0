package io.authlifecycle.recovery;

import static io.authlifecycle.recovery.RecoveryFixtures.ADMIN;
import static io.authlifecycle.recovery.RecoveryFixtures.HELP_DESK_AGENT;
import static io.authlifecycle.recovery.RecoveryFixtures.SUBJECT;
import static io.authlifecycle.recovery.RecoveryFixtures.actions;
import static io.authlifecycle.recovery.RecoveryFixtures.bound;
import static io.authlifecycle.recovery.RecoveryFixtures.helpDesk;
import static io.authlifecycle.recovery.RecoveryFixtures.hr;
import static io.authlifecycle.recovery.RecoveryFixtures.known;
import static io.authlifecycle.recovery.RecoveryFixtures.only;
import static io.authlifecycle.recovery.RecoveryFixtures.proof;
import static io.authlifecycle.recovery.RecoveryFixtures.request;
import static io.authlifecycle.recovery.RecoveryFixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decisions 1–3: who cannot recover at all, and what evidence is too weak, each refused with its reason. */
class RequestRefusalsTest {

  private final TopologyHarness h = RecoveryFixtures.harness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aTerminatedSubjectIsRefusedAtHighSeverity() {
    known(h, SUBJECT, false);
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-leave", WorkerEventType.LEAVER, SUBJECT, h.now(), true));

    AuditEvent refused = refusedFor(helpDesk(h, SUBJECT, "r-1"));

    assertRefusal(refused, "terminated", Severity.HIGH, PolicyRefs.INVALIDATION, "the subject is terminated");
    assertThat(h.read(Topics.NOTIFICATIONS)).isEmpty();
  }

  @Test
  void aSubjectWhoseTerminationIsPendingIsRefusedAtHighSeverity() {
    known(h, SUBJECT, false);
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-leave", WorkerEventType.LEAVER, SUBJECT, h.now().plus(Duration.ofDays(14)), false));

    assertRefusal(refusedFor(helpDesk(h, SUBJECT, "r-1")), "termination-pending", Severity.HIGH, PolicyRefs.INVALIDATION,
        "termination is pending");
  }

  @Test
  void aCancelledFutureLeaverLiftsThePendingTermination() {
    known(h, SUBJECT, false);
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-leave", WorkerEventType.LEAVER, SUBJECT, h.now().plus(Duration.ofDays(14)), false));
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-unleave", WorkerEventType.LEAVER_CANCELLED, SUBJECT, h.now(), false));

    submit(h, helpDesk(h, SUBJECT, "r-1"));

    assertThat(actions(h.read(Topics.AUDIT))).containsExactly("recovery.requested", "recovery.subject-notified");
  }

  @Test
  void aServiceIdentityIsRefusedAndPointedAtWorkloadIdentity() {
    h.pipe(Topics.HR_WORKER_EVENTS, "svc-build", WorkerEvent.newBuilder(RecoveryFixtures.joiner(h, "svc-build", false))
        .setIdentityType(IdentityType.SERVICE).build());

    AuditEvent refused = refusedFor(helpDesk(h, "svc-build", "r-1"));

    assertRefusal(refused, "service-identity", Severity.HIGH, PolicyRefs.NHI_WORKLOAD_IDENTITY, "workload identity");
  }

  @Test
  void aSubjectHrNeverReportedIsRefused() {
    AuditEvent refused = refusedFor(helpDesk(h, "ghost", "r-1"));

    assertRefusal(refused, "unknown-subject", Severity.MEDIUM, PolicyRefs.INVALIDATION, "no HR record");
  }

  @Test
  void aSubjectOfUnknownIdentityTypeIsRefused() {
    h.pipe(Topics.HR_WORKER_EVENTS, "who", WorkerEvent.newBuilder(RecoveryFixtures.joiner(h, "who", false))
        .setIdentityType(IdentityType.UNKNOWN).build());

    assertRefusal(refusedFor(helpDesk(h, "who", "r-1")), "not-human", Severity.MEDIUM, PolicyRefs.NHI_HUMAN_USE, "not a known human");
  }

  @Test
  void oneRecoveryCodeIsTooWeakForAal2AndTheReasonSaysWhy() {
    known(h, SUBJECT, false);

    AuditEvent refused = refusedFor(request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "code-1"), proof(h, EvidenceMethod.SECURITY_QUESTION, "q")), List.of()));

    assertRefusal(refused, "evidence-insufficient", Severity.MEDIUM, PolicyRefs.RECOVERY_EVIDENCE,
        "insufficient evidence for AAL2: 1 recovery code method(s), no bound authenticator; security questions never count");
    List<SubjectNotification> notes = h.read(Topics.NOTIFICATIONS);
    assertThat(notes).extracting(SubjectNotification::getTopic).containsExactly("recovery.refused");
  }

  @Test
  void oneCodePlusAnActiveBoundFactorIsEnoughForAal2() {
    known(h, SUBJECT, false);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, bound(h, SUBJECT, "otp-1", FactorType.OTP_APP, null));

    submit(h, request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "code-1"), proof(h, EvidenceMethod.BOUND_AUTHENTICATOR, "otp-1")),
        List.of()));

    AuditEvent requested = only(h.read(Topics.AUDIT), "recovery.requested");
    assertThat(requested.getReason()).contains("one recovery code and a bound authenticator");
  }

  @Test
  void aBoundFactorTheSubjectDoesNotHoldOrReportsLostDoesNotCount() {
    known(h, SUBJECT, false);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, bound(h, SUBJECT, "otp-1", FactorType.OTP_APP, null));

    AuditEvent notHeld = refusedFor(request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.BOUND_AUTHENTICATOR, "someone-elses")),
        List.of()));
    AuditEvent lost = refusedFor(request(h, SUBJECT, "r-2", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.BOUND_AUTHENTICATOR, "otp-1")),
        List.of("otp-1")));

    assertThat(notHeld.getReason()).contains("bound authenticator someone-elses is not bound to the subject");
    assertThat(lost.getReason()).contains("bound authenticator otp-1 is reported lost");
  }

  @Test
  void aStaleProofDoesNotCount() {
    known(h, SUBJECT, false);
    h.advance(Duration.ofHours(2));

    AuditEvent refused = refusedFor(request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(io.authlifecycle.avro.RecoveryEvidence.newBuilder(RecoveryFixtures.proofing(h, io.authlifecycle.avro.IdentityAssuranceLevel.IAL3))
            .setVerifiedAt(h.now().minus(Duration.ofHours(2))).build()), List.of()));

    assertThat(refused.getReason()).contains("IDENTITY_PROOFING verified at").contains("is older than PT1H");
  }

  @Test
  void aPrivilegedSubjectNeedsAal3EvidenceSoTwoCodesAreNotEnough() {
    known(h, ADMIN, true);

    AuditEvent refused = refusedFor(request(h, ADMIN, "r-1", RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.ISSUED_RECOVERY_CODE, "d")), List.of()));

    assertThat(refused.getReason()).startsWith("insufficient evidence for AAL3");
  }

  @Test
  void aStandardSubjectHoldingAHardwareKeyIsJudgedAtAal3() {
    known(h, SUBJECT, false);
    h.pipe(Topics.AUTHENTICATOR_EVENTS, SUBJECT, bound(h, SUBJECT, "key-1", FactorType.HARDWARE_PASSKEY, null));

    AuditEvent refused = refusedFor(request(h, SUBJECT, "r-1", RecoveryChannel.SELF_SERVICE, SUBJECT,
        List.of(proof(h, EvidenceMethod.SAVED_RECOVERY_CODE, "c"), proof(h, EvidenceMethod.ISSUED_RECOVERY_CODE, "d")), List.of()));

    assertThat(refused.getReason()).startsWith("insufficient evidence for AAL3");
  }

  @Test
  void aPrivilegedAccountCannotResetItsOwnFactorsThroughSelfService() {
    known(h, ADMIN, true);

    AuditEvent refused = refusedFor(request(h, ADMIN, "r-1", RecoveryChannel.SELF_SERVICE, ADMIN,
        List.of(RecoveryFixtures.proofing(h, io.authlifecycle.avro.IdentityAssuranceLevel.IAL3)), List.of()));

    assertRefusal(refused, "self-service-privileged", Severity.HIGH, PolicyRefs.OWASP_MFA_PRIVILEGED, "through the help desk");
  }

  @Test
  void aPartialMoverDoesNotDemoteAPrivilegedAccountSoItStillCannotResetItself() {
    known(h, ADMIN, true);
    h.pipe(Topics.HR_WORKER_EVENTS, ADMIN, WorkerEvent.newBuilder().setEventId("hr-move").setEventTime(h.now())
        .setType(WorkerEventType.MOVER).setSubjectId(ADMIN).setRole("sre").setEffectiveTime(h.now()).build());

    AuditEvent refused = refusedFor(request(h, ADMIN, "r-1", RecoveryChannel.SELF_SERVICE, ADMIN,
        List.of(RecoveryFixtures.proofing(h, io.authlifecycle.avro.IdentityAssuranceLevel.IAL3)), List.of()));

    assertRefusal(refused, "self-service-privileged", Severity.HIGH, PolicyRefs.OWASP_MFA_PRIVILEGED, "through the help desk");
  }

  @Test
  void aJoinerForASubjectWhoLeftDoesNotMakeItEligibleAgain() {
    known(h, SUBJECT, false);
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, hr(h, "hr-leave", WorkerEventType.LEAVER, SUBJECT, h.now(), true));
    h.advance(Duration.ofMinutes(1));
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, WorkerEvent.newBuilder(RecoveryFixtures.joiner(h, SUBJECT, false))
        .setEventId("hr-join-again").build());

    assertRefusal(refusedFor(helpDesk(h, SUBJECT, "r-1")), "terminated", Severity.HIGH, PolicyRefs.INVALIDATION,
        "the subject is terminated");
  }

  @Test
  void aHelpDeskRequestMadeByTheSubjectItselfIsRefusedWhateverIdTheAgentSignsAs() {
    known(h, SUBJECT, false);

    AuditEvent refused = refusedFor(request(h, SUBJECT, "r-1", RecoveryChannel.HELP_DESK, "jdoe",
        List.of(RecoveryFixtures.proofing(h, io.authlifecycle.avro.IdentityAssuranceLevel.IAL3)), List.of()));

    assertRefusal(refused, "requester-is-subject", Severity.HIGH, PolicyRefs.CSF_LEAST_PRIVILEGE,
        "someone other than the subject (jdoe is HR subject alice)");
    assertThat(refused.getDetails()).containsEntry("requesterId", "jdoe").containsEntry("requesterSubjectId", SUBJECT);
  }

  @Test
  void aSecondRequestWhileOneIsOpenIsRefused() {
    known(h, SUBJECT, false);
    submit(h, helpDesk(h, SUBJECT, "r-1"));
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).hasSize(1);

    assertRefusal(refusedFor(helpDesk(h, SUBJECT, "r-2")), "request-open", Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY,
        "recovery request r-1 is still open");
  }

  @Test
  void aSubjectWithNoRegisteredChannelCannotBeToldSoItsRecoveryIsRefused() {
    h.pipe(Topics.HR_WORKER_EVENTS, SUBJECT, WorkerEvent.newBuilder(RecoveryFixtures.joiner(h, SUBJECT, false))
        .setChannels(List.of()).build());

    assertRefusal(refusedFor(helpDesk(h, SUBJECT, "r-1")), "no-notification-channel", Severity.MEDIUM,
        PolicyRefs.RECOVERY_NOTIFICATION, "no registered channel");
  }

  private AuditEvent refusedFor(io.authlifecycle.avro.RecoveryRequest request) {
    h.read(Topics.AUDIT);
    submit(h, request);
    List<AuditEvent> audits = h.read(Topics.AUDIT);
    assertThat(h.read(Topics.APPROVAL_REQUESTS)).isEmpty();
    assertThat(h.read(Topics.COMMANDS_RECOVERY)).isEmpty();
    return only(audits, "recovery.refused");
  }

  private static void assertRefusal(AuditEvent refused, String rule, Severity severity, String policyRef, String reason) {
    assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(refused.getDetails()).containsEntry("rule", rule);
    assertThat(refused.getSeverity()).isEqualTo(severity);
    assertThat(refused.getPolicyRef()).isEqualTo(policyRef);
    assertThat(refused.getReason()).contains(reason);
  }
}
