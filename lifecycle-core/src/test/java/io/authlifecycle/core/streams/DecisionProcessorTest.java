package io.authlifecycle.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.deadletter.DeadLetters;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DecisionProcessorTest {

  private final TopologyHarness harness = new TopologyHarness(new ProbeWorker()).withoutAuditCatalogCheck();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void garbageBytesGoToTheDeadLetterTopicWithTheOriginalBytesAndAnAudit() {
    byte[] garbage = {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 42};

    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", garbage);

    DeadLetter letter = single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic()));
    assertThat(letter.getSourceTopic()).isEqualTo("hr.worker-events.v1");
    assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
    assertThat(letter.getError()).contains("unknown schema fingerprint");
    assertThat(letter.getValue().array()).isEqualTo(garbage);
    assertThat(letter.getWorker()).isEqualTo("probe-worker");
    AuditEvent audit = single(harness.read(Topics.AUDIT));
    assertThat(audit.getAction()).isEqualTo("input.dead-lettered");
    assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.DEAD_LETTERED);
    assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    assertThat(audit.getDetails()).containsEntry("deadLetterTopic", "hr.worker-events.dlq.v1");
    assertThat(harness.context().metrics().registry().get("lifecycle.dead.letters")
        .tag("kind", "UNDECODABLE").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aSchemaValidButInvalidRecordIsDeadLetteredWithEveryProblem() {
    WorkerEvent invalid = WorkerEvent.newBuilder(SampleRecords.joiner("alice"))
        .setEventId("").setType(WorkerEventType.UNKNOWN)
        .setEffectiveTime(harness.now().plus(Duration.ofDays(5000))).build();

    harness.pipe(Topics.HR_WORKER_EVENTS, "bob", invalid);

    DeadLetter letter = single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic()));
    assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.INVALID);
    assertThat(letter.getError())
        .contains("eventId is blank")
        .contains("type is UNKNOWN")
        .contains("effectiveTime")
        .contains("record key 'bob' does not match subjectId 'alice'");
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getAction).containsExactly("input.dead-lettered");
  }

  @Test
  void aRecordOfAnotherContractOnTheTopicIsDeadLettered() {
    DeviceEvent device = DeviceEvent.newBuilder().setEventId("d1").setEventTime(harness.now()).setDeviceId("dev")
        .setOwnerSubjectId("alice").setType(DeviceEventType.LOST).build();

    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", AvroSerde.of(DeviceEvent.class).encode(device));

    assertThat(single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).getError())
        .contains("not allowed on this topic");
  }

  @Test
  void aTombstoneIsDeadLetteredNotDropped() {
    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", null);

    assertThat(single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).getError()).contains("tombstone");
  }

  @Test
  void goodRecordsAroundBadOnesAreAllDecidedAndEveryChainVerifies() {
    List<AuditEvent> audit = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      harness.pipe(Topics.HR_WORKER_EVENTS, "alice", WorkerEvent.newBuilder(SampleRecords.joiner("alice"))
          .setEventId("e" + i).setEventTime(harness.now()).build());
      harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", new byte[] {1, 2, 3});
    }
    harness.advance(Duration.ofMinutes(2));
    audit.addAll(harness.read(Topics.AUDIT));

    assertThat(audit).filteredOn(a -> a.getAction().equals("probe.received")).hasSize(5);
    assertThat(audit).filteredOn(a -> a.getAction().equals("input.dead-lettered")).hasSize(5);
    assertThat(audit).filteredOn(a -> a.getAction().equals("probe.timer")).hasSize(1);
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
    assertThat(audit.get(audit.size() - 1).getSequence()).isEqualTo(11);
  }

  @Test
  void timersFireOnTheWallClockNotBefore() {
    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", SampleRecords.joiner("alice"));
    harness.read(Topics.AUDIT);

    harness.advance(Duration.ofSeconds(59));
    assertThat(harness.read(Topics.AUDIT)).isEmpty();

    harness.advance(Duration.ofSeconds(1));
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getAction).containsExactly("probe.timer");
  }

  @Test
  void productionOverridesReachTheWorkerSettings() {
    try (TopologyHarness custom = new TopologyHarness(new ProbeWorker(), Map.of("input.max-future-skew", "1m")).withoutAuditCatalogCheck()) {
      custom.pipe(Topics.HR_WORKER_EVENTS, "alice", WorkerEvent.newBuilder(SampleRecords.joiner("alice"))
          .setEventTime(custom.now().plus(Duration.ofMinutes(5))).build());
      assertThat(single(custom.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).getError())
          .contains("eventTime").contains("in the future");
    }
  }

  @Test
  void aRecordOverTheSizeLimitIsDeadLetteredAsTooLargeWithItsFirstBytesAndTheOriginalsHashNotDecided() throws Exception {
    byte[] huge = AvroSerde.of(WorkerEvent.class).encode(WorkerEvent.newBuilder(SampleRecords.joiner("alice"))
        .setEventTime(harness.now()).setRole("x".repeat(1_048_250)).build());

    harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", huge);

    DeadLetter letter = single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic()));
    int limit = harness.context().get(CoreSettings.MAX_RECORD_BYTES);
    assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.TOO_LARGE);
    assertThat(letter.getError()).contains("more than the " + limit + " allowed");
    assertThat(letter.getTruncated()).isTrue();
    assertThat(letter.getValue().remaining()).isEqualTo(limit);
    assertThat(letter.getValue().array()).isEqualTo(Arrays.copyOf(huge, limit));
    assertThat(letter.getValueSize()).isEqualTo(huge.length);
    assertThat(letter.getValueSha256()).isEqualTo(DeadLetters.sha256(huge));
    AuditEvent audit = single(harness.read(Topics.AUDIT));
    assertThat(audit.getAction()).isEqualTo("input.dead-lettered");
    assertThat(audit.getReason()).startsWith("TOO_LARGE: record has");
    assertThat(audit.getDetails()).containsEntry("valueSha256", DeadLetters.sha256(huge));
  }

  @Test
  void aFieldLongerThanTheLimitIsDeadLetteredAsTooLargeEvenInASmallRecord() {
    WorkerEvent longRole = WorkerEvent.newBuilder(SampleRecords.joiner("alice")).setEventTime(harness.now())
        .setRole("r".repeat(5_000)).setApprovers(List.of("mgr-1", "a".repeat(4_097))).build();

    harness.pipe(Topics.HR_WORKER_EVENTS, "alice", longRole);

    DeadLetter letter = single(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic()));
    assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.TOO_LARGE);
    assertThat(letter.getError()).contains("role has 5000 characters, more than the 4096 allowed")
        .contains("approvers[1] has 4097 characters");
    assertThat(letter.getTruncated()).isFalse();
    assertThat(harness.read(Topics.AUDIT)).extracting(AuditEvent::getAction).containsExactly("input.dead-lettered");
  }

  @Test
  void aKeyLongerThanTheLimitIsDeadLetteredUnderAShortKeyWithItsHash() {
    String key = "k".repeat(10_000);

    harness.pipe(Topics.HR_WORKER_EVENTS, key, SampleRecords.joiner("alice"));

    var letters = harness.readKeyed(Topics.HR_WORKER_EVENTS.deadLetterTopic());
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0).value;
    assertThat(letters.get(0).key).hasSizeLessThan(100).startsWith("kkkk").contains("…#");
    assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.TOO_LARGE);
    assertThat(letter.getError()).startsWith("key has 10000 bytes");
    assertThat(letter.getKeySize()).isEqualTo(10_000);
    assertThat(letter.getKeySha256()).isEqualTo(DeadLetters.sha256(key.getBytes(StandardCharsets.UTF_8)));
    assertThat(single(harness.read(Topics.AUDIT)).getSubjectId()).isEqualTo(letters.get(0).key);
  }

  @Test
  void aRecordOfATypeTheWorkerDoesNotConcernIsSkippedOnItsHeaderWithoutDecodingItsBody() {
    try (TopologyHarness facts = new TopologyHarness(new FactsProbe()).withoutAuditCatalogCheck()) {
      byte[] used = Topics.AUTHENTICATOR_EVENTS.valueSerde().serializer().serialize(null, SampleRecords.oneOfEach().stream()
          .filter(AuthenticatorUsed.class::isInstance).findFirst().orElseThrow());
      byte[] bound = Topics.AUTHENTICATOR_EVENTS.valueSerde().serializer().serialize(null, SampleRecords.oneOfEach().stream()
          .filter(AuthenticatorBound.class::isInstance).findFirst().orElseThrow());

      // Header intact, body cut: a use is skipped unread; the same damage on a binding is dead-lettered.
      facts.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "s-1", Arrays.copyOf(used, used.length - 3));
      assertThat(facts.read(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic())).isEmpty();
      assertThat(facts.read(Topics.AUDIT)).isEmpty();
      facts.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "s-1", Arrays.copyOf(bound, bound.length - 3));
      assertThat(single(facts.read(Topics.AUTHENTICATOR_EVENTS.deadLetterTopic())).getErrorKind())
          .isEqualTo(DeadLetterKind.UNDECODABLE);

      facts.pipeRaw(Topics.AUTHENTICATOR_EVENTS.name(), "s-1", bound);
      assertThat(facts.read(Topics.AUDIT)).extracting(AuditEvent::getAction).containsExactly("input.dead-lettered", "probe.bound");
      // A use on the facts topic is the form before the usage topic: counted as moved, even by a reader that skips it.
      assertThat(facts.context().metrics().registry().get("lifecycle.moved.records")
          .tag("topic", Topics.AUTHENTICATOR_EVENTS.name()).tag("record", "AuthenticatorUsed")
          .tag("moved_to", Topics.AUTHENTICATOR_USAGE.name()).counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  void aRecordTheTopicDoesNotCarryIsDeadLetteredEvenIfTheWorkerWouldSkipItsType() {
    try (TopologyHarness facts = new TopologyHarness(new FactsProbe()).withoutAuditCatalogCheck()) {
      AuthenticatorUsed use = (AuthenticatorUsed) SampleRecords.oneOfEach().stream()
          .filter(AuthenticatorUsed.class::isInstance).findFirst().orElseThrow();

      facts.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "s-1", AvroSerde.of(AuthenticatorUsed.class).encode(use));

      assertThat(single(facts.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).getError())
          .contains("AuthenticatorUsed does not belong on hr.worker-events.v1");
    }
  }

  /** Reads HR events and the facts topic, decides on bindings only: factor use is not its concern. */
  static final class FactsProbe implements WorkerApp {

    static final List<TopicSpec<?>> INPUTS = List.of(Topics.HR_WORKER_EVENTS, Topics.AUTHENTICATOR_EVENTS);

    @Override
    public String name() {
      return "facts-probe";
    }

    @Override
    public List<Setting<?>> settings() {
      return List.of();
    }

    @Override
    public Topology buildTopology(WorkerContext context) {
      WorkerTopology topology = new WorkerTopology(context, new StreamsBuilder());
      topology.decide(topology.source(INPUTS), List.of(), () -> new DecisionProcessor<Void>(context, INPUTS, null, false) {
        @Override
        protected boolean concerns(Class<? extends SpecificRecord> type) {
          return type == AuthenticatorBound.class;
        }

        @Override
        protected Decision<Void> decide(Void state, String key, SpecificRecord value, Instant now) {
          return Decision.<Void>none().audit(AuditEvent.newBuilder().setSubjectId(key).setAction("probe.bound")
              .setOutcome(AuditOutcome.RECORDED).setSeverity(Severity.INFO).setCausationId("c"));
        }
      });
      return topology.build();
    }
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
