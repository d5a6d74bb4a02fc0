package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.Outcomes.Source;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.authlifecycle.schemas.RegistryUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides what one record of {@code authn.commands.v1} becomes: dead letter (undecodable or
 * invalid), nothing (a command already applied), the outcome of applying it, or a wait while the
 * IdP is down. Knows no Kafka client; the loop turns a decision into one transaction.
 */
final class CommandHandler {

  /** What to do with one record. */
  sealed interface Decision permits Emit, Wait {}

  /** Records to produce and audit records to append, then commit the record's offset. */
  record Emit(String outcome, List<Out> records, List<AuditEvent> audits, String appliedCommandId) implements Decision {}

  /** Leave the record uncommitted and stop taking commands until the IdP answers again. */
  record Wait(String reason) implements Decision {}

  /** One record for a registry topic. */
  record Out(TopicSpec<?> topic, String key, SpecificRecord value) {}

  private static final TopicSpec<AuthenticatorCommand> IN = Topics.COMMANDS;

  private final ResilientIdp idp;
  private final WorkerMetrics metrics;
  private final InputValidator validator;
  private final Duration maxWait;
  private final Clock clock;
  private final Map<String, Instant> waitingSince = new HashMap<>();

  CommandHandler(ResilientIdp idp, WorkerMetrics metrics, InputValidator validator, Duration maxWait, Clock clock) {
    this.idp = idp;
    this.metrics = metrics;
    this.validator = validator;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  Decision handle(Source from, PartitionState state) {
    Instant now = clock.instant();
    AuthenticatorCommand command;
    try {
      if (from.value() == null) {
        throw new IllegalArgumentException("null value (tombstone) where a command was expected");
      }
      command = IN.valueSerde().deserializer().deserialize(IN.name(), from.value());
    } catch (RegistryUnavailableException e) {
      // The command may be fine: read it again on a later poll, never dead-letter it.
      return new Wait("the schema registry is unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      return deadLetter(from, state, DeadLetterKind.UNDECODABLE, describe(e), now);
    }
    List<String> problems = new ArrayList<>(validator.problems(IN, from.key(), command, now));
    if (problems.isEmpty()) {
      problems.addAll(CommandRules.problems(command));
    }
    if (!problems.isEmpty()) {
      return deadLetter(from, state, DeadLetterKind.INVALID, String.join("; ", problems), now);
    }
    if (state.applied(command.getCommandId())) {
      metrics.decision("duplicate");
      return new Emit("duplicate", List.of(), List.of(), null);
    }
    ResilientIdp.Attempt attempt = idp.apply(command);
    if (attempt instanceof ResilientIdp.Done done) {
      return applied(command, done, state, now);
    }
    if (attempt instanceof ResilientIdp.Failed failed) {
      return failed(from, command, failed.error().getMessage(),
          failed.exhausted() ? DeadLetterKind.RETRIES_EXHAUSTED : DeadLetterKind.PERMANENT_FAILURE,
          failed.attempts(), state, now);
    }
    return waitOrGiveUp(from, command, (ResilientIdp.Wait) attempt, state, now);
  }

  private Decision applied(AuthenticatorCommand command, ResilientIdp.Done done, PartitionState state, Instant now) {
    waitingSince.remove(command.getCommandId());
    boolean dryRun = idp.client().dryRun();
    String source = idp.client().name();
    List<Out> records = Outcomes.appliedFacts(command, done.applied(), dryRun, source, now).stream()
        .map(fact -> new Out(Topics.AUTHENTICATOR_EVENTS, command.getSubjectId(), fact)).toList();
    AuditEvent audit = state.chain(Outcomes.appliedAudit(command, done.applied(), dryRun, done.attempts(), source), now);
    String outcome = dryRun ? "dry-run" : "applied";
    metrics.decision(outcome);
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    metrics.latency("command." + outcome, Duration.between(command.getCausationTime(), now));
    return new Emit(outcome, records, List.of(audit), command.getCommandId());
  }

  private Decision failed(Source from, AuthenticatorCommand command, String error, DeadLetterKind kind, int attempts,
      PartitionState state, Instant now) {
    waitingSince.remove(command.getCommandId());
    String source = idp.client().name();
    boolean permanent = kind == DeadLetterKind.PERMANENT_FAILURE;
    List<Out> records = List.of(
        new Out(Topics.AUTHENTICATOR_EVENTS, command.getSubjectId(),
            Outcomes.failedFact(command, from, error, permanent, attempts, source, now)),
        new Out(IN.deadLetterTopic(), command.getSubjectId(), Outcomes.deadLetter(from, kind, error, now)));
    AuditEvent audit = state.chain(Outcomes.failedAudit(command, error, kind, attempts, source), now);
    metrics.decision("failed");
    metrics.deadLetter(IN.name(), kind.name());
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    return new Emit("failed", records, List.of(audit), null);
  }

  private Decision waitOrGiveUp(Source from, AuthenticatorCommand command, ResilientIdp.Wait wait, PartitionState state,
      Instant now) {
    Instant since = waitingSince.computeIfAbsent(command.getCommandId(), id -> now);
    if (Duration.between(since, now).compareTo(maxWait) > 0) {
      return failed(from, command, "the IdP stayed unavailable for more than " + maxWait + ": " + wait.reason(),
          DeadLetterKind.RETRIES_EXHAUSTED, wait.attempts(), state, now);
    }
    metrics.decision("waiting");
    return new Wait(wait.reason());
  }

  private Decision deadLetter(Source from, PartitionState state, DeadLetterKind kind, String error, Instant now) {
    String subject = Outcomes.auditSubject(from);
    String key = from.key() == null ? "" : from.key();
    AuditEvent audit = state.chain(Outcomes.deadLetterAudit(from, subject, kind, error, IN.deadLetterTopic().name()), now);
    metrics.decision("dead-lettered");
    metrics.deadLetter(IN.name(), kind.name());
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    return new Emit("dead-lettered", List.of(new Out(IN.deadLetterTopic(), key, Outcomes.deadLetter(from, kind, error, now))),
        List.of(audit), null);
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
