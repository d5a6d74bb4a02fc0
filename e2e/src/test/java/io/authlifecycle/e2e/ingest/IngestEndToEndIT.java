package io.authlifecycle.e2e.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.E2eScenario;
import io.authlifecycle.ingest.RunningIngest;
import io.authlifecycle.ingest.scim.ScimSchemas;
import io.authlifecycle.ingest.testing.ScimTestClient;
import io.authlifecycle.ingest.testing.TestIngest;
import io.authlifecycle.joiner.JoinerWorker;
import io.authlifecycle.leaver.LeaverWorker;
import io.authlifecycle.mover.MoverWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What HR systems and MDMs send over SCIM and the webhook, decided by the real workers: a SCIM
 * client's create, move, deactivation and reactivation become a ticket, a REBIND, a REVOKE_ALL and a
 * rehire ticket; a webhook's LOST revokes the device's factors.
 */
class IngestEndToEndIT extends E2eScenario {

  private RunningIngest ingest;
  private ScimTestClient client;
  private ScimService scim;
  private RunningWorker mover;

  @BeforeEach
  void startWorkersAndIngest() throws Exception {
    startWorker(new JoinerWorker());
    startWorker(new LeaverWorker());
    mover = startWorker(new MoverWorker());
    ingest = TestIngest.awaitReady(TestIngest.start(bootstrapServers(),
        Map.of(CoreSettings.APPLICATION_ID_PREFIX.key(), subject("e2e-ingest"))), WAIT);
    client = new ScimTestClient(ingest.baseUrl(), TestIngest.TOKEN);
    scim = client.scim();
  }

  @AfterEach
  void stopIngest() {
    client.close();
    ingest.close();
  }

  @Test
  void aScimClientsCreateMoveDeactivationAndReactivationGetATicketARebindARevokeAllAndARehireTicket() throws Exception {
    String alice = subject("alice");
    GenericScimResource created = scim.create("Users", ScimTestClient.user(alice, "engineer", false, "iv-" + alice));
    AuthenticatorCommand ticket = awaitCommand(alice, c -> c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET);
    assertThat(ticket.getTicket().getPurpose()).isEqualTo(TicketPurpose.ONBOARDING);
    assertThat(ticket.getCausationId()).isEqualTo(hrEvent(alice, WorkerEventType.JOINER).getEventId());

    produce(Topics.AUTHENTICATOR_EVENTS, alice, AuthenticatorBound.newBuilder().setEventId("bound-" + alice)
        .setEventTime(Instant.now()).setSubjectId(alice).setAuthenticatorId(alice + "-otp")
        .setFactorType(FactorType.OTP_APP).setDeviceId(alice + "-phone").setTicketId(ticket.getTicket().getTicketId())
        .build());
    awaitRegistry(alice, body -> body.contains(alice + "-otp"));
    GenericScimResource moved = scim.modifyRequest(created)
        .replaceValue("roles", JsonUtils.getJsonNodeFactory().arrayNode().add(
            JsonUtils.getJsonNodeFactory().objectNode().put("value", "admin").put("primary", true)))
        .replaceValue(ScimSchemas.LIFECYCLE + ":privileged", true)
        // Identity before assurance: a privileged role needs a verification at IAL3 before its REBIND ticket.
        .replaceValue(ScimSchemas.LIFECYCLE + ":identityVerification", ScimTestClient.verification("iv-" + alice + "-admin", "IAL3"))
        .invoke();
    AuthenticatorCommand rebind = awaitCommand(alice, c -> c.getTicket() != null
        && c.getTicket().getPurpose() == TicketPurpose.REBIND);
    assertThat(rebind.getIssuedBy()).isEqualTo("mover-worker");
    assertThat(rebind.getCausationId()).isEqualTo(hrEvent(alice, WorkerEventType.MOVER).getEventId());

    GenericScimResource left = scim.modifyRequest(moved).replaceValue("active", false).invoke();
    AuthenticatorCommand revokeAll = awaitCommand(alice, c -> c.getAction() == CommandAction.REVOKE_ALL);
    assertThat(revokeAll.getIssuedBy()).isEqualTo("leaver-worker");
    assertThat(revokeAll.getCausationId()).isEqualTo(hrEvent(alice, WorkerEventType.LEAVER).getEventId());

    ObjectNode fresh = ScimTestClient.verification("iv-" + alice + "-rehire", "IAL3");
    scim.modifyRequest(left).replaceValue("active", true)
        .replaceValue(ScimSchemas.LIFECYCLE + ":identityVerification", fresh).invoke();
    String rehire = hrEvent(alice, WorkerEventType.REHIRE).getEventId();
    AuthenticatorCommand rehireTicket = awaitCommand(alice, c -> c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET
        && rehire.equals(c.getCausationId()));
    assertThat(rehireTicket.getTicket().getPurpose()).isEqualTo(TicketPurpose.ONBOARDING);
    assertThat(rehireTicket.getTicket().getAllowedFactorTypes()).doesNotContain(FactorType.OTP_APP, FactorType.SMS);
    assertThat(committedSkippingGarbage(Topics.AUDIT, a -> a.getSubjectId().equals(alice),
        as -> as.stream().anyMatch(a -> a.getAction().equals("leaver.reopened"))))
        .extracting(AuditEvent::getAction).contains("leaver.reopened");
  }

  @Test
  void aWebhooksLostDeviceRevokesItsFactorsAndSessionsAndARebindFollows() throws Exception {
    String bob = subject("bob");
    scim.create("Users", ScimTestClient.user(bob, "engineer", false, "iv-" + bob));
    for (String[] factor : List.of(new String[] {bob + "-phone-factor", bob + "-phone", "PUSH_NUMBER_MATCHING"},
        new String[] {bob + "-key-factor", bob + "-key", "HARDWARE_PASSKEY"})) {
      produce(Topics.AUTHENTICATOR_EVENTS, bob, AuthenticatorBound.newBuilder().setEventId("bound-" + factor[0])
          .setEventTime(Instant.now()).setSubjectId(bob).setAuthenticatorId(factor[0])
          .setFactorType(FactorType.valueOf(factor[2])).setDeviceId(factor[1]).build());
    }
    awaitRegistry(bob, body -> body.contains(bob + "-phone-factor") && body.contains(bob + "-key-factor"));

    HttpResponse<String> lost = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(ingest.baseUrl() + "/mdm/devices/events"))
        .header("Authorization", "Bearer " + TestIngest.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + bob + "-phone\",\"owner\":\"" + bob
            + "\",\"state\":\"intune:enableLostMode\",\"time\":\"" + Instant.now() + "\",\"reason\":\"left in a taxi\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(lost.statusCode()).as(lost.body()).isEqualTo(202);

    List<AuthenticatorCommand> commands = committedSkippingGarbage(Topics.COMMANDS_ALL,
        c -> c.getSubjectId().equals(bob) && "mover-worker".equals(c.getIssuedBy()), cs -> cs.size() >= 3);
    assertThat(commands).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, bob + "-phone-factor"),
            tuple(CommandAction.TERMINATE_SESSIONS, null), tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null));
    assertThat(commands.get(2).getTicket().getPurpose()).isEqualTo(TicketPurpose.REBIND);
  }

  private AuthenticatorCommand awaitCommand(String subject, Predicate<AuthenticatorCommand> match) {
    List<AuthenticatorCommand> found = committedSkippingGarbage(Topics.COMMANDS_ALL, c -> c.getSubjectId().equals(subject) && match.test(c),
        cs -> !cs.isEmpty());
    assertThat(found).as("a matching command for %s", subject).isNotEmpty();
    return found.get(0);
  }

  private WorkerEvent hrEvent(String subject, WorkerEventType type) {
    List<WorkerEvent> events = committedSkippingGarbage(Topics.HR_WORKER_EVENTS,
        e -> e.getSubjectId().equals(subject) && e.getType() == type, es -> !es.isEmpty());
    assertThat(events).as("a %s for %s on %s", type, subject, Topics.HR_WORKER_EVENTS).hasSize(1);
    return events.get(0);
  }

  /**
   * Like {@code awaitCommitted}, but other scenarios on the run's shared broker leave garbage on the
   * input topics on purpose: a record that does not decode is not one of ours and is skipped.
   */
  private <V> List<V> committedSkippingGarbage(TopicSpec<V> topic, Predicate<V> keep, Predicate<List<V>> done) {
    return committedSkippingGarbage(List.of(topic), keep, done);
  }

  private <V> List<V> committedSkippingGarbage(List<TopicSpec<V>> topics, Predicate<V> keep, Predicate<List<V>> done) {
    TopicSpec<V> topic = topics.get(0);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-ingest-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<V> kept = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(topics.stream().map(TopicSpec::name).toList());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline && !done.test(kept)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          V value;
          try {
            value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
          } catch (SerializationException e) {
            continue;
          }
          if (keep.test(value)) {
            kept.add(value);
          }
        }
      }
    }
    return kept;
  }

  /** Polls the mover's registry route until the subject's view satisfies the condition. */
  private void awaitRegistry(String subject, Predicate<String> ready) {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + mover.httpPort() + "/subjects?id=" + subject);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + QUERY_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && ready.test(response.body());
    });
  }
}
