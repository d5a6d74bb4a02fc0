package io.authlifecycle.recovery;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.state.TimerEntry;
import java.util.ArrayList;
import java.util.List;

/** What one decision wants done, in plain records: the processor writes them out, in this order. */
public final class Effects {

  private final List<String> cancelledTimers = new ArrayList<>();
  private final List<TimerEntry> scheduledTimers = new ArrayList<>();
  private final List<ApprovalRequested> approvalRequests = new ArrayList<>();
  private final List<AuthenticatorCommand> commands = new ArrayList<>();
  private final List<SubjectNotification> notifications = new ArrayList<>();
  private final List<AuditEvent.Builder> audits = new ArrayList<>();

  public void cancelTimer(String kind) {
    cancelledTimers.add(kind);
  }

  public void schedule(TimerEntry timer) {
    scheduledTimers.add(timer);
  }

  public void approvalRequest(ApprovalRequested request) {
    approvalRequests.add(request);
  }

  public void command(AuthenticatorCommand command) {
    commands.add(command);
  }

  public void notify(SubjectNotification notification) {
    notifications.add(notification);
  }

  public void audit(AuditEvent.Builder draft) {
    audits.add(draft);
  }

  public List<String> cancelledTimers() {
    return cancelledTimers;
  }

  public List<TimerEntry> scheduledTimers() {
    return scheduledTimers;
  }

  public List<ApprovalRequested> approvalRequests() {
    return approvalRequests;
  }

  public List<AuthenticatorCommand> commands() {
    return commands;
  }

  public List<SubjectNotification> notifications() {
    return notifications;
  }

  public List<AuditEvent.Builder> audits() {
    return audits;
  }

  /** The audit actions in order: what tests of the plain decisions compare. */
  public List<String> auditActions() {
    return audits.stream().map(AuditEvent.Builder::getAction).toList();
  }
}
