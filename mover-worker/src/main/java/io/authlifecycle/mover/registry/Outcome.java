package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.mover.registry.Step.Audit;
import io.authlifecycle.mover.registry.Step.Cause;
import io.authlifecycle.mover.registry.Step.Command;
import io.authlifecycle.mover.registry.Step.Notice;
import io.authlifecycle.mover.registry.Step.Recovery;
import io.authlifecycle.mover.registry.Step.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one input or one timer firing decided, in order. The helpers that request a factor
 * change also mark the factor, so later decisions see it as requested, and audit the step.
 */
public final class Outcome {

  private final MoverRules rules;
  private final Instant now;
  private final List<Step> steps = new ArrayList<>();
  private boolean viewChanged = true;

  public Outcome(MoverRules rules, Instant now) {
    this.rules = rules;
    this.now = now;
  }

  /** False when the input left the subject's view as it was: nothing to store, no timer to move. */
  public boolean viewChanged() {
    return viewChanged;
  }

  Outcome viewUnchanged() {
    viewChanged = false;
    return this;
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }

  public Instant now() {
    return now;
  }

  MoverRules rules() {
    return rules;
  }

  Audit audit(String action, AuditOutcome outcome, Severity severity, String policyRef, String control, Cause cause) {
    Audit audit = new Audit(action, outcome, severity, policyRef, control, cause);
    steps.add(audit);
    return audit;
  }

  /** Asks the IdP to change one factor (revoke, expire, suspend, resume), marks it and audits the request. */
  String change(Subject subject, Factor factor, CommandAction action, Cause cause, String reason, String policyRef,
      Severity severity) {
    String commandId = rules.commandId(cause.causationId(), action, factor.id);
    steps.add(new Command(commandId, action, factor.id, factor.id, cause, reason, policyRef, null));
    Factor.Request request = switch (action) {
      case REVOKE_AUTHENTICATOR -> Factor.Request.REVOKE;
      case EXPIRE_AUTHENTICATOR -> Factor.Request.EXPIRE;
      case SUSPEND_AUTHENTICATOR -> Factor.Request.SUSPEND;
      case RESUME_AUTHENTICATOR -> Factor.Request.RESUME;
      default -> throw new IllegalArgumentException(action + " does not change one factor");
    };
    factor.request(request, commandId, now);
    if (factor.gone() && subject.rebind != null) {
      subject.rebind.graceUntil.remove(factor.id);
    }
    Audit audit = audit("mover.factor." + verb(action) + "-requested", AuditOutcome.REQUESTED, severity, policyRef,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).reason(reason).factor(factor).command(commandId);
    int[] ocsf = Ocsf.classAndActivity(action);
    audit.detail("ocsf.class_uid", ocsf[0]).detail("ocsf.activity_id", ocsf[1])
        .detail("ocsf.type_uid", ocsf[0] * 100 + ocsf[1]);
    if (factor.deviceId != null) {
      audit.detail("deviceId", factor.deviceId);
    }
    return commandId;
  }

  /** Issues one single-use enrollment ticket, delivered through the IdP portal, and audits it. */
  String ticket(Subject subject, TicketPurpose purpose, List<FactorType> allowed, Duration lifetime, Cause cause,
      String reason, String policyRef) {
    String ticketId = rules.derive(cause.causationId(), "ticket", purpose.name());
    String commandId = rules.commandId(cause.causationId(), CommandAction.ISSUE_ENROLLMENT_TICKET, purpose.name());
    Ticket ticket = new Ticket(ticketId, purpose, List.copyOf(allowed), now, now.plus(lifetime), Channel.IDP_PORTAL);
    steps.add(new Command(commandId, CommandAction.ISSUE_ENROLLMENT_TICKET, null, purpose.name(), cause, reason,
        policyRef, ticket));
    audit("mover.ticket.issue-requested", AuditOutcome.REQUESTED, Severity.INFO, policyRef,
        PolicyRefs.CSF_PROOFED_AND_BOUND, cause).reason(reason).command(commandId)
        .detail("ticketId", ticketId).detail("purpose", purpose).detail("allowedFactorTypes", allowed)
        .detail("expiresAt", ticket.expiresAt());
    return ticketId;
  }

  String terminateSessions(Subject subject, String discriminator, Cause cause, String reason, String policyRef,
      Severity severity) {
    String commandId = rules.commandId(cause.causationId(), CommandAction.TERMINATE_SESSIONS, discriminator);
    steps.add(new Command(commandId, CommandAction.TERMINATE_SESSIONS, null, discriminator, cause, reason,
        policyRef, null));
    audit("mover.sessions.terminate-requested", AuditOutcome.REQUESTED, severity, policyRef,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).reason(reason).command(commandId);
    return commandId;
  }

  void notify(Subject subject, List<Channel> channels, String topic, String message, Cause cause) {
    steps.add(new Notice(RecipientRole.SUBJECT, List.copyOf(channels), topic, message, cause));
    audit("mover.subject.notified", AuditOutcome.NOTIFIED, Severity.INFO, PolicyRefs.ACCOUNT_NOTIFICATIONS,
        PolicyRefs.CSF_CREDENTIALS_MANAGED, cause).detail("topic", topic).detail("channels", channels);
  }

  String recovery(Subject subject, List<String> lost, Cause cause, String comment) {
    String requestId = rules.derive(cause.causationId(), "recovery-request");
    steps.add(new Recovery(requestId, List.copyOf(lost), cause, comment));
    audit("mover.recovery.requested", AuditOutcome.ESCALATED, Severity.MEDIUM, PolicyRefs.ACCOUNT_RECOVERY,
        PolicyRefs.CSF_LEAST_PRIVILEGE, cause).reason(comment).detail("requestId", requestId)
        .detail("lostAuthenticatorIds", lost);
    return requestId;
  }

  private static String verb(CommandAction action) {
    return switch (action) {
      case REVOKE_AUTHENTICATOR -> "revoke";
      case EXPIRE_AUTHENTICATOR -> "expire";
      case SUSPEND_AUTHENTICATOR -> "suspend";
      default -> "resume";
    };
  }
}
