package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one leaver decision emits, in order: commands, audit drafts, timer changes, and whether the case changed. */
public final class Outcome {

  /** A change to the subject's timers. */
  public sealed interface TimerChange permits Schedule, Cancel {
    String kind();
  }

  /** Schedules (or replaces) the subject's timer of this kind. */
  public record Schedule(String kind, Instant dueAt, String causationId, String correlationId) implements TimerChange {}

  /** Cancels the subject's timer of this kind, if pending. */
  public record Cancel(String kind) implements TimerChange {}

  private final List<AuthenticatorCommand> commands = new ArrayList<>();
  private final List<AuditEvent.Builder> audits = new ArrayList<>();
  private final List<TimerChange> timers = new ArrayList<>();
  private boolean caseChanged;

  /** Nothing to emit and nothing to store: a duplicate or an event this worker does not act on. */
  public static Outcome none() {
    return new Outcome();
  }

  Outcome command(AuthenticatorCommand command) {
    commands.add(command);
    return this;
  }

  Outcome audit(AuditEvent.Builder draft) {
    audits.add(draft);
    return this;
  }

  Outcome schedule(String kind, Instant dueAt, String causationId, String correlationId) {
    timers.add(new Schedule(kind, dueAt, causationId, correlationId));
    return this;
  }

  Outcome cancel(String kind) {
    timers.add(new Cancel(kind));
    return this;
  }

  Outcome caseChanged() {
    caseChanged = true;
    return this;
  }

  public List<AuthenticatorCommand> commands() {
    return commands;
  }

  public List<AuditEvent.Builder> audits() {
    return audits;
  }

  public List<TimerChange> timers() {
    return timers;
  }

  /** Whether the case must be written back to the store. */
  public boolean isCaseChanged() {
    return caseChanged;
  }

  /** True when the decision emits nothing and changes nothing. */
  public boolean isEmpty() {
    return commands.isEmpty() && audits.isEmpty() && timers.isEmpty() && !caseChanged;
  }
}
