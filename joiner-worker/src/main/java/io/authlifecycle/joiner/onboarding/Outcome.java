package io.authlifecycle.joiner.onboarding;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.JoinerCase;
import io.authlifecycle.avro.state.TimerEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What one decision produced: the case to store (if it changed), timers to cancel and schedule,
 * and the commands, notifications and audit drafts to emit, in that order.
 */
public final class Outcome {

  private static final Outcome NONE = new Outcome(null);

  private final JoinerCase state;
  private final List<String> cancelledTimerKinds = new ArrayList<>();
  private final List<TimerEntry> scheduledTimers = new ArrayList<>();
  private final List<AuthenticatorCommand> commands = new ArrayList<>();
  private final List<SubjectNotification> notifications = new ArrayList<>();
  private final List<AuditEvent.Builder> audits = new ArrayList<>();

  private Outcome(JoinerCase state) {
    this.state = state;
  }

  /** Nothing changes and nothing is emitted: a duplicate, or an input that is not the joiner's to decide. */
  public static Outcome none() {
    return NONE;
  }

  /** An outcome that emits but leaves the stored case as it is. */
  static Outcome emitting() {
    return new Outcome(null);
  }

  /** An outcome that stores the case as it ends up after the decision. */
  static Outcome storing(OnboardingCase onboarding) {
    return new Outcome(onboarding.record());
  }

  Outcome cancelTimers(String kindPrefix) {
    cancelledTimerKinds.add(kindPrefix);
    return this;
  }

  Outcome schedule(TimerEntry timer) {
    scheduledTimers.add(timer);
    return this;
  }

  Outcome command(AuthenticatorCommand command) {
    commands.add(command);
    return this;
  }

  Outcome notify(SubjectNotification notification) {
    notifications.add(notification);
    return this;
  }

  Outcome audit(AuditEvent.Builder draft) {
    audits.add(draft);
    return this;
  }

  public Optional<JoinerCase> state() {
    return Optional.ofNullable(state);
  }

  /** Timer kind prefixes whose pending timers for the subject are cancelled. */
  public List<String> cancelledTimerKinds() {
    return Collections.unmodifiableList(cancelledTimerKinds);
  }

  public List<TimerEntry> scheduledTimers() {
    return Collections.unmodifiableList(scheduledTimers);
  }

  public List<AuthenticatorCommand> commands() {
    return Collections.unmodifiableList(commands);
  }

  public List<SubjectNotification> notifications() {
    return Collections.unmodifiableList(notifications);
  }

  public List<AuditEvent.Builder> audits() {
    return Collections.unmodifiableList(audits);
  }

  public boolean isEmpty() {
    return state == null && cancelledTimerKinds.isEmpty() && scheduledTimers.isEmpty() && commands.isEmpty()
        && notifications.isEmpty() && audits.isEmpty();
  }
}
