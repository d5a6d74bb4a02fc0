package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/** Reads what the gateway committed, waiting for what a test expects. */
final class GatewayOutputs {

  static final Duration WAIT = Duration.ofSeconds(120);
  private final KafkaTestCluster kafka;

  GatewayOutputs(KafkaTestCluster kafka) {
    this.kafka = kafka;
  }

  /** Facts matching {@code which}, once at least {@code atLeast} are there. */
  List<SpecificRecord> facts(Predicate<SpecificRecord> which, int atLeast) {
    List<SpecificRecord> found = kafka.readCommitted(Topics.AUTHENTICATOR_EVENTS,
        fs -> fs.stream().filter(which).count() >= Math.max(1, atLeast), atLeast == 0 ? Duration.ofSeconds(3) : WAIT)
        .stream().filter(which).toList();
    assertThat(found).as("facts").hasSizeGreaterThanOrEqualTo(atLeast);
    return found;
  }

  CommandApplied applied(String commandId) {
    return (CommandApplied) facts(f -> f instanceof CommandApplied a && a.getCommandId().equals(commandId), 1).get(0);
  }

  CommandFailed failed(String commandId) {
    return (CommandFailed) facts(f -> f instanceof CommandFailed a && a.getCommandId().equals(commandId), 1).get(0);
  }

  /** Facts about a subject, without waiting for more than a few seconds. */
  List<SpecificRecord> factsAbout(String subjectId) {
    return facts(f -> subjectId.equals(f.get(f.getSchema().getField("subjectId").pos())), 0);
  }

  List<AuditEvent> audits(String subject, int atLeast) {
    List<AuditEvent> found = kafka.readCommitted(Topics.AUDIT,
        as -> as.stream().filter(a -> a.getSubjectId().equals(subject)).count() >= Math.max(1, atLeast),
        atLeast == 0 ? Duration.ofSeconds(3) : WAIT).stream().filter(a -> a.getSubjectId().equals(subject)).toList();
    assertThat(found).as("audit records of " + subject).hasSizeGreaterThanOrEqualTo(atLeast);
    return found;
  }

  List<AuditEvent> allAudits() {
    return kafka.readCommitted(Topics.AUDIT, as -> false, Duration.ofSeconds(3));
  }

  List<DeadLetter> deadLetters(Predicate<DeadLetter> which, int atLeast) {
    List<DeadLetter> found = kafka.readCommitted(Topics.COMMANDS.deadLetterTopic(),
        ls -> ls.stream().filter(which).count() >= Math.max(1, atLeast), atLeast == 0 ? Duration.ofSeconds(3) : WAIT)
        .stream().filter(which).toList();
    assertThat(found).as("dead letters").hasSizeGreaterThanOrEqualTo(atLeast);
    return found;
  }
}
