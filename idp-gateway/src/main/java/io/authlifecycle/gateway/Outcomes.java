package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.GatewayTicket;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.gateway.idp.Applied;
import io.authlifecycle.gateway.idp.Binding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The records each gateway decision produces, with deterministic ids: facts for an applied command,
 * a failure fact and dead letter for a failed one, and the audit draft of each.
 */
final class Outcomes {

  private Outcomes() {}

  /** A failed revocation leaves a leaver or a lost device with working factors: an incident. */
  static final Set<CommandAction> CRITICAL_WHEN_FAILED = EnumSet.of(CommandAction.REVOKE_ALL,
      CommandAction.REVOKE_AUTHENTICATOR, CommandAction.EXPIRE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS);

  /** Where a consumed record came from. */
  record Source(String topic, int partition, long offset, String key, byte[] value, Instant timestamp) {
    String position() {
      return topic + ":" + partition + ":" + offset;
    }
  }

  /** {@code CommandApplied} then one {@code AuthenticatorRevoked} per credential removed. */
  static List<SpecificRecord> appliedFacts(AuthenticatorCommand c, Applied applied, boolean dryRun, String source, Instant now) {
    List<SpecificRecord> facts = new ArrayList<>();
    facts.add(CommandApplied.newBuilder()
        .setEventId(Ids.derive(IdpGateway.NAME, c.getCommandId(), "applied"))
        .setEventTime(now).setSubjectId(c.getSubjectId()).setCommandId(c.getCommandId()).setAction(c.getAction())
        .setAuthenticatorIds(applied.touched()).setDryRun(dryRun).setDetail(applied.detail()).setSource(source).build());
    for (Applied.Credential credential : applied.removed()) {
      facts.add(AuthenticatorRevoked.newBuilder()
          .setEventId(Ids.derive(IdpGateway.NAME, c.getCommandId(), "revoked", credential.id()))
          .setEventTime(now).setSubjectId(c.getSubjectId()).setAuthenticatorId(credential.id())
          .setFactorType(credential.factorType()).setCommandId(c.getCommandId()).setReason(c.getReason())
          .setSource(source).build());
    }
    return facts;
  }

  /** Applied; in shadow mode (dry-run adapter) recorded as "shadow", never as a completed revocation. */
  static AuditEvent.Builder appliedAudit(AuthenticatorCommand c, Applied applied, boolean dryRun, int attempts, String source) {
    return commandAudit(c, dryRun ? "gateway.command.shadow" : "gateway.command.applied",
        dryRun ? AuditOutcome.RECORDED : AuditOutcome.COMPLETED, Severity.INFO,
        dryRun ? "shadow mode, nothing changed at the IdP: " + applied.detail() : applied.detail())
        .setDetails(details("adapter", source, "attempts", String.valueOf(attempts),
            "authenticatorsRemoved", String.valueOf(applied.removed().size())));
  }

  /** A failure fact; its id includes the command's position so a replayed, failing again command reports again. */
  static CommandFailed failedFact(AuthenticatorCommand c, Source from, String error, boolean permanent, int attempts,
      String source, Instant now) {
    return CommandFailed.newBuilder()
        .setEventId(Ids.derive(IdpGateway.NAME, c.getCommandId(), "failed", from.position()))
        .setEventTime(now).setSubjectId(c.getSubjectId()).setCommandId(c.getCommandId()).setAction(c.getAction())
        .setError(error).setPermanent(permanent).setAttempts(attempts).setSource(source).build();
  }

  static AuditEvent.Builder failedAudit(AuthenticatorCommand c, String error, DeadLetterKind kind, int attempts, String source) {
    Severity severity = CRITICAL_WHEN_FAILED.contains(c.getAction()) ? Severity.CRITICAL : Severity.HIGH;
    return commandAudit(c, "gateway.command.failed", AuditOutcome.FAILED, severity, error)
        .setDetails(details("adapter", source, "attempts", String.valueOf(attempts), "failure", kind.name(),
            "deadLetterTopic", io.authlifecycle.core.topics.Topics.COMMANDS.deadLetterTopic().name()));
  }

  static DeadLetter deadLetter(Source from, DeadLetterKind kind, String error, Instant now) {
    return DeadLetter.newBuilder()
        .setEventId(from.position())
        .setEventTime(now).setSourceTopic(from.topic()).setPartition(from.partition()).setOffset(from.offset())
        .setRecordTimestamp(from.timestamp())
        .setKey(from.key() == null ? null : ByteBuffer.wrap(from.key().getBytes(StandardCharsets.UTF_8)))
        .setValue(from.value() == null ? null : ByteBuffer.wrap(from.value()))
        .setErrorKind(kind).setError(error).setWorker(IdpGateway.NAME).build();
  }

  /** A binding the IdP reports, attributed (or not) to the ticket it was registered under. */
  static AuthenticatorBound boundFact(Binding b, String ticketId, String source) {
    return AuthenticatorBound.newBuilder()
        .setEventId(Ids.derive(IdpGateway.NAME, "bound", b.authenticatorId()))
        .setEventTime(b.boundAt()).setSubjectId(b.subjectId()).setAuthenticatorId(b.authenticatorId())
        .setFactorType(b.factorType()).setDeviceId(b.deviceId()).setDeviceAttribution(b.deviceAttribution())
        .setTicketId(ticketId).setSource(source).build();
  }

  static AuditEvent.Builder bindingAudit(Binding b, String ticketId, String ticketState, String source) {
    return Decisions.audit(b.subjectId(), "gateway.binding.reported", AuditOutcome.RECORDED, Severity.INFO,
            PolicyRefs.BINDING, List.of(PolicyRefs.CSF_PROOFED_AND_BOUND))
        .setReason(b.factorType() + " bound at the IdP (" + b.evidence() + ")"
            + (ticketId == null ? ", under no open ticket" : ", under ticket " + ticketId + " (" + ticketState + ")"))
        .setCausationId(b.authenticatorId())
        .setAuthenticatorId(b.authenticatorId())
        .setFactorType(b.factorType())
        .setDetails(details("adapter", source, "ticketId", ticketId == null ? "" : ticketId,
            "deviceAttribution", b.deviceAttribution().name(), "evidence", b.evidence()));
  }

  /** A ticket's life at the IdP: opened at notBefore, used, expired, or failed to open. */
  static AuditEvent.Builder ticketAudit(String subjectId, GatewayTicket t, String action, AuditOutcome outcome,
      Severity severity, String reason) {
    return Decisions.audit(subjectId, action, outcome, severity, PolicyRefs.BINDING, List.of(PolicyRefs.CSF_PROOFED_AND_BOUND))
        .setReason(reason)
        .setCausationId(t.getCommandId())
        .setCommandIds(List.of(t.getCommandId()))
        .setDetails(details("ticketId", t.getTicketId(), "purpose", t.getPurpose().name(), "issuedBy", t.getIssuedBy(),
            "requiredAction", t.getRequiredAction(), "notBefore", t.getNotBefore().toString(),
            "expiresAt", t.getExpiresAt().toString()));
  }

  /** A command refused for its issuer: a forged or compromised worker credential, an incident. */
  static AuditEvent.Builder refusedAudit(AuthenticatorCommand c, Source from, String error, String dlqTopic) {
    return commandAudit(c, "gateway.command.refused", AuditOutcome.REFUSED, Severity.CRITICAL, error)
        .setPolicyRef(PolicyRefs.CSF_LEAST_PRIVILEGE)
        .setControlRefs(List.of(PolicyRefs.CSF_LEAST_PRIVILEGE, PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setDetails(details("sourceTopic", from.topic(), "partition", String.valueOf(from.partition()),
            "offset", String.valueOf(from.offset()), "issuedBy", c.getIssuedBy(), "deadLetterTopic", dlqTopic));
  }

  /** Bad input on the command topic may be a lost revocation: audited at HIGH. */
  static AuditEvent.Builder deadLetterAudit(Source from, String subject, DeadLetterKind kind, String error, String dlqTopic) {
    return Decisions.audit(subject, "input.dead-lettered", AuditOutcome.DEAD_LETTERED, Severity.HIGH,
            PolicyRefs.INVALIDATION, List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason(kind + ": " + error)
        .setCausationId(from.position())
        .setDetails(details("sourceTopic", from.topic(), "partition", String.valueOf(from.partition()),
            "offset", String.valueOf(from.offset()), "deadLetterTopic", dlqTopic));
  }

  /** The chain an input is audited under: its key, or a per-partition chain for keyless records. */
  static String auditSubject(Source from) {
    return from.key() == null || from.key().isBlank() ? "(no key):" + from.topic() + "-" + from.partition() : from.key();
  }

  private static AuditEvent.Builder commandAudit(AuthenticatorCommand c, String action, AuditOutcome outcome,
      Severity severity, String reason) {
    return Decisions.audit(c.getSubjectId(), action, outcome, severity, c.getPolicyRef(),
            List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason(reason)
        .setCausationId(c.getCommandId())
        .setCorrelationId(c.getCorrelationId())
        .setCommandIds(List.of(c.getCommandId()))
        .setAuthenticatorId(c.getAuthenticatorId());
  }

  private static Map<String, String> details(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
