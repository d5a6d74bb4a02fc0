package io.authlifecycle.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.joiner.JoinerWorker;
import io.authlifecycle.leaver.LeaverWorker;
import io.authlifecycle.mover.MoverWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What an integrator types: plain JSON lines (ISO-8601 times, plain optional values, enum names)
 * through {@code lifecyclectl produce} drive a joiner, a mover, a leaver and a device loss on the
 * real workers.
 */
class PlainJsonCliIT extends E2eScenario {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void plainJsonLinesThroughTheCliDriveAJoinerAMoverALeaverAndADeviceLoss() throws Exception {
    startWorker(new JoinerWorker());
    RunningWorker mover = startWorker(new MoverWorker());
    startWorker(new LeaverWorker());
    String ann = subject("ann");
    String mo = subject("mo");
    String lee = subject("lee");
    String dana = subject("dana");
    String now = Instant.now().toString();

    produce(Topics.HR_WORKER_EVENTS.name(),
        hr("hr-" + ann, "JOINER", ann, now, Map.of("identityVerification", Map.of("verificationId", "iv-" + ann,
            "method", "IN_PERSON_PROOFING", "level", "IAL2", "verifiedAt", now, "verifier", "hr-desk-3"))),
        hr("hr-" + mo, "JOINER", mo, now, Map.of()),
        hr("hr-" + lee, "JOINER", lee, now, Map.of()),
        hr("hr-" + dana, "JOINER", dana, now, Map.of()));
    produce(Topics.AUTHENTICATOR_EVENTS.name(),
        bound(mo, "mo-sms-" + mo, "SMS", null, now),
        bound(dana, "laptop-passkey-" + dana, "HARDWARE_PASSKEY", "laptop-" + dana, now),
        bound(dana, "key-" + dana, "HARDWARE_PASSKEY", "key-" + dana, now));
    awaitRegistry(mover, mo, "mo-sms-" + mo);
    awaitRegistry(mover, dana, "key-" + dana);

    produce(Topics.HR_WORKER_EVENTS.name(),
        hr("hr-move-" + mo, "MOVER", mo, now, Map.of("role", "domain-admin", "privileged", true)),
        hr("hr-leave-" + lee, "LEAVER", lee, now, Map.of("immediate", true)));
    produce(Topics.MDM_DEVICE_EVENTS.name(), line(Map.of("eventId", "mdm-" + dana, "eventTime", now,
        "deviceId", "laptop-" + dana, "ownerSubjectId", dana, "type", "LOST", "reason", "left on a train",
        "source", "intune")));

    // The joiner also revokes the factors bound here without its ticket; the assertions look at each cause.
    Set<String> subjects = Set.of(ann, mo, lee, dana);
    List<AuthenticatorCommand> commands = awaitCommitted(Topics.COMMANDS_ALL, c -> subjects.contains(c.getSubjectId()),
        cs -> has(cs, ann, CommandAction.ISSUE_ENROLLMENT_TICKET) && caused(cs, "hr-move-" + mo)
            && has(cs, lee, CommandAction.REVOKE_ALL) && caused(cs, "mdm-" + dana));

    assertThat(commands).filteredOn(c -> c.getSubjectId().equals(ann))
        .extracting(AuthenticatorCommand::getAction, c -> c.getTicket().getPurpose())
        .containsExactly(tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, TicketPurpose.ONBOARDING));
    assertThat(commands).filteredOn(c -> c.getSubjectId().equals(mo) && c.getAction() == CommandAction.REVOKE_AUTHENTICATOR)
        .extracting(AuthenticatorCommand::getAuthenticatorId, AuthenticatorCommand::getCausationId)
        .contains(tuple("mo-sms-" + mo, "hr-move-" + mo));
    assertThat(commands).filteredOn(c -> c.getSubjectId().equals(lee))
        .extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getCausationId)
        .contains(tuple(CommandAction.REVOKE_ALL, "hr-leave-" + lee), tuple(CommandAction.TERMINATE_SESSIONS, "hr-leave-" + lee));
    assertThat(commands).filteredOn(c -> c.getSubjectId().equals(dana) && c.getAction() == CommandAction.REVOKE_AUTHENTICATOR)
        .extracting(AuthenticatorCommand::getAuthenticatorId, AuthenticatorCommand::getCausationId)
        .contains(tuple("laptop-passkey-" + dana, "mdm-" + dana));
  }

  private void produce(String topic, String... lines) {
    Cli produced = cli("produce", "--topic", topic, "--file", jsonLines(topic + "-" + System.nanoTime() + ".jsonl",
        List.of(lines)).toString());
    assertThat(produced.exitCode()).as(produced.err()).isZero();
  }

  private static String hr(String eventId, String type, String subject, String now, Map<String, Object> more) {
    Map<String, Object> event = new LinkedHashMap<>(Map.of("eventId", eventId, "eventTime", now, "type", type,
        "subjectId", subject, "identityType", "HUMAN", "role", "engineer", "effectiveTime", now,
        "channels", List.of("WORK_EMAIL", "PUSH", "PERSONAL_EMAIL"), "managerId", "mgr-olga", "source", "workday"));
    event.putAll(more);
    return line(event);
  }

  private static String bound(String subject, String authenticatorId, String factorType, String deviceId, String now) {
    Map<String, Object> record = new LinkedHashMap<>(Map.of("eventId", "bound-" + authenticatorId, "eventTime", now,
        "subjectId", subject, "authenticatorId", authenticatorId, "factorType", factorType, "source", "idp"));
    record.put("deviceId", deviceId);
    return line(Map.of("type", "AuthenticatorBound", "record", record));
  }

  private static String line(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean caused(List<AuthenticatorCommand> commands, String causationId) {
    return commands.stream().anyMatch(c -> causationId.equals(c.getCausationId()));
  }

  private static boolean has(List<AuthenticatorCommand> commands, String subject, CommandAction action) {
    return commands.stream().anyMatch(c -> c.getSubjectId().equals(subject) && c.getAction() == action);
  }

  /** Waits until the mover's registry holds the factor, so the next event meets it. */
  private static void awaitRegistry(RunningWorker mover, String subject, String factor) {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + mover.httpPort() + "/subjects?id=" + subject);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + QUERY_TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(factor);
    });
  }
}
