package io.authlifecycle.e2e.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.hr.Proofing;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.approvals.ApproveCommand;
import io.authlifecycle.ctl.approvals.KeygenCommand;
import io.authlifecycle.ctl.approvals.RequestCommand;
import io.authlifecycle.mover.MoverWorker;
import io.authlifecycle.recovery.RecoveryWorker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A subject loses their only device, on a real broker with the real mover and recovery workers:
 * the mover files the SYSTEM request, the recovery case waits for proofing and asks the help desk,
 * the agent's signed request with evidence takes it over, an approver signs, and after a short
 * cooling-off the RECOVERY ticket is issued.
 */
class DeviceLossRecoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String QUERY_TOKEN = "device-loss-query-token-0123456789";
  private static final String SUBJECT = "dana";

  private static KafkaTestCluster kafka;
  private static RunningWorker mover;
  private static RunningWorker recovery;
  private static Path agentKey;
  private static Path approverKey;

  @BeforeAll
  static void brokerWorkersAgentAndApprover(@TempDir Path dir) throws Exception {
    kafka = KafkaTestCluster.start();
    agentKey = dir.resolve("hd-7.key");
    approverKey = dir.resolve("ap-1.key");
    String agentEntry = cli(new KeygenCommand(), "--person", "hd-7", "--hr-subject", "E2007", "--role", "HELP_DESK",
        "--out", agentKey.toString()).strip();
    String approverEntry = cli(new KeygenCommand(), "--person", "ap-1", "--hr-subject", "E1001", "--role", "APPROVER",
        "--out", approverKey.toString()).strip();
    MoverWorker moverApp = new MoverWorker();
    mover = WorkerRunner.start(moverApp, WorkerRunner.settings(moverApp, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), dir.resolve("mover").toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.HTTP_QUERY_TOKEN.key(), QUERY_TOKEN)));
    RecoveryWorker recoveryApp = new RecoveryWorker();
    recovery = WorkerRunner.start(recoveryApp, WorkerRunner.settings(recoveryApp, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), dir.resolve("recovery").toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.TIMER_TICK.key(), "200ms",
        "person.keys", String.join(",", agentEntry, approverEntry),
        "recovery.cooling-off.standard", "2s")));
    assertThat(mover.awaitRunning(WAIT)).isTrue();
    assertThat(recovery.awaitRunning(WAIT)).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    for (RunningWorker worker : new RunningWorker[] {mover, recovery}) {
      if (worker != null) {
        worker.close();
      }
    }
    kafka.close();
  }

  @Test
  void losingTheOnlyDeviceWaitsForProofingThenTheHelpDeskRequestAndOneApprovalEndInARecoveryTicket() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    kafka.produce(Topics.HR_WORKER_EVENTS, SUBJECT, WorkerEvent.newBuilder().setEventId("hr-" + SUBJECT).setEventTime(now)
        .setType(WorkerEventType.JOINER).setSubjectId(SUBJECT).setIdentityType(IdentityType.HUMAN).setRole("engineer")
        .setPrivileged(false).setEffectiveTime(now).setManagerId("mgr-1").setApprovers(List.of("mgr-1"))
        .setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH, Channel.PERSONAL_EMAIL)).build());
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, SUBJECT, AuthenticatorBound.newBuilder().setEventId("bound-dana-passkey")
        .setEventTime(now).setSubjectId(SUBJECT).setAuthenticatorId("dana-passkey").setFactorType(FactorType.SYNCED_PASSKEY)
        .setDeviceId("dana-phone").build());
    awaitMoverKnows("dana-passkey");

    // MDM: the phone, the subject's only device, is lost.
    kafka.produce(Topics.MDM_DEVICE_EVENTS, "dana-phone", DeviceEvent.newBuilder().setEventId("mdm-dana-1")
        .setEventTime(Instant.now()).setDeviceId("dana-phone").setOwnerSubjectId(SUBJECT).setType(DeviceEventType.LOST)
        .build());

    RecoveryRequest system = forSubject(Topics.SYSTEM_REQUESTS, 1, RecoveryRequest::getSubjectId).get(0);
    assertThat(system.getChannel()).isEqualTo(RecoveryChannel.SYSTEM);
    assertThat(system.getEvidence()).isEmpty();
    List<AuditEvent> waiting = auditUntil(as -> has(as, "recovery.proofing.requested"));
    assertThat(waiting).extracting(AuditEvent::getAction).doesNotContain("recovery.refused");
    List<SubjectNotification> notices = notificationsUntil(ns -> ns.stream()
        .anyMatch(n -> n.getTopic().equals("recovery.proofing.requested")));
    assertThat(notices).extracting(SubjectNotification::getRecipient, SubjectNotification::getTopic,
            SubjectNotification::getChannels)
        .contains(tuple(RecipientRole.HELP_DESK, Proofing.TOPIC, List.of(Channel.HELP_DESK)),
            // The lost phone received push: the notice goes to the mailboxes only.
            tuple(RecipientRole.SUBJECT, "recovery.proofing.requested", List.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL)));

    // The help desk proofs the subject in person and files the signed request with that evidence.
    String requestId = cli(new RequestCommand(), "open", "--subject", SUBJECT, "--key", agentKey.toString(),
        "--request-id", "r-dana", "--reason", "DEVICE_LOST", "--evidence", "IDENTITY_PROOFING:proof-dana:IAL2",
        "--comment", "proofed in person with a passport", "--bootstrap", kafka.bootstrapServers()).strip();
    List<ApprovalRequested> opened = kafka.readCommitted(Topics.APPROVAL_REQUESTS,
        rs -> rs.stream().anyMatch(r -> r.getRequestId().equals(requestId)), WAIT);
    assertThat(opened).filteredOn(r -> r.getSubjectId().equals(SUBJECT))
        .extracting(ApprovalRequested::getRequestId, ApprovalRequested::getStatus, ApprovalRequested::getLostAuthenticatorIds)
        .containsExactly(tuple(requestId, ApprovalStatus.OPEN, system.getLostAuthenticatorIds()));
    cli(new ApproveCommand(), "--request", requestId, "--key", approverKey.toString(),
        "--comment", "called back on the HR number", "--bootstrap", kafka.bootstrapServers());

    List<AuthenticatorCommand> commands = kafka.readCommitted(Topics.COMMANDS_RECOVERY,
        cs -> cs.stream().anyMatch(DeviceLossRecoveryIT::isRecoveryTicket), WAIT);
    AuthenticatorCommand ticket = commands.stream().filter(DeviceLossRecoveryIT::isRecoveryTicket).findFirst().orElseThrow();
    assertThat(ticket.getCorrelationId()).isEqualTo("recovery:dana:" + requestId);
    assertThat(ticket.getTicket().getSingleUse()).isTrue();
    List<AuditEvent> audit = auditUntil(as -> has(as, "recovery.completed"));
    assertThat(audit).extracting(AuditEvent::getAction).containsSubsequence("mover.recovery.requested",
        "recovery.proofing.requested", "recovery.superseded", "recovery.requested", "approval.counted",
        "recovery.approved", "recovery.completed");
    assertThat(audit).filteredOn(a -> a.getAction().equals("recovery.superseded")).singleElement()
        .satisfies(a -> assertThat(a.getDetails()).containsEntry("requestId", system.getRequestId())
            .containsEntry("supersededBy", requestId));
  }

  private static boolean isRecoveryTicket(AuthenticatorCommand c) {
    return c.getSubjectId().equals(SUBJECT) && c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET
        && c.getTicket() != null && c.getTicket().getPurpose() == TicketPurpose.RECOVERY;
  }

  private static boolean has(List<AuditEvent> audits, String action) {
    return audits.stream().anyMatch(a -> a.getAction().equals(action));
  }

  private static List<AuditEvent> auditUntil(Predicate<List<AuditEvent>> done) {
    return until(Topics.AUDIT, AuditEvent::getSubjectId, done);
  }

  private static List<SubjectNotification> notificationsUntil(Predicate<List<SubjectNotification>> done) {
    return until(Topics.NOTIFICATIONS, SubjectNotification::getSubjectId, done);
  }

  private static <V> List<V> forSubject(TopicSpec<V> topic, int count, Function<V, String> subjectOf) {
    return until(topic, subjectOf, vs -> vs.size() >= count);
  }

  private static <V> List<V> until(TopicSpec<V> topic, Function<V, String> subjectOf, Predicate<List<V>> done) {
    List<V> mine = kafka.readCommitted(topic, vs -> done.test(vs.stream().filter(v -> SUBJECT.equals(subjectOf.apply(v)))
            .toList()), WAIT).stream().filter(v -> SUBJECT.equals(subjectOf.apply(v))).toList();
    assertThat(done.test(mine)).as(topic.name() + " of " + SUBJECT + ": " + mine).isTrue();
    return mine;
  }

  /** Polls the mover's registry route until it holds the factor, so the loss finds it. */
  private static void awaitMoverKnows(String authenticatorId) {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + mover.httpPort() + "/subjects?id=" + SUBJECT);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + QUERY_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(authenticatorId);
    });
  }

  /** Runs a CLI command as the top-level command does; fails the test on a non-zero exit. */
  private static String cli(Callable<Integer> command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    assertThat(exit).as("exit of %s: %s", List.of(args), err).isEqualTo(0);
    return out.toString();
  }
}
