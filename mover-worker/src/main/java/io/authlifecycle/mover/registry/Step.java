package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One thing a decision emits, in plain Java: the processor turns each into a record. */
public sealed interface Step {

  /** Why: the causing event (or due time), and the lifecycle case it belongs to. */
  record Cause(String causationId, Instant causationTime, String correlationId) {}

  /** What an enrollment ticket allows; the IdP creates and delivers the secret. */
  record Ticket(String ticketId, TicketPurpose purpose, List<FactorType> allowedTypes, Instant notBefore,
      Instant expiresAt, Channel deliveryChannel) {}

  /** An authenticator command with its deterministic id. */
  record Command(String commandId, CommandAction action, String authenticatorId, String discriminator,
      Cause cause, String reason, String policyRef, Ticket ticket) implements Step {}

  /** A notification to the subject (or someone about the subject). */
  record Notice(RecipientRole recipient, List<Channel> channels, String topic, String message, Cause cause)
      implements Step {}

  /** A recovery request the worker files for the subject (re-binding through approval). */
  record Recovery(String requestId, List<String> lostAuthenticatorIds, Cause cause, String comment) implements Step {}

  /** An audit record, filled fluently by the decision that adds it. */
  final class Audit implements Step {
    private final String action;
    private final AuditOutcome outcome;
    private final Severity severity;
    private final String policyRef;
    private final Cause cause;
    private final List<String> controlRefs = new ArrayList<>();
    private final List<String> commandIds = new ArrayList<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private String reason;
    private String authenticatorId;
    private FactorType factorType;

    Audit(String action, AuditOutcome outcome, Severity severity, String policyRef, String control, Cause cause) {
      this.action = action;
      this.outcome = outcome;
      this.severity = severity;
      this.policyRef = policyRef;
      this.controlRefs.add(control);
      this.cause = cause;
    }

    Audit reason(String why) {
      this.reason = why;
      return this;
    }

    Audit factor(Factor factor) {
      this.authenticatorId = factor.id;
      this.factorType = factor.type;
      return detail("ocsf.auth_factor_type_id", String.valueOf(Ocsf.factorTypeId(factor.type)));
    }

    Audit command(String commandId) {
      commandIds.add(commandId);
      return this;
    }

    Audit detail(String key, Object value) {
      details.put(key, String.valueOf(value));
      return this;
    }

    public String action() {
      return action;
    }

    public AuditOutcome outcome() {
      return outcome;
    }

    public Severity severity() {
      return severity;
    }

    public String policyRef() {
      return policyRef;
    }

    public List<String> controlRefs() {
      return List.copyOf(controlRefs);
    }

    public Cause cause() {
      return cause;
    }

    public String reason() {
      return reason;
    }

    public List<String> commandIds() {
      return List.copyOf(commandIds);
    }

    public String authenticatorId() {
      return authenticatorId;
    }

    public FactorType factorType() {
      return factorType;
    }

    public Map<String, String> details() {
      return Map.copyOf(details);
    }

    @Override
    public String toString() {
      return "Audit[" + action + " " + outcome + " " + severity + " " + policyRef + " " + authenticatorId + " " + details + "]";
    }
  }
}
