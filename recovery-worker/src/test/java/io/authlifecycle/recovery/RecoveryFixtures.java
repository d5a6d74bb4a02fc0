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
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.approvals.ApprovalSigner;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Subjects, help-desk agents and approvers with real Ed25519 keys (each a person with an HR
 * subject id that differs from the id they sign as), and the records the recovery tests pipe in.
 */
final class RecoveryFixtures {

  static final String SUBJECT = "alice";
  static final String ADMIN = "root-ann";
  static final String HELP_DESK_AGENT = "hd-7";
  static final String AGENT_HR_SUBJECT = "E2007";
  static final String SUBJECT_APPROVER = "mgr-1";

  static final PersonKeyFile AP1 = key("ap-1", "E1001", Role.APPROVER);
  static final PersonKeyFile AP2 = key("ap-2", "E1002", Role.APPROVER);
  static final PersonKeyFile AP3 = key("ap-3", "E1003", Role.APPROVER);
  /** The help-desk agent who files the tests' requests, and the approver key the same person also holds. */
  static final PersonKeyFile AGENT_KEY = key(HELP_DESK_AGENT, AGENT_HR_SUBJECT, Role.HELP_DESK);
  static final PersonKeyFile AGENT_APPROVER_KEY = key(HELP_DESK_AGENT, AGENT_HR_SUBJECT, Role.APPROVER);
  /** Another agent, a colleague a request could falsely name as its requester. */
  static final PersonKeyFile COLLEAGUE_KEY = key("hd-8", "E2008", Role.HELP_DESK);
  /** The subject itself, registered as an approver under an id that is not its HR subject id. */
  static final PersonKeyFile SUBJECT_KEY = key("jdoe", SUBJECT, Role.APPROVER);
  /** The subject's own help-desk key: the subject works at the help desk too. */
  static final PersonKeyFile SUBJECT_AGENT_KEY = key("jdoe", SUBJECT, Role.HELP_DESK);
  /** The subject's manager (HR subject mgr-1, on the subject's approver list), approving as "boss". */
  static final PersonKeyFile MANAGER_KEY = key("boss", SUBJECT_APPROVER, Role.APPROVER);
  /** Never registered. */
  static final PersonKeyFile OUTSIDER = key("ap-9", "E1009", Role.APPROVER);

  static final List<Channel> CHANNELS = List.of(Channel.WORK_EMAIL, Channel.SMS, Channel.PUSH);

  private RecoveryFixtures() {}

  static PersonKeyFile key(String personId, String hrSubjectId, Role role) {
    return PersonKeyFile.generate(new Person(personId, hrSubjectId), Set.of(role));
  }

  static TopologyHarness harness() {
    return harness(Map.of());
  }

  static TopologyHarness harness(Map<String, String> overrides) {
    return new TopologyHarness(new RecoveryWorker(), config(overrides));
  }

  /** The rules production builds, from the settings' defaults plus the registered people. */
  static RecoveryRules rules() {
    return RecoveryRules.from(WorkerContext.forTest(RecoveryWorker.NAME, RecoverySettings.ALL, config(Map.of())));
  }

  /** Loads the state store's serde, which lets Avro build this project's generated records in plain tests. */
  static void load() {
    AvroSerde.of(RecoverySubject.class);
  }

  /** The {@code person.keys} entries of the given key files. */
  static String registry(PersonKeyFile... keys) {
    return String.join(",", Stream.of(keys).map(PersonKeyFile::registryEntry).toList());
  }

  private static Map<String, String> config(Map<String, String> overrides) {
    Map<String, String> config = new HashMap<>();
    config.put("person.keys", registry(AP1, AP2, AP3, AGENT_KEY, AGENT_APPROVER_KEY, COLLEAGUE_KEY, SUBJECT_KEY,
        SUBJECT_AGENT_KEY, MANAGER_KEY));
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

  /** A help-desk request for a subject, signed by the agent, with evidence strong enough for AAL3 (repeated proofing at IAL3). */
  static RecoveryRequest helpDesk(TopologyHarness h, String subjectId, String requestId) {
    return request(h, subjectId, requestId, RecoveryChannel.HELP_DESK, HELP_DESK_AGENT,
        List.of(proofing(h, IdentityAssuranceLevel.IAL3)), List.of("lost-key-1"));
  }

  /** A request; a help-desk one is signed by the fixture agent it names as requester (unsigned if none is). */
  static RecoveryRequest request(TopologyHarness h, String subjectId, String requestId, RecoveryChannel channel,
      String requester, List<RecoveryEvidence> evidence, List<String> lost) {
    return request(h, subjectId, requestId, channel, requester, evidence, lost, RecoveryReason.DEVICE_LOST);
  }

  /** The same, for the given reason. */
  static RecoveryRequest request(TopologyHarness h, String subjectId, String requestId, RecoveryChannel channel,
      String requester, List<RecoveryEvidence> evidence, List<String> lost, RecoveryReason reason) {
    RecoveryRequest.Builder draft = RecoveryRequest.newBuilder().setEventId("ev-" + requestId).setEventTime(h.now())
        .setRequestId(requestId).setKind(RecoveryRequestKind.OPEN).setSubjectId(subjectId).setChannel(channel)
        .setReason(reason).setRequesterId(requester).setEvidence(evidence).setLostAuthenticatorIds(lost);
    Optional<PersonKeyFile> agent = Stream.of(AGENT_KEY, COLLEAGUE_KEY, SUBJECT_AGENT_KEY).filter(k -> k.personId().equals(requester)).findFirst();
    return channel == RecoveryChannel.HELP_DESK && agent.isPresent() ? RequestSigner.sign(draft, agent.get()) : draft.build();
  }

  /** The subject's "this wasn't me", from the self-service portal. */
  static RecoveryRequest cancel(TopologyHarness h, String subjectId, String reference, String eventId) {
    return RecoveryRequest.newBuilder().setEventId(eventId).setEventTime(h.now()).setRequestId(reference)
        .setKind(RecoveryRequestKind.CANCEL).setSubjectId(subjectId).setChannel(RecoveryChannel.SELF_SERVICE)
        .setReason(RecoveryReason.OTHER).setRequesterId(subjectId).build();
  }

  /** Pipes a request to the topic of the channel it names, as its one writer would. */
  static void submit(TopologyHarness h, RecoveryRequest request) {
    h.pipe(topicOf(request.getChannel()), request.getSubjectId(), request);
  }

  static TopicSpec<RecoveryRequest> topicOf(RecoveryChannel channel) {
    return switch (channel) {
      case SELF_SERVICE -> Topics.SELF_SERVICE_REQUESTS;
      case SYSTEM -> Topics.SYSTEM_REQUESTS;
      default -> Topics.RECOVERY_REQUESTS;
    };
  }

  /** The nonce the worker minted for the subject's case, or a made-up one if it has no such case. */
  static String nonce(TopologyHarness h, String subjectId, String requestId) {
    RecoverySubject stored = h.<String, RecoverySubject>store(RecoveryWorker.NAME + "-subjects").get(subjectId);
    return Optional.ofNullable(stored).flatMap(s -> RecoverySubjects.findCase(s, requestId))
        .map(RecoveryCase::getNonce).orElse("no-such-case");
  }

  static ApprovalDecision decision(TopologyHarness h, String subjectId, String requestId, PersonKeyFile key,
      Decision decision) {
    return sign(h, subjectId, requestId, key, decision, h.now(), nonce(h, subjectId, requestId));
  }

  static ApprovalDecision sign(TopologyHarness h, String subjectId, String requestId, PersonKeyFile key, Decision decision,
      Instant decidedAt, String nonce) {
    return ApprovalSigner.sign(ApprovalDecision.newBuilder()
        .setEventId("ad-" + requestId + "-" + key.personId() + "-" + key.keyId().substring(0, 6) + "-" + decision)
        .setEventTime(h.now()).setRequestId(requestId).setSubjectId(subjectId).setApproverId(key.personId())
        .setDecision(decision).setDecidedAt(decidedAt), nonce, key);
  }

  static ApprovalDecision approve(TopologyHarness h, String subjectId, String requestId, PersonKeyFile key) {
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
