package io.authlifecycle.deploy;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/** One readable line per record, for the local stack's console. */
public final class Summaries {

  private Summaries() {}

  /** A fixed-width tag, then what happened; {@code now} turns times into "in 20s" / "5m ago". */
  public static String of(SpecificRecord record, Instant now) {
    if (record instanceof AuditEvent a) {
      return line("AUDIT", a.getWorker() + "  " + a.getSubjectId() + "  " + a.getAction() + " -> " + a.getOutcome()
          + " [" + a.getSeverity() + "]" + optional(": ", a.getReason()) + optional("  (", a.getPolicyRef(), ")"));
    }
    if (record instanceof AuthenticatorCommand c) {
      return line("COMMAND", c.getAction() + " for " + c.getSubjectId()
          + optional(" authenticator ", c.getAuthenticatorId()) + ticket(c.getTicket(), now)
          + " by " + c.getIssuedBy() + ": " + c.getReason() + "  (" + c.getPolicyRef() + ")");
    }
    if (record instanceof SubjectNotification n) {
      return line("NOTIFY", n.getRecipient() + optional(" ", n.getRecipientId()) + " of " + n.getSubjectId()
          + " via " + join(n.getChannels()) + ": \"" + n.getMessage() + "\"" + optional("  [not me: ", n.getNotMeRef(), "]"));
    }
    if (record instanceof ApprovalRequested r) {
      return line("APPROVAL", "recovery " + r.getRequestId() + " of " + r.getSubjectId() + " needs " + r.getQuorum()
          + " approver" + (r.getQuorum() == 1 ? "" : "s") + " " + relative(r.getDeadline(), now)
          + " (not HR subjects " + String.join(", ", r.getIneligibleApprovers()) + ")" + approved(r));
    }
    if (record instanceof ApprovalDecision d) {
      return line("DECISION", d.getDecision() + " of recovery " + d.getRequestId() + " for " + d.getSubjectId()
          + " by " + d.getApproverId() + signed(d.getSignatureEnvelope()));
    }
    if (record instanceof DeadLetter d) {
      return line("DEAD-LETTER", d.getSourceTopic() + " partition " + d.getPartition() + " offset " + d.getOffset()
          + " " + d.getErrorKind() + " by " + d.getWorker() + ": " + d.getError());
    }
    if (record instanceof WorkerEvent e) {
      return line("HR", e.getType() + " " + e.getSubjectId() + optional(" as ", e.getRole())
          + (e.getPrivileged() ? " (privileged)" : "")
          + verification(e)
          + (e.getImmediate() ? ", immediate" : ", effective " + relative(e.getEffectiveTime(), now)));
    }
    if (record instanceof DeviceEvent e) {
      return line("MDM", "device " + e.getDeviceId() + " of " + e.getOwnerSubjectId() + " " + e.getType()
          + optional(": ", e.getReason()));
    }
    if (record instanceof RecoveryRequest r) {
      return line("RECOVERY", r.getKind() + " " + r.getRequestId() + " for " + r.getSubjectId() + " via "
          + r.getChannel() + " (" + r.getReason() + ") by " + r.getRequesterId() + signed(r.getSignatureEnvelope()) + ", evidence "
          + (r.getEvidence().isEmpty() ? "none"
              : r.getEvidence().stream().map(ev -> ev.getMethod().name()).collect(Collectors.joining(", "))));
    }
    if (record instanceof AuthenticatorBound b) {
      return line("IDP", "bound " + b.getFactorType() + " " + b.getAuthenticatorId() + " to " + b.getSubjectId()
          + optional(" on device ", b.getDeviceId()));
    }
    return line("RECORD", record.getSchema().getName() + " " + record);
  }

  /** The scheme and the start of the key id a record is signed with, or that it is not. */
  private static String signed(SignatureEnvelope envelope) {
    return envelope == null ? " (unsigned)"
        : " (" + envelope.getScheme() + " key " + envelope.getKeyId().substring(0, Math.min(8, envelope.getKeyId().length())) + ")";
  }

  private static String approved(ApprovalRequested r) {
    return r.getApprovedBy().isEmpty() ? "" : ", approved by " + String.join(", ", r.getApprovedBy()) + ": " + r.getStatus();
  }

  private static String verification(WorkerEvent e) {
    if (e.getType() != WorkerEventType.JOINER && e.getType() != WorkerEventType.REHIRE) {
      return "";
    }
    return e.getIdentityVerification() == null ? ", identity not verified"
        : ", verified " + e.getIdentityVerification().getLevel() + " by " + e.getIdentityVerification().getMethod();
  }

  private static String ticket(EnrollmentTicket ticket, Instant now) {
    if (ticket == null) {
      return "";
    }
    return " " + ticket.getPurpose() + " ticket for " + join(ticket.getAllowedFactorTypes())
        + " via " + ticket.getDeliveryChannel() + ", expires " + relative(ticket.getExpiresAt(), now);
  }

  static String relative(Instant when, Instant now) {
    Duration d = Duration.between(now, when);
    boolean past = d.isNegative();
    d = d.abs();
    String amount = d.toDays() >= 2 ? d.toDays() + "d" : d.toHours() >= 2 ? d.toHours() + "h"
        : d.toMinutes() >= 2 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    return d.toSeconds() == 0 ? "now" : past ? amount + " ago" : "in " + amount;
  }

  private static String line(String tag, String text) {
    return String.format("%-11s %s", tag, text);
  }

  private static String join(List<?> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String optional(String prefix, Object value) {
    return value == null ? "" : prefix + value;
  }

  private static String optional(String prefix, Object value, String suffix) {
    return value == null ? "" : prefix + value + suffix;
  }
}
