package io.authlifecycle.e2e.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
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
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.approvals.ApprovalsCommand;
import io.authlifecycle.ctl.approvals.ApproveCommand;
import io.authlifecycle.ctl.approvals.KeygenCommand;
import io.authlifecycle.ctl.approvals.RequestCommand;
import io.authlifecycle.recovery.RecoveryWorker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Recovery end to end on a real broker: the recovery worker as it runs in production, the
 * help-desk agent and the approvers using the CLI commands with their own keys, a short cooling-off
 * in the test configuration.
 */
class RecoveryApprovalIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private static KafkaTestCluster kafka;
  private static RunningWorker worker;
  private static Path agentKey;
  private static Path ap1Key;
  private static Path ap2Key;
  private static Path forgedAp2Key;

  @BeforeAll
  static void brokerWorkerAgentAndApprovers(@TempDir Path dir) throws Exception {
    kafka = KafkaTestCluster.start();
    agentKey = dir.resolve("hd-7.key");
    ap1Key = dir.resolve("ap-1.key");
    ap2Key = dir.resolve("ap-2.key");
    forgedAp2Key = dir.resolve("someone-else/ap-2.key");
    String agentEntry = cli(new KeygenCommand(), "--person", "hd-7", "--hr-subject", "E2007", "--role", "HELP_DESK",
        "--out", agentKey.toString()).strip();
    String ap1Entry = cli(new KeygenCommand(), "--person", "ap-1", "--hr-subject", "E1001", "--role", "APPROVER",
        "--out", ap1Key.toString()).strip();
    String ap2Entry = cli(new KeygenCommand(), "--person", "ap-2", "--hr-subject", "E1002", "--role", "APPROVER",
        "--out", ap2Key.toString()).strip();
    // A key pair that claims to be ap-2 but whose public key the worker was never given.
    cli(new KeygenCommand(), "--person", "ap-2", "--hr-subject", "E1002", "--role", "APPROVER", "--out", forgedAp2Key.toString());

    RecoveryWorker app = new RecoveryWorker();
    Settings settings = WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), dir.resolve("state").toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.TIMER_TICK.key(), "200ms",
        "person.keys", String.join(",", agentEntry, ap1Entry, ap2Entry),
        "recovery.cooling-off.privileged", "3s",
        "recovery.approval.deadline", "40s"));
    worker = WorkerRunner.start(app, settings);
    assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    kafka.close();
  }

  @Test
  void aSignedHelpDeskRecoveryOfAPrivilegedSubjectWithTwoSignedApprovalsEndsInOneRecoveryTicket() {
    String subject = "root-ann";
    givenPrivilegedSubject(subject);
    openRequest(subject, "r-e2e-ann");
    ApprovalRequested opened = awaitApprovalRequest("r-e2e-ann");
    assertThat(opened.getRequesterId()).isEqualTo("hd-7");
    assertThat(opened.getRequesterSubjectId()).isEqualTo("E2007");
    assertThat(opened.getNonce()).isNotBlank();

    String listing = cli(new ApprovalsCommand(), "list", "--key", ap1Key.toString(), "--bootstrap", kafka.bootstrapServers());
    assertThat(listing).contains("r-e2e-ann").contains(subject).contains("0/2");

    cli(new ApproveCommand(), "--request", "r-e2e-ann", "--key", ap1Key.toString(),
        "--comment", "verified on a video call", "--bootstrap", kafka.bootstrapServers());
    cli(new ApproveCommand(), "--request", "r-e2e-ann", "--key", ap2Key.toString(), "--bootstrap", kafka.bootstrapServers());

    List<AuthenticatorCommand> commands = kafka.readCommitted(Topics.COMMANDS_RECOVERY,
        cs -> cs.stream().anyMatch(c -> isRecoveryTicketFor(c, subject)), WAIT);
    AuthenticatorCommand ticket = commands.stream().filter(c -> isRecoveryTicketFor(c, subject)).findFirst().orElseThrow();
    assertThat(ticket.getTicket().getSingleUse()).isTrue();
    assertThat(Duration.between(ticket.getTicket().getNotBefore(), ticket.getTicket().getExpiresAt()))
        .isLessThanOrEqualTo(Duration.ofMinutes(10)).isPositive();
    assertThat(ticket.getTicket().getAllowedFactorTypes()).containsExactly(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD);
    assertThat(ticket.getCorrelationId()).isEqualTo("recovery:root-ann:r-e2e-ann");
    assertThat(commands).filteredOn(c -> c.getSubjectId().equals(subject))
        .extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandAction.REVOKE_AUTHENTICATOR, "lost-key-1"),
            org.assertj.core.groups.Tuple.tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null));

    List<AuditEvent> audit = auditOf(subject, as -> as.stream().anyMatch(a -> a.getAction().equals("recovery.completed")));
    assertThat(audit).extracting(AuditEvent::getAction).containsSubsequence("recovery.requested", "approval.counted",
        "approval.counted", "recovery.approved", "recovery.completed");
    assertThat(audit).filteredOn(a -> a.getAction().equals("approval.counted"))
        .extracting(a -> a.getDetails().get("approverSubjectId")).containsExactly("E1001", "E1002");
    assertThat(audit).noneMatch(a -> a.getAction().startsWith("approval.") && a.getSeverity() == Severity.HIGH);
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
    assertThat(worker.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  void theSameRecoveryWithASecondSignatureFromAnUnregisteredKeyNeverProducesATicket() {
    String subject = "root-bob";
    givenPrivilegedSubject(subject);
    openRequest(subject, "r-e2e-bob");
    awaitApprovalRequest("r-e2e-bob");

    cli(new ApproveCommand(), "--request", "r-e2e-bob", "--key", ap1Key.toString(), "--bootstrap", kafka.bootstrapServers());
    cli(new ApproveCommand(), "--request", "r-e2e-bob", "--key", forgedAp2Key.toString(), "--bootstrap", kafka.bootstrapServers());

    List<AuditEvent> audit = auditOf(subject, as -> as.stream().anyMatch(a -> a.getAction().equals("recovery.expired")));
    AuditEvent refused = audit.stream().filter(a -> a.getAction().equals("approval.unknown-approver")).findFirst().orElseThrow();
    assertThat(refused.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(refused.getDetails()).containsEntry("approverId", "ap-2").containsEntry("requestId", "r-e2e-bob");
    assertThat(refused.getReason()).endsWith("is not registered");
    assertThat(audit).extracting(AuditEvent::getAction).containsSubsequence("recovery.requested", "approval.counted",
        "approval.unknown-approver", "recovery.expired").doesNotContain("recovery.approved", "recovery.completed");
    // The case is closed (expired); with state, output and audit committed together nothing can follow.
    List<AuthenticatorCommand> commands = kafka.readCommitted(Topics.COMMANDS_RECOVERY,
        cs -> cs.stream().anyMatch(c -> c.getSubjectId().equals(subject)), Duration.ofSeconds(3));
    assertThat(commands).noneMatch(c -> c.getSubjectId().equals(subject));
    // Read by key: the garbage scenario puts undecodable bytes on the same topic under another subject.
    List<ApprovalDecision> decisions = kafka.readCommittedRaw(Topics.APPROVAL_DECISIONS.name(),
            rs -> rs.stream().filter(r -> subject.equals(r.key())).count() == 2, WAIT).stream()
        .filter(r -> subject.equals(r.key()))
        .map(r -> Topics.APPROVAL_DECISIONS.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    assertThat(decisions).filteredOn(d -> d.getRequestId().equals("r-e2e-bob"))
        .extracting(ApprovalDecision::getApproverId, ApprovalDecision::getDecision)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ap-1", Decision.APPROVE),
            org.assertj.core.groups.Tuple.tuple("ap-2", Decision.APPROVE));
  }

  @Test
  void anUnsignedHelpDeskRequestAndASystemRequestOnTheHelpDeskTopicAreRefusedAtHighSeverity() {
    String subject = "root-cid";
    givenPrivilegedSubject(subject);
    kafka.produce(Topics.RECOVERY_REQUESTS, subject, helpDeskRequest(subject, "r-e2e-unsigned"));
    kafka.produce(Topics.RECOVERY_REQUESTS, subject, RecoveryRequest.newBuilder(helpDeskRequest(subject, "r-e2e-system"))
        .setChannel(RecoveryChannel.SYSTEM).setRequesterId(subject).build());

    List<AuditEvent> refused = auditOf(subject, as -> as.stream().filter(a -> a.getAction().equals("recovery.refused")).count() == 2)
        .stream().filter(a -> a.getAction().equals("recovery.refused")).toList();
    assertThat(refused).extracting(a -> a.getDetails().get("rule")).containsExactlyInAnyOrder("unsigned", "channel-mismatch");
    assertThat(refused).allMatch(a -> a.getSeverity() == Severity.HIGH);
  }

  @Test
  void garbageAndInvalidRecordsOnEveryRecoveryInputAreDeadLettered() {
    String key = "dlq-subject";
    Instant now = Instant.now();
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    WorkerEvent badHr = WorkerEvent.newBuilder(hrJoiner(key)).setType(WorkerEventType.UNKNOWN).build();
    RecoveryRequest badRequest = RecoveryRequest.newBuilder(helpDeskRequest(key, "r-bad")).setRequesterId("").build();
    ApprovalDecision badDecision = ApprovalDecision.newBuilder().setEventId("ad-bad").setEventTime(now).setRequestId("r-bad")
        .setSubjectId(key).setApproverId("ap-1").setDecision(Decision.UNKNOWN).setDecidedAt(now).build();
    AuthenticatorBound badFact = AuthenticatorBound.newBuilder().setEventId("b-bad").setEventTime(now).setSubjectId("other")
        .setAuthenticatorId("k").setFactorType(FactorType.OTP_APP).build();
    List<TopicSpec<?>> inputs = List.of(Topics.HR_WORKER_EVENTS, Topics.RECOVERY_REQUESTS, Topics.SELF_SERVICE_REQUESTS,
        Topics.SYSTEM_REQUESTS, Topics.APPROVAL_DECISIONS, Topics.AUTHENTICATOR_EVENTS);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (TopicSpec<?> input : inputs) {
      records.add(new ProducerRecord<>(input.name(), key.getBytes(StandardCharsets.UTF_8), garbage));
    }
    kafka.produceRaw(records);
    kafka.produce(Topics.HR_WORKER_EVENTS, key, badHr);
    kafka.produce(Topics.RECOVERY_REQUESTS, key, badRequest);
    kafka.produce(Topics.SELF_SERVICE_REQUESTS, key, RecoveryRequest.newBuilder(badRequest).setEventId("ev-bad-ss").build());
    kafka.produce(Topics.SYSTEM_REQUESTS, key, RecoveryRequest.newBuilder(badRequest).setEventId("ev-bad-sys").build());
    kafka.produce(Topics.APPROVAL_DECISIONS, key, badDecision);
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, key, badFact);

    for (TopicSpec<?> input : inputs) {
      List<DeadLetter> letters = kafka.readCommitted(input.deadLetterTopic(),
          ls -> ls.stream().filter(l -> l.getWorker().equals("recovery-worker")).count() >= 2, WAIT);
      assertThat(letters).as(input.name()).filteredOn(l -> l.getWorker().equals("recovery-worker"))
          .extracting(DeadLetter::getErrorKind).containsExactlyInAnyOrder(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID);
    }
    assertThat(auditOf(key, as -> as.stream().filter(a -> a.getAction().equals("input.dead-lettered")).count() >= 12))
        .filteredOn(a -> a.getAction().equals("input.dead-lettered")).hasSize(12);
    assertThat(worker.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private static void givenPrivilegedSubject(String subject) {
    kafka.produce(Topics.HR_WORKER_EVENTS, subject, hrJoiner(subject));
  }

  private static WorkerEvent hrJoiner(String subject) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return WorkerEvent.newBuilder().setEventId("hr-" + subject).setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("domain-admin").setPrivileged(true)
        .setEffectiveTime(now).setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH)).setApprovers(List.of("mgr-1")).build();
  }

  private static RecoveryRequest helpDeskRequest(String subject, String requestId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return RecoveryRequest.newBuilder().setEventId("ev-" + requestId).setEventTime(now).setRequestId(requestId)
        .setKind(RecoveryRequestKind.OPEN).setSubjectId(subject).setChannel(RecoveryChannel.HELP_DESK)
        .setReason(RecoveryReason.DEVICE_LOST).setRequesterId("hd-7")
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING).setReference("proof-9")
            .setLevel(IdentityAssuranceLevel.IAL3).setVerifiedAt(now).build()))
        .setLostAuthenticatorIds(List.of("lost-key-1")).build();
  }

  /** The agent opens the request with the CLI: signed with the agent's key, published on the help-desk topic. */
  private static void openRequest(String subject, String requestId) {
    String printed = cli(new RequestCommand(), "open", "--subject", subject, "--key", agentKey.toString(),
        "--request-id", requestId, "--reason", "DEVICE_LOST", "--evidence", "IDENTITY_PROOFING:proof-9:IAL3",
        "--lost", "lost-key-1", "--comment", "called back on the number HR has", "--bootstrap", kafka.bootstrapServers());
    assertThat(printed.strip()).isEqualTo(requestId);
  }

  private static ApprovalRequested awaitApprovalRequest(String requestId) {
    List<ApprovalRequested> requests = kafka.readCommitted(Topics.APPROVAL_REQUESTS,
        rs -> rs.stream().anyMatch(r -> r.getRequestId().equals(requestId)), WAIT);
    return requests.stream().filter(r -> r.getRequestId().equals(requestId)).findFirst().orElseThrow();
  }

  private static List<AuditEvent> auditOf(String subject, java.util.function.Predicate<List<AuditEvent>> done) {
    List<AuditEvent> all = kafka.readCommitted(Topics.AUDIT,
        as -> done.test(as.stream().filter(a -> a.getSubjectId().equals(subject)).toList()), WAIT);
    List<AuditEvent> mine = all.stream().filter(a -> a.getSubjectId().equals(subject)).toList();
    assertThat(done.test(mine)).as("audit of " + subject + ": " + mine.stream().map(AuditEvent::getAction).toList()).isTrue();
    return mine;
  }

  private static boolean isRecoveryTicketFor(AuthenticatorCommand c, String subject) {
    return c.getSubjectId().equals(subject) && c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET
        && c.getTicket() != null && c.getTicket().getPurpose() == TicketPurpose.RECOVERY;
  }

  /** Runs a CLI command as the lead's top-level command will; fails the test on a non-zero exit. */
  private static String cli(Callable<Integer> command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    assertThat(exit).as("exit of %s: %s", List.of(args), err).isEqualTo(0);
    return out.toString();
  }
}
