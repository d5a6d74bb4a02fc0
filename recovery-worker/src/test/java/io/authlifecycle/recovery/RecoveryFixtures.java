package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.ApprovalSigner;
import io.authlifecycle.core.approvals.ApproverKeyFile;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Subjects, approvers with real Ed25519 keys, and the records the recovery tests pipe in. */
final class RecoveryFixtures {

  static final String SUBJECT = "alice";
  static final String ADMIN = "root-ann";
  static final String HELP_DESK_AGENT = "hd-7";
  static final String SUBJECT_APPROVER = "mgr-1";

  static final ApproverKeyFile AP1 = ApproverKeyFile.generate("ap-1");
  static final ApproverKeyFile AP2 = ApproverKeyFile.generate("ap-2");
  static final ApproverKeyFile AP3 = ApproverKeyFile.generate("ap-3");
  /** Registered keys for people who must never count: the subject, the requester, the subject's approver. */
  static final ApproverKeyFile SUBJECT_KEY = ApproverKeyFile.generate(SUBJECT);
  static final ApproverKeyFile AGENT_KEY = ApproverKeyFile.generate(HELP_DESK_AGENT);
  static final ApproverKeyFile MANAGER_KEY = ApproverKeyFile.generate(SUBJECT_APPROVER);
  /** Never registered. */
  static final ApproverKeyFile OUTSIDER = ApproverKeyFile.generate("ap-9");

  static final List<Channel> CHANNELS = List.of(Channel.WORK_EMAIL, Channel.SMS, Channel.PUSH);

  private RecoveryFixtures() {}

  static TopologyHarness harness() {
    return harness(Map.of());
  }

  static TopologyHarness harness(Map<String, String> overrides) {
    return new TopologyHarness(new RecoveryWorker(), config(overrides));
  }

  /** The rules production builds, from the settings' defaults plus the registered approvers. */
  static RecoveryRules rules() {
    return RecoveryRules.from(WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL, config(Map.of())));
  }

  /** Loads the state store's serde, which lets Avro build this project's generated records in plain tests. */
  static void load() {
    AvroSerde.of(RecoverySubject.class);
  }

  private static Map<String, String> config(Map<String, String> overrides) {
    Map<String, String> config = new HashMap<>();
    config.put("approvers.keys", String.join(",", Stream.of(AP1, AP2, AP3, SUBJECT_KEY, AGENT_KEY, MANAGER_KEY)
        .map(ApproverKeyFile::registryEntry).toList()));
    config.putAll(overrides);
    return config;
  }

  static WorkerEvent joiner(TopologyHarness h, String subjectId, boolean privileged) {
    return WorkerEvent.newBuilder().setEventId("hr-join-" + subjectId).setEventTime(h.now())
        .setType(WorkerEventType.JOINER).setSubjectId(subjectId).setIdentityType(IdentityType.HUMAN)
        .setRole(privileged ? "domain-admin" : "engineer").setPrivileged(privileged).setEffectiveTime(h.now())
        .setChannels(CHANNELS).setApprovers(List.of(SUBJECT_APPROVER)).setManagerId(SUBJECT_APPROVER).build();
  }

  static WorkerEvent hr(TopologyHarness h, String eventId, WorkerEventType type, String subjectId, Instant effective,
      boolean immediate) {
    return WorkerEvent.newBuilder(joiner(h, subjectId, false)).setEventId(eventId).setType(type)
        .setEffectiveTime(effective).setImmediate(immediate).setChannels(List.of()).setApprovers(List.of()).build();
  }

  static void known(TopologyHarness h, String subjectId, boolean privileged) {
    h.pipe(Topics.HR_WORKER_EVENTS, subjectId, joiner(h, subjectId, privileged));
  }

  static AuthenticatorBound bound(TopologyHarness h, String subjectId, String authenticatorId, FactorType type, String ticketId) {
    return AuthenticatorBound.newBuilder().setEventId("bound-" + authenticatorId).setEventTime(h.now())
        .setSubjectId(subjectId).setAuthenticatorId(authenticatorId).setFactorType(type).setTicketId(ticketId).build();
  }

  static RecoveryEvidence proofing(TopologyHarness h, IdentityAssuranceLevel level) {
    return RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING).setReference("proof-1")
        .setLevel(level).setVerifiedAt(h.now()).build();
  }

  static RecoveryEvidence proof(TopologyHarness h, EvidenceMethod method, String reference) {
    return RecoveryEvidence.newBuilder().setMethod(method).setReference(reference).setVerifiedAt(h.now()).build();
  }

  /** A help-desk request for a subject, with evidence strong enough for AAL3 (repeated proofing at IAL3). */
  static RecoveryRequest helpDesk(TopologyHarness h, String subjectId, String requestId) {
    return request(h, subjectId, requestId, RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of("lost-key-1"));
  }

  static RecoveryRequest request(TopologyHarness h, String subjectId, String requestId, RecoveryChannel channel,
      String requester, List<RecoveryEvidence> evidence, List<String> lost) {
    return RecoveryRequest.newBuilder().setEventId("ev-" + requestId).setEventTime(h.now()).setRequestId(requestId)
        .setKind(RecoveryRequestKind.OPEN).setSubjectId(subjectId).setChannel(channel).setReason(RecoveryReason.DEVICE_LOST)
        .setRequesterId(requester).setEvidence(evidence).setLostAuthenticatorIds(lost).build();
  }

  static RecoveryRequest cancel(TopologyHarness h, String subjectId, String reference, String eventId) {
    return RecoveryRequest.newBuilder().setEventId(eventId).setEventTime(h.now()).setRequestId(reference)
        .setKind(RecoveryRequestKind.CANCEL).setSubjectId(subjectId).setChannel(RecoveryChannel.SELF_SERVICE)
        .setReason(RecoveryReason.OTHER).setRequesterId(subjectId).build();
  }

  static ApprovalDecision decision(TopologyHarness h, String subjectId, String requestId, ApproverKeyFile key,
      Decision decision) {
    return ApprovalSigner.sign(ApprovalDecision.newBuilder().setEventId("ad-" + requestId + "-" + key.approverId() + "-" + decision)
        .setEventTime(h.now()).setRequestId(requestId).setSubjectId(subjectId).setApproverId(key.approverId())
        .setDecision(decision).setDecidedAt(h.now()), key);
  }

  static ApprovalDecision approve(TopologyHarness h, String subjectId, String requestId, ApproverKeyFile key) {
    return decision(h, subjectId, requestId, key, Decision.APPROVE);
  }

  static List<String> actions(List<AuditEvent> audits) {
    return audits.stream().map(AuditEvent::getAction).toList();
  }

  static AuditEvent only(List<AuditEvent> audits, String action) {
    List<AuditEvent> matching = audits.stream().filter(a -> a.getAction().equals(action)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + action + " audit, got " + actions(audits));
    }
    return matching.get(0);
  }
}
