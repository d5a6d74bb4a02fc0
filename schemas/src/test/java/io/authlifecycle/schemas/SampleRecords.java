package io.authlifecycle.schemas;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CheckpointHead;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in record of every contract, for round-trip tests. */
public final class SampleRecords {

  public static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  private SampleRecords() {}

  /** A signature envelope in the Ed25519 form (not a valid signature: for encoding tests). */
  public static SignatureEnvelope envelope(String keyId) {
    return SignatureEnvelope.newBuilder().setScheme(SignatureScheme.ED25519).setKeyId(keyId)
        .setSignature(ByteBuffer.wrap(new byte[64])).build();
  }

  public static WorkerEvent joiner(String subjectId) {
    return WorkerEvent.newBuilder()
        .setEventId("hr-1-" + subjectId).setEventTime(T0).setType(WorkerEventType.JOINER)
        .setSubjectId(subjectId).setIdentityType(IdentityType.HUMAN).setRole("engineer")
        .setPrivileged(false).setStatedPrivileged(false).setEffectiveTime(T0)
        .setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-1")
            .setMethod(VerificationMethod.IN_PERSON_PROOFING).setLevel(IdentityAssuranceLevel.IAL2)
            .setVerifiedAt(T0).setVerifier("hr-desk-3").build())
        .setManagerId("mgr-1").setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH))
        .setOwnedServiceIdentities(List.of("svc-build")).setApprovers(List.of("mgr-1"))
        .setSource("workday").build();
  }

  public static List<SpecificRecord> oneOfEach() {
    return List.of(
        joiner("s-1"),
        DeviceEvent.newBuilder().setEventId("mdm-1").setEventTime(T0).setDeviceId("dev-1")
            .setOwnerSubjectId("s-1").setType(DeviceEventType.LOST).setReason("reported").setSource("intune").build(),
        AuthenticatorBound.newBuilder().setEventId("f-1").setEventTime(T0).setSubjectId("s-1")
            .setAuthenticatorId("a-1").setFactorType(FactorType.HARDWARE_PASSKEY).setDeviceId("dev-1")
            .setTicketId("t-1").setExpiresAt(T0.plusSeconds(86400)).setSource("keycloak").build(),
        AuthenticatorUsed.newBuilder().setEventId("f-2").setEventTime(T0).setSubjectId("s-1")
            .setAuthenticatorId("a-1").setFactorType(FactorType.HARDWARE_PASSKEY).build(),
        AuthenticatorRevoked.newBuilder().setEventId("f-3").setEventTime(T0).setSubjectId("s-1")
            .setAuthenticatorId("a-1").setCommandId("c-1").setReason("leaver").build(),
        AuthenticatorSuspended.newBuilder().setEventId("f-4").setEventTime(T0).setSubjectId("s-1")
            .setAuthenticatorId("a-1").build(),
        AuthenticatorResumed.newBuilder().setEventId("f-5").setEventTime(T0).setSubjectId("s-1")
            .setAuthenticatorId("a-1").build(),
        CommandApplied.newBuilder().setEventId("f-6").setEventTime(T0).setSubjectId("s-1")
            .setCommandId("c-1").setAction(CommandAction.REVOKE_ALL).setAuthenticatorIds(List.of("a-1")).build(),
        CommandFailed.newBuilder().setEventId("f-7").setEventTime(T0).setSubjectId("s-1")
            .setCommandId("c-2").setAction(CommandAction.REVOKE_ALL).setError("HTTP 404 user not found")
            .setPermanent(true).setAttempts(1).build(),
        AuthenticatorCommand.newBuilder().setCommandId("c-3").setEventTime(T0).setCausationId("hr-1-s-1")
            .setCausationTime(T0).setCorrelationId("joiner:s-1").setSubjectId("s-1")
            .setAction(CommandAction.ISSUE_ENROLLMENT_TICKET)
            .setTicket(EnrollmentTicket.newBuilder().setTicketId("t-1").setPurpose(TicketPurpose.ONBOARDING)
                .setAllowedFactorTypes(List.of(FactorType.HARDWARE_PASSKEY, FactorType.OTP_APP))
                .setNotBefore(T0).setExpiresAt(T0.plusSeconds(3600)).setSingleUse(true)
                .setDeliveryChannel(Channel.IDP_PORTAL).build())
            .setReason("joiner verified").setPolicyRef("NIST SP 800-63B-4 4.1.2.1").setIssuedBy("joiner-worker").build(),
        RecoveryRequest.newBuilder().setEventId("r-1").setEventTime(T0).setRequestId("r-1")
            .setKind(RecoveryRequestKind.OPEN).setSubjectId("s-1").setChannel(RecoveryChannel.HELP_DESK)
            .setReason(RecoveryReason.DEVICE_LOST).setRequesterId("hd-7")
            .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING)
                .setReference("proof-9").setLevel(IdentityAssuranceLevel.IAL2).setVerifiedAt(T0).build()))
            .setLostAuthenticatorIds(List.of("a-1"))
            .setSignatureEnvelope(envelope("k-agent")).build(),
        ApprovalRequested.newBuilder().setEventId("ar-1").setEventTime(T0).setRequestId("r-1")
            .setSubjectId("s-1").setRequesterId("hd-7").setChannel(RecoveryChannel.HELP_DESK)
            .setReason(RecoveryReason.DEVICE_LOST).setPrivileged(true).setQuorum(2)
            .setIneligibleApprovers(List.of("s-1", "hd-7")).setDeadline(T0.plusSeconds(14400))
            .setPolicyRef("NIST CSF 2.0 PR.AA-05").setNonce("n0nce").setOpenedAt(T0).setRequesterSubjectId("E-hd-7").build(),
        ApprovalDecision.newBuilder().setEventId("ad-1").setEventTime(T0).setRequestId("r-1")
            .setSubjectId("s-1").setApproverId("ap-1").setDecision(Decision.APPROVE).setDecidedAt(T0)
            .setComment("called back").setSignatureEnvelope(envelope("k-ap-1")).build(),
        SubjectNotification.newBuilder().setEventId("n-1").setEventTime(T0).setSubjectId("s-1")
            .setRecipient(RecipientRole.SUBJECT).setChannels(List.of(Channel.PUSH))
            .setTopic("factor.bound").setMessage("A passkey was added to your account.")
            .setNotMeRef("nm-1").setCausationId("f-1").setCorrelationId("joiner:s-1").setSentBy("joiner-worker").build(),
        AuditEvent.newBuilder().setEventId("au-1").setEventTime(T0).setWorker("leaver-worker")
            .setSubjectId("s-1").setAction("leaver.revocation.requested").setOutcome(AuditOutcome.REQUESTED)
            .setSeverity(Severity.INFO).setPolicyRef("NIST SP 800-63B-4 4.5").setControlRefs(List.of("NIST CSF 2.0 PR.AA-01"))
            .setCausationId("hr-2").setCorrelationId("leaver:s-1").setCommandIds(List.of("c-9"))
            .setFactorType(FactorType.SMS).setDetails(Map.of("elapsedMillis", "12"))
            .setSequence(1).setPrevHash("0".repeat(64)).setHash("ab").build(),
        DeadLetter.newBuilder().setEventId("dl-1").setEventTime(T0).setSourceTopic("hr.worker-events.v1")
            .setPartition(0).setOffset(42).setRecordTimestamp(T0).setKey(ByteBuffer.wrap("s-1".getBytes()))
            .setValue(ByteBuffer.wrap(new byte[] {0, 1})).setErrorKind(DeadLetterKind.UNDECODABLE)
            .setError("bad header").setWorker("leaver-worker").build(),
        AuditCheckpoint.newBuilder().setEventId("leaver-worker/0_1/1").setCreatedAt(T0).setWriter("leaver-worker")
            .setSigner("leaver-worker").setKeyId("0123456789abcdef").setScope("0_1").setSequence(1)
            .setPrevHash("0".repeat(64)).setIntervalMillis(60_000)
            .setHeads(List.of(CheckpointHead.newBuilder().setSubjectId("s-1").setSequence(1).setHash("ab").build()))
            .setHash("cd").setSignature(ByteBuffer.wrap(new byte[] {4, 5, 6})).build());
  }
}
