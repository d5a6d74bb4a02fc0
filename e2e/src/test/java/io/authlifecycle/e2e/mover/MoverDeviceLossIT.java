package io.authlifecycle.e2e.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.mover.MoverWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mover-worker on a real broker: device loss end to end, and dead letters on each input. */
class MoverDeviceLossIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private static final String QUERY_TOKEN = "mover-query-token-0123456789";
  private static KafkaTestCluster kafka;
  private static RunningWorker worker;

  @TempDir
  static Path state;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaTestCluster.start();
    MoverWorker app = new MoverWorker();
    worker = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), state.toString(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.HTTP_QUERY_TOKEN.key(), QUERY_TOKEN)));
    assertThat(worker.awaitRunning(WAIT)).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    worker.close();
    kafka.close();
  }

  @Test
  void losingOneOfTwoDevicesRevokesExactlyItsFactorsEndsSessionsNotifiesAndIssuesARebindTicket() throws Exception {
    bindTwoFactorsOnTwoDevices("alice", "engineer", false, FactorType.HARDWARE_PASSKEY);

    kafka.produce(Topics.MDM_DEVICE_EVENTS, "alice-phone", lost("alice", "alice-phone", "mdm-alice-1"));

    List<AuthenticatorCommand> commands = forSubject(Topics.COMMANDS_MOVER, "alice", 3, AuthenticatorCommand::getSubjectId);
    assertThat(commands).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId,
        AuthenticatorCommand::getCausationId).containsExactly(
            tuple(CommandAction.REVOKE_AUTHENTICATOR, "alice-phone-factor", "mdm-alice-1"),
            tuple(CommandAction.TERMINATE_SESSIONS, null, "mdm-alice-1"),
            tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null, "mdm-alice-1"));
    assertThat(commands.get(2).getTicket().getPurpose()).isEqualTo(TicketPurpose.REBIND);
    assertThat(forSubject(Topics.NOTIFICATIONS, "alice", 1, SubjectNotification::getSubjectId))
        .extracting(SubjectNotification::getTopic, SubjectNotification::getChannels)
        .containsExactly(tuple("device.lost", List.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL)));
    assertThat(kafka.readCommitted(Topics.SYSTEM_REQUESTS, rs -> false, Duration.ofSeconds(2)))
        .extracting(RecoveryRequest::getSubjectId).doesNotContain("alice");
    List<AuditEvent> audit = forSubject(Topics.AUDIT, "alice", 5, AuditEvent::getSubjectId);
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
  }

  @Test
  void losingTheDeviceThatHeldTheOnlyQualifyingFactorFilesARecoveryRequest() throws Exception {
    bindTwoFactorsOnTwoDevices("bob", "admin", true, FactorType.OTP_APP);

    kafka.produce(Topics.MDM_DEVICE_EVENTS, "bob-key", lost("bob", "bob-key", "mdm-bob-1"));

    List<RecoveryRequest> requests = forSubject(Topics.SYSTEM_REQUESTS, "bob", 1, RecoveryRequest::getSubjectId);
    assertThat(requests).extracting(RecoveryRequest::getReason, RecoveryRequest::getChannel,
        RecoveryRequest::getRequesterId, RecoveryRequest::getLostAuthenticatorIds)
        .containsExactly(tuple(RecoveryReason.DEVICE_LOST, RecoveryChannel.SYSTEM, "mover-worker", List.of("bob-key-factor")));
    assertThat(forSubject(Topics.COMMANDS_MOVER, "bob", 2, AuthenticatorCommand::getSubjectId))
        .extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId).containsExactly(
            tuple(CommandAction.REVOKE_AUTHENTICATOR, "bob-key-factor"), tuple(CommandAction.TERMINATE_SESSIONS, null));
  }

  @Test
  void aLostDeviceNoFactorIsLinkedToRevokesTheOwnersUnplacedPhoneFactorsKeepsTheRestAndSaysWhich() throws Exception {
    kafka.produce(Topics.HR_WORKER_EVENTS, "carol", hr("carol", "engineer", false));
    // The IdP named no device for the OTP app; the hardware key is known to be on its own device.
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, "carol", binding("carol", "carol-otp", FactorType.OTP_APP, null));
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, "carol", binding("carol", "carol-key", FactorType.HARDWARE_PASSKEY, "carol-key"));
    awaitRegistry("carol", body -> body.contains("carol-otp") && body.contains("carol-key"));

    kafka.produce(Topics.MDM_DEVICE_EVENTS, "carol-phone", lost("carol", "carol-phone", "mdm-carol-1"));

    List<AuthenticatorCommand> commands = forSubject(Topics.COMMANDS_MOVER, "carol", 3, AuthenticatorCommand::getSubjectId);
    assertThat(commands).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "carol-otp"), tuple(CommandAction.TERMINATE_SESSIONS, null),
            tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null));
    assertThat(forSubject(Topics.NOTIFICATIONS, "carol", 1, SubjectNotification::getSubjectId))
        .singleElement().satisfies(n -> assertThat(n.getMessage())
            .contains("the sign-in factor that may be on it (OTP_APP) to be removed"));
  }

  @Test
  void garbageAndInvalidRecordsOnEveryInputAreDeadLetteredAndTheWorkerKeepsRunning() {
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    kafka.produceRaw(List.of(
        new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), bytes("dl-1"), garbage),
        new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), bytes("dl-1"), garbage),
        new ProducerRecord<>(Topics.MDM_DEVICE_EVENTS.name(), bytes("dl-dev"), garbage)));
    kafka.produce(Topics.HR_WORKER_EVENTS, "dl-1",
        WorkerEvent.newBuilder(hr("dl-1", "engineer", false)).setSubjectId("someone-else").build());
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, "dl-1", (org.apache.avro.specific.SpecificRecord)
        AuthenticatorBound.newBuilder(binding("dl-1", "", FactorType.OTP_APP, "dl-dev")).build());
    kafka.produce(Topics.MDM_DEVICE_EVENTS, "dl-other-dev", lost("dl-1", "dl-dev", "mdm-dl-1"));

    for (TopicSpec<?> input : List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS, Topics.MDM_DEVICE_EVENTS)) {
      assertThat(kafka.readCommitted(input.deadLetterTopic(), 2, WAIT)).as(input.name())
          .extracting(DeadLetter::getErrorKind).containsExactlyInAnyOrder(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID);
    }
    assertThat(worker.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private void bindTwoFactorsOnTwoDevices(String subject, String role, boolean privileged, FactorType phoneType)
      throws Exception {
    kafka.produce(Topics.HR_WORKER_EVENTS, subject, hr(subject, role, privileged));
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, subject,
        binding(subject, subject + "-phone-factor", phoneType, subject + "-phone"));
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, subject,
        binding(subject, subject + "-key-factor", FactorType.HARDWARE_PASSKEY, subject + "-key"));
    awaitRegistry(subject, body -> body.contains(subject + "-phone-factor") && body.contains(subject + "-key-factor"));
  }

  /** Polls the worker's registry route until the subject's view satisfies the condition. */
  private static void awaitRegistry(String subject, java.util.function.Predicate<String> ready) {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + worker.httpPort() + "/subjects?id=" + subject);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + QUERY_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && ready.test(response.body());
    });
  }

  private static <V> List<V> forSubject(TopicSpec<V> topic, String subject, int count,
      java.util.function.Function<V, String> subjectOf) {
    return kafka.readCommitted(topic, vs -> vs.stream().filter(v -> subject.equals(subjectOf.apply(v))).count() >= count, WAIT)
        .stream().filter(v -> subject.equals(subjectOf.apply(v))).toList();
  }

  private static WorkerEvent hr(String subject, String role, boolean privileged) {
    Instant now = Instant.now();
    return WorkerEvent.newBuilder().setEventId("hr-" + subject).setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole(role).setPrivileged(privileged)
        .setEffectiveTime(now).setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH, Channel.PERSONAL_EMAIL)).build();
  }

  private static AuthenticatorBound binding(String subject, String authId, FactorType type, String device) {
    return AuthenticatorBound.newBuilder().setEventId("bound-" + authId).setEventTime(Instant.now()).setSubjectId(subject)
        .setAuthenticatorId(authId).setFactorType(type).setDeviceId(device).build();
  }

  private static DeviceEvent lost(String owner, String device, String eventId) {
    return DeviceEvent.newBuilder().setEventId(eventId).setEventTime(Instant.now()).setDeviceId(device)
        .setOwnerSubjectId(owner).setType(DeviceEventType.LOST).build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
