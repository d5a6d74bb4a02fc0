package io.authlifecycle.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.RecordLines;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The platform end to end on the run's broker: events fed through the operator CLI reach a worker
 * started as in production, its decisions and dead letters come back through the CLI.
 */
class PlatformScenarioIT extends E2eScenario {

  @Test
  void anHrEventFedThroughTheCliIsAuditedOnAnIntactChain() throws Exception {
    startWorker(new ProbeWorker());
    String alice = subject("alice");
    WorkerEvent joiner = WorkerEvent.newBuilder(SampleRecords.joiner(alice))
        .setEventId("hr-" + alice).setEventTime(Instant.now()).build();

    Cli produced = cli("produce", "--topic", Topics.HR_WORKER_EVENTS.name(),
        "--file", jsonLines("hr.jsonl", List.of(RecordLines.format(Topics.HR_WORKER_EVENTS, joiner))).toString());
    List<AuditEvent> audit = awaitCommitted(Topics.AUDIT, a -> a.getSubjectId().equals(alice), a -> !a.isEmpty());

    assertThat(produced.exitCode()).as(produced.err()).isZero();
    assertThat(audit).singleElement().satisfies(a -> {
      assertThat(a.getWorker()).isEqualTo("probe-worker");
      assertThat(a.getAction()).isEqualTo("probe.received");
      assertThat(a.getOutcome()).isEqualTo(AuditOutcome.RECORDED);
      assertThat(a.getCausationId()).isEqualTo("hr-" + alice);
      assertThat(a.getSequence()).isEqualTo(1L);
    });
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
  }

  @Test
  void garbageOnAnInputTopicIsShownByTheCliAsADeadLetterWithItsOriginalBytes() throws Exception {
    startWorker(new ProbeWorker());
    String mallory = subject("mallory");
    byte[] garbage = "<employee status=\"terminated\"/>".getBytes(StandardCharsets.UTF_8);

    produceRaw(Topics.HR_WORKER_EVENTS.name(), mallory, garbage);
    awaitCommitted(Topics.HR_WORKER_EVENTS.deadLetterTopic(), d -> keyOf(d).equals(mallory), d -> !d.isEmpty());
    Cli consumed = cli("consume", "--topic", Topics.HR_WORKER_EVENTS.deadLetterTopic().name(), "--from-beginning",
        "--timeout-ms", "3000");

    assertThat(consumed.exitCode()).as(consumed.err()).isZero();
    List<DeadLetter> mine = new ArrayList<>();
    for (String line : consumed.lines()) {
      DeadLetter letter = (DeadLetter) RecordLines.parse(Topics.HR_WORKER_EVENTS.deadLetterTopic(), line);
      if (keyOf(letter).equals(mallory)) {
        mine.add(letter);
        assertThat(line).contains("\"value\":\"" + Base64.getEncoder().encodeToString(garbage) + "\"");
      }
    }
    assertThat(mine).singleElement().satisfies(d -> {
      assertThat(d.getErrorKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
      assertThat(d.getSourceTopic()).isEqualTo(Topics.HR_WORKER_EVENTS.name());
      assertThat(d.getWorker()).isEqualTo("probe-worker");
      assertThat(d.getError()).isEqualTo("not Avro single-object encoding (bad or missing header)");
    });
  }

  private static String keyOf(DeadLetter letter) {
    return letter.getKey() == null ? "" : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
  }
}
