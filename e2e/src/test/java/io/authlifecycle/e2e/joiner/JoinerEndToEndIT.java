package io.authlifecycle.e2e.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.joiner.JoinerWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The joiner worker on a real broker: a verified joiner enrolls, an unverified one is refused, bad input is parked. */
class JoinerEndToEndIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static KafkaTestCluster kafka;
  private static RunningWorker joiner;

  @BeforeAll
  static void startBrokerAndWorker() throws Exception {
    kafka = KafkaTestCluster.start();
    JoinerWorker app = new JoinerWorker();
    joiner = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.STATE_DIR.key(), Files.createTempDirectory("joiner-e2e").toString(),
        CoreSettings.HTTP_PORT.key(), "0")));
    assertThat(joiner.awaitRunning(WAIT)).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (joiner != null) {
      joiner.close();
    }
    kafka.close();
  }

  private static WorkerEvent.Builder joinerEvent(String subjectId, String eventId) {
    Instant now = Instant.now();
    return WorkerEvent.newBuilder().setEventId(eventId).setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subjectId).setIdentityType(IdentityType.HUMAN).setRole("engineer").setPrivileged(false)
        .setEffectiveTime(now)
        .setIdentityVerification(IdentityVerification.newBuilder().setVerificationId("iv-" + eventId)
            .setMethod(VerificationMethod.REMOTE_PROOFING).setLevel(IdentityAssuranceLevel.IAL2).setVerifiedAt(now).build())
        .setManagerId("mgr-" + subjectId).setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH, Channel.SMS));
  }

  private static <V> List<V> await(TopicSpec<V> topic, Predicate<V> match, int count) {
    List<V> found = kafka.readCommitted(topic, vs -> vs.stream().filter(match).count() >= count, WAIT)
        .stream().filter(match).toList();
    assertThat(found).as("%d matching records on %s", count, topic.name()).hasSize(count);
    return found;
  }

  @Test
  void aVerifiedJoinerGetsATicketAndItsBindingIsRecordedNotifiedAndAudited() {
    String subject = "e2e-alice";
    kafka.produce(Topics.HR_WORKER_EVENTS, subject, joinerEvent(subject, "hr-e2e-1").build());

    AuthenticatorCommand issue = await(Topics.COMMANDS_JOINER, c -> c.getSubjectId().equals(subject), 1).get(0);
    assertThat(issue.getAction()).isEqualTo(CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(issue.getCausationId()).isEqualTo("hr-e2e-1");
    assertThat(issue.getTicket().getPurpose()).isEqualTo(TicketPurpose.ONBOARDING);
    assertThat(issue.getTicket().getAllowedFactorTypes()).containsExactly(FactorType.HARDWARE_PASSKEY,
        FactorType.PIV_SMART_CARD, FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING, FactorType.OTP_APP);
    assertThat(issue.getTicket().getSingleUse()).isTrue();
    assertThat(issue.getTicket().getDeliveryChannel()).isEqualTo(Channel.IDP_PORTAL);
    assertThat(Duration.between(issue.getTicket().getNotBefore(), issue.getTicket().getExpiresAt()))
        .isEqualTo(Duration.ofHours(1));

    kafka.produce(Topics.AUTHENTICATOR_EVENTS, subject, AuthenticatorBound.newBuilder().setEventId("f-e2e-1")
        .setEventTime(Instant.now()).setSubjectId(subject).setAuthenticatorId("a-e2e-1")
        .setFactorType(FactorType.PUSH_NUMBER_MATCHING).setDeviceId("phone-e2e").setTicketId(issue.getTicket().getTicketId())
        .setSource("e2e").build());

    SubjectNotification notice = await(Topics.NOTIFICATIONS, n -> n.getSubjectId().equals(subject), 1).get(0);
    assertThat(notice.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(notice.getTopic()).isEqualTo("factor.bound");
    assertThat(notice.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.SMS);
    assertThat(notice.getNotMeRef()).isNotBlank();
    assertThat(notice.getCausationId()).isEqualTo("f-e2e-1");
    List<AuditEvent> audit = await(Topics.AUDIT, a -> a.getSubjectId().equals(subject), 2);
    assertThat(audit).extracting(AuditEvent::getAction, AuditEvent::getPolicyRef)
        .containsExactly(tuple("enrollment.ticket.issued", "NIST SP 800-63B-4 4.1.2.1"),
            tuple("enrollment.factor.bound", "NIST SP 800-63B-4 4.1.2.1"));
    assertThat(audit.get(0).getCommandIds()).containsExactly(issue.getCommandId());
    assertThat(audit.get(1).getDetails()).containsEntry("notificationId", notice.getEventId());
    assertThat(AuditChainVerifier.verify(audit).breaks()).isEmpty();
    // The ticket, and its closing once the binding spent it; nothing revoked.
    assertThat(everyCommittedValue(Topics.COMMANDS_JOINER)).filteredOn(c -> c.getSubjectId().equals(subject))
        .extracting(AuthenticatorCommand::getAction)
        .containsExactly(CommandAction.ISSUE_ENROLLMENT_TICKET, CommandAction.INVALIDATE_TICKET);
  }

  @Test
  void anUnverifiedJoinerIsRefusedWithProofingRequestedAndNoTicket() {
    String subject = "e2e-bob";
    kafka.produce(Topics.HR_WORKER_EVENTS, subject, joinerEvent(subject, "hr-e2e-2").setIdentityVerification(null).build());

    AuditEvent refused = await(Topics.AUDIT, a -> a.getSubjectId().equals(subject), 1).get(0);
    assertThat(refused.getAction()).isEqualTo("enrollment.refused");
    assertThat(refused.getReason()).isEqualTo("IDENTITY_NOT_VERIFIED");
    assertThat(refused.getControlRefs()).containsExactly("NIST CSF 2.0 PR.AA-02");
    assertThat(AuditChainVerifier.verify(List.of(refused)).breaks()).isEmpty();
    List<SubjectNotification> asked = await(Topics.NOTIFICATIONS, n -> n.getSubjectId().equals(subject), 2);
    assertThat(asked).extracting(SubjectNotification::getRecipient, SubjectNotification::getRecipientId,
            SubjectNotification::getTopic)
        .containsExactly(tuple(RecipientRole.MANAGER, "mgr-e2e-bob", "enrollment.proofing.required"),
            tuple(RecipientRole.HELP_DESK, null, "enrollment.proofing.required"));
    // The refusal and any command it made commit in one transaction: what is committed now is all there is.
    assertThat(everyCommittedValue(Topics.COMMANDS_JOINER)).noneMatch(c -> c.getSubjectId().equals(subject));
  }

  @Test
  void garbageAndInvalidRecordsOnBothInputsAreDeadLetteredWhileTheWorkerRuns() {
    byte[] garbage = "{\"type\":\"JOINER\"}".getBytes(StandardCharsets.UTF_8);
    kafka.produceRaw(List.of(
        new ProducerRecord<>(Topics.HR_WORKER_EVENTS.name(), bytes("e2e-carol"), garbage),
        new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), bytes("e2e-carol"), garbage)));
    kafka.produce(Topics.HR_WORKER_EVENTS, "e2e-carol", joinerEvent("e2e-someone-else", "hr-e2e-3").build());
    kafka.produce(Topics.AUTHENTICATOR_EVENTS, "e2e-carol", AuthenticatorBound.newBuilder().setEventId("f-e2e-3")
        .setEventTime(Instant.now()).setSubjectId("e2e-carol").setAuthenticatorId(" ")
        .setFactorType(FactorType.OTP_APP).build());

    List<DeadLetter> hr = await(Topics.HR_WORKER_EVENTS.deadLetterTopic(), d -> true, 2);
    List<DeadLetter> facts = await(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic(), d -> true, 2);

    assertThat(hr).extracting(DeadLetter::getErrorKind, DeadLetter::getWorker)
        .containsExactly(tuple(DeadLetterKind.UNDECODABLE, "joiner-worker"), tuple(DeadLetterKind.INVALID, "joiner-worker"));
    assertThat(hr.get(1).getError()).contains("record key 'e2e-carol' does not match subjectId 'e2e-someone-else'");
    assertThat(facts).extracting(DeadLetter::getErrorKind)
        .containsExactly(DeadLetterKind.UNDECODABLE, DeadLetterKind.INVALID);
    assertThat(facts.get(1).getError()).contains("authenticatorId is blank");
    assertThat(await(Topics.AUDIT, a -> a.getSubjectId().equals("e2e-carol"), 4))
        .extracting(AuditEvent::getAction).containsOnly("input.dead-lettered");
    assertThat(joiner.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
  }

  /** Everything committed on a topic up to its current end (the last stable offset under read_committed). */
  private static <V> List<V> everyCommittedValue(TopicSpec<V> topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "joiner-e2e-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
        }
      }
      assertThat(partitions).allMatch(p -> consumer.position(p) >= end.get(p));
    }
    return values;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
