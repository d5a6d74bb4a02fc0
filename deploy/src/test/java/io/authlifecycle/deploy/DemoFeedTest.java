package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RequestStatement;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoFeedTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final PersonKeyFile AGENT = PersonKeyFile.generate(Stack.DEMO_AGENT, Set.of(Role.HELP_DESK));

  @Test
  void everyScriptedLineIsAValidRecordKeyedByItsSubjectOrDevice() {
    List<DemoFeed.Item> items = DemoFeed.items(NOW, "r1", AGENT);

    assertThat(items).hasSize(14);
    for (DemoFeed.Item item : items) {
      String key = new String(item.encoded().key(), StandardCharsets.UTF_8);
      assertThat(item.encoded().topic()).isEqualTo(item.topic().name());
      assertThat(key).endsWith("-r1");
      assertThat(item.topic().valueSerde().deserializer().deserialize(item.topic().name(), item.encoded().value()))
          .isEqualTo(item.record());
    }
  }

  @Test
  void scriptsTheNewcomerStories() {
    Map<String, WorkerEvent> hr = DemoFeed.items(NOW, "r1", AGENT).stream().map(DemoFeed.Item::record)
        .filter(WorkerEvent.class::isInstance).map(WorkerEvent.class::cast)
        .collect(Collectors.toMap(WorkerEvent::getSubjectId, Function.identity()));
    List<Object> others = DemoFeed.items(NOW, "r1", AGENT).stream().map(DemoFeed.Item::record)
        .filter(r -> !(r instanceof WorkerEvent)).map(r -> (Object) r).toList();

    assertThat(hr.get("alice-r1").getType()).isEqualTo(WorkerEventType.JOINER);
    assertThat(hr.get("alice-r1").getIdentityVerification()).isNotNull();
    assertThat(hr.get("bob-r1").getType()).isEqualTo(WorkerEventType.JOINER);
    assertThat(hr.get("bob-r1").getIdentityVerification()).isNull();
    assertThat(hr.get("carol-r1").getType()).isEqualTo(WorkerEventType.LEAVER);
    assertThat(hr.get("carol-r1").getEffectiveTime()).isEqualTo(NOW.plusSeconds(20));
    assertThat(hr.get("carol-r1").getImmediate()).isFalse();
    assertThat(hr.get("dave-r1").getImmediate()).isTrue();
    assertThat(hr.get("dave-r1").getEffectiveTime()).isEqualTo(NOW);
    assertThat(hr.get("mallory-r1").getType()).isEqualTo(WorkerEventType.UNKNOWN);
    assertThat(hr.get("frank-r1").getType()).isEqualTo(WorkerEventType.MOVER);
    assertThat(hr.get("frank-r1").getChannels()).isNotEmpty();
    assertThat(others).filteredOn(DeviceEvent.class::isInstance).map(r -> ((DeviceEvent) r).getType())
        .containsExactly(DeviceEventType.LOST);
    assertThat(others).filteredOn(RecoveryRequest.class::isInstance).map(r -> ((RecoveryRequest) r).getChannel())
        .containsExactly(RecoveryChannel.HELP_DESK);
    assertThat(others).filteredOn(AuthenticatorBound.class::isInstance).hasSize(5);
  }

  @Test
  void frankHelpDeskRequestIsSignedByTheDemoAgentAsTheWorkerWillVerifyIt() {
    RecoveryRequest request = DemoFeed.items(NOW, "r1", AGENT).stream().map(DemoFeed.Item::record)
        .filter(RecoveryRequest.class::isInstance).map(RecoveryRequest.class::cast).findFirst().orElseThrow();
    SignatureCheck check = SignatureCheck.ed25519(PersonKeyRegistry.parse(List.of(AGENT.registryEntry())));

    SignatureCheck.Result result = check.check(request.getSignatureEnvelope(), Role.HELP_DESK,
        person -> RequestStatement.canonicalBytes(request, person.personId()));

    assertThat(request.getRequesterId()).isEqualTo("demo-agent");
    assertThat(result.verdict()).isEqualTo(SignatureCheck.Verdict.VALID);
  }

  @Test
  void thePrintedApproveCommandUsesTheApproversKeyFileOnly() {
    assertThat(Stack.approveCommand("r1", java.nio.file.Path.of(".local/people/demo-approver.key"))).isEqualTo(
        "bin/lifecyclectl approve --request rec-frank-r1 --key .local/people/demo-approver.key "
            + "--comment \"called back on the number HR has\"");
  }

  @Test
  void garbageIsNotAvroAndGoesToTheHrTopic() {
    assertThat(DemoFeed.garbage("r1").topic()).isEqualTo(Topics.HR_WORKER_EVENTS.name());
    assertThat(DemoFeed.garbage("r1").value()[0]).isEqualTo((byte) '<');
  }

  @Test
  void fillsTimePlaceholdersAsIsoTimesAndTheRunId() {
    String filled = DemoFeed.fill("{\"a\": \"{{now}}\", \"b\": \"{{now+20s}}\", \"c\": \"{{now-2d}}\", \"id\": \"x-{{run}}\"}",
        NOW, "k3f9");

    assertThat(filled).isEqualTo("{\"a\": \"" + NOW + "\", \"b\": \"" + NOW.plusSeconds(20) + "\", \"c\": \""
        + NOW.minus(java.time.Duration.ofDays(2)) + "\", \"id\": \"x-k3f9\"}");
  }

  @Test
  void runIdsAreFourBase36Characters() {
    assertThat(DemoFeed.runId(Instant.ofEpochSecond(0))).isEqualTo("0000");
    assertThat(DemoFeed.runId(Instant.ofEpochSecond(35))).isEqualTo("000z");
    assertThat(DemoFeed.runId(NOW)).hasSize(4).matches("[0-9a-z]{4}");
  }
}
