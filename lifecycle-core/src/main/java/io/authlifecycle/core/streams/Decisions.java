package io.authlifecycle.core.streams;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SubjectNotification;
import java.time.Instant;
import java.util.List;

/** Builders for the three things every decision emits, with the fields every worker fills the same way. */
public final class Decisions {

  private Decisions() {}

  /**
   * A command with a deterministic id derived from (causing event, action, discriminator); the
   * discriminator separates several commands of one action caused by one event (an authenticator
   * id, a ticket purpose, "reissue-1"). Set authenticatorId / ticket / revokeScope on the builder.
   */
  public static AuthenticatorCommand.Builder command(String worker, CommandAction action, String subjectId,
      String causationId, Instant causationTime, String correlationId, String discriminator,
      String reason, String policyRef, Instant now) {
    return AuthenticatorCommand.newBuilder()
        .setCommandId(Ids.derive(worker, causationId, action.name(), discriminator))
        .setEventTime(now)
        .setCausationId(causationId)
        .setCausationTime(causationTime)
        .setCorrelationId(correlationId)
        .setSubjectId(subjectId)
        .setAction(action)
        .setReason(reason)
        .setPolicyRef(policyRef)
        .setIssuedBy(worker);
  }

  /** An audit draft; the audit writer fills worker, sequence, hashes and the event id. */
  public static AuditEvent.Builder audit(String subjectId, String action, AuditOutcome outcome, Severity severity,
      String policyRef, List<String> controlRefs) {
    return AuditEvent.newBuilder()
        .setSubjectId(subjectId)
        .setAction(action)
        .setOutcome(outcome)
        .setSeverity(severity)
        .setPolicyRef(policyRef)
        .setControlRefs(controlRefs);
  }

  /** A notification with a deterministic id from (causing event, topic, recipient). */
  public static SubjectNotification.Builder notification(String worker, String subjectId, RecipientRole recipient,
      List<Channel> channels, String topic, String message, String causationId, String correlationId, Instant now) {
    return SubjectNotification.newBuilder()
        .setEventId(Ids.derive(worker, causationId, topic, recipient.name()))
        .setEventTime(now)
        .setSubjectId(subjectId)
        .setRecipient(recipient)
        .setChannels(channels)
        .setTopic(topic)
        .setMessage(message)
        .setCausationId(causationId)
        .setCorrelationId(correlationId)
        .setSentBy(worker);
  }
}
