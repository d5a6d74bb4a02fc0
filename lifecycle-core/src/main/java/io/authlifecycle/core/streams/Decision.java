package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.TimerEntry;
import io.authlifecycle.core.topics.TopicSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What one decision emits and keeps, in plain records and with no Kafka types: the outputs in
 * order (commands, notifications, audit drafts, other records), the timer changes, and the new
 * state or "unchanged". Every worker's decisions return one; {@link DecisionProcessor} applies it
 * in one transaction.
 *
 * @param <S> the worker's stored state (its generated Avro state class)
 */
public final class Decision<S> {

  /** One record a decision emits. */
  public sealed interface Output permits Command, Notice, Audit, Send {}

  /** An authenticator command for the IdP gateway. */
  public record Command(AuthenticatorCommand command) implements Output {}

  /** A notification for the subject or someone about the subject. */
  public record Notice(SubjectNotification notification) implements Output {}

  /** An audit draft; the processor chains it (worker, sequence, hashes) when it writes it. */
  public record Audit(AuditEvent.Builder draft) implements Output {}

  /** Any other record, for the given topic. */
  public record Send<V>(TopicSpec<V> topic, String key, V value) implements Output {}

  /** A change to the owner's timers. */
  public sealed interface TimerChange permits Schedule, Cancel {
    String kind();
  }

  /**
   * Schedules (or replaces) the timer of this owner and kind; {@code replacing} is the due time of
   * the pending one it replaces when the worker's own state knows it (null: none, or not known).
   */
  public record Schedule(TimerEntry timer, Instant replacing) implements TimerChange {
    public Schedule(TimerEntry timer) {
      this(timer, null);
    }

    @Override
    public String kind() {
      return timer.getKind();
    }
  }

  /** Cancels the owner's pending timer of this kind, if any; {@code due} as for {@link Schedule#replacing}. */
  public record Cancel(String owner, String kind, Instant due) implements TimerChange {
    public Cancel(String owner, String kind) {
      this(owner, kind, null);
    }
  }

  private final List<Output> outputs = new ArrayList<>();
  private final List<TimerChange> timers = new ArrayList<>();
  private S state;

  private Decision() {}

  /** An empty decision: nothing emitted, no timer moved, the state unchanged. Add to it fluently. */
  public static <S> Decision<S> none() {
    return new Decision<>();
  }

  /** A decision that stores {@code state}. */
  public static <S> Decision<S> storing(S state) {
    return new Decision<S>().store(state);
  }

  /** Stores {@code newState} for the subject when the decision is applied. */
  public Decision<S> store(S newState) {
    this.state = newState;
    return this;
  }

  public Decision<S> command(AuthenticatorCommand command) {
    outputs.add(new Command(command));
    return this;
  }

  public Decision<S> notify(SubjectNotification notification) {
    outputs.add(new Notice(notification));
    return this;
  }

  public Decision<S> audit(AuditEvent.Builder draft) {
    outputs.add(new Audit(draft));
    return this;
  }

  public <V> Decision<S> send(TopicSpec<V> topic, String key, V value) {
    outputs.add(new Send<>(topic, key, value));
    return this;
  }

  public Decision<S> schedule(TimerEntry timer) {
    timers.add(new Schedule(timer));
    return this;
  }

  /** Schedules the owner's timer of {@code kind} at {@code dueAt}, naming its cause. */
  public Decision<S> schedule(String owner, String kind, Instant dueAt, String causationId, String correlationId) {
    return schedule(TimerEntry.newBuilder().setOwner(owner).setKind(kind).setDueAt(dueAt)
        .setCausationId(causationId).setCorrelationId(correlationId).build());
  }

  public Decision<S> cancel(String owner, String kind) {
    timers.add(new Cancel(owner, kind));
    return this;
  }

  /** Moves the owner's timer of the entry's kind from {@code replacing} (null: none pending) to the entry's due time. */
  public Decision<S> reschedule(TimerEntry timer, Instant replacing) {
    timers.add(new Schedule(timer, replacing));
    return this;
  }

  /** Cancels the owner's timer of this kind pending at {@code due} (null: none pending). */
  public Decision<S> cancel(String owner, String kind, Instant due) {
    timers.add(new Cancel(owner, kind, due));
    return this;
  }

  /** Appends everything {@code other} emits and changes; its state, if set, replaces this one's. */
  public Decision<S> add(Decision<S> other) {
    outputs.addAll(other.outputs);
    timers.addAll(other.timers);
    if (other.state != null) {
      state = other.state;
    }
    return this;
  }

  public List<Output> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  public List<TimerChange> timers() {
    return Collections.unmodifiableList(timers);
  }

  /** The state to store, or empty when the decision leaves it as it was. */
  public Optional<S> state() {
    return Optional.ofNullable(state);
  }

  /** True when the decision emits nothing, moves no timer and stores nothing. */
  public boolean isEmpty() {
    return outputs.isEmpty() && timers.isEmpty() && state == null;
  }

  // Views for tests and callers that look at one kind of output.

  public List<AuthenticatorCommand> commands() {
    return outputs.stream().filter(Command.class::isInstance).map(o -> ((Command) o).command()).toList();
  }

  public List<SubjectNotification> notifications() {
    return outputs.stream().filter(Notice.class::isInstance).map(o -> ((Notice) o).notification()).toList();
  }

  public List<AuditEvent.Builder> audits() {
    return outputs.stream().filter(Audit.class::isInstance).map(o -> ((Audit) o).draft()).toList();
  }

  /** The audit actions in order. */
  public List<String> auditActions() {
    return audits().stream().map(AuditEvent.Builder::getAction).toList();
  }

  /** The values sent to {@code topic}, in order. */
  public <V> List<V> sent(TopicSpec<V> topic) {
    List<V> values = new ArrayList<>();
    for (Output output : outputs) {
      if (output instanceof Send<?> send && send.topic() == topic) {
        @SuppressWarnings("unchecked") // the send was typed by the same spec
        V value = (V) send.value();
        values.add(value);
      }
    }
    return values;
  }

  /** The timers scheduled, in order. */
  public List<TimerEntry> scheduled() {
    return timers.stream().filter(Schedule.class::isInstance).map(t -> ((Schedule) t).timer()).toList();
  }

  /** The timer kinds cancelled, in order. */
  public List<String> cancelled() {
    return timers.stream().filter(Cancel.class::isInstance).map(t -> ((Cancel) t).kind()).toList();
  }

  @Override
  public String toString() {
    return "Decision[outputs=" + outputs + ", timers=" + timers + ", state=" + (state == null ? "unchanged" : state) + "]";
  }
}
