package io.authlifecycle.leaver;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.RevokeScope;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.LeaverAuthenticator;
import io.authlifecycle.avro.state.LeaverCaseState;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands and audit drafts the leaver worker writes, with its policy references filled in one
 * way, and the few readings of a case that several decisions share.
 */
final class LeaverRecords {

  /** Everything a leaver may still hold: every factor, backup codes and open enrollment tickets. */
  static final RevokeScope EVERYTHING = RevokeScope.newBuilder()
      .setFactors(true).setBackupCodes(true).setOpenTickets(true).build();

  private final String worker;

  LeaverRecords(String worker) {
    this.worker = worker;
  }

  AuthenticatorCommand revokeAll(String subjectId, String causationId, Instant causationTime, String correlationId,
      String discriminator, String reason, Instant now) {
    return Decisions.command(worker, CommandAction.REVOKE_ALL, subjectId, causationId, causationTime, correlationId,
        discriminator, reason, PolicyRefs.INVALIDATION, now).setRevokeScope(EVERYTHING).build();
  }

  AuthenticatorCommand terminateSessions(String subjectId, String causationId, Instant causationTime,
      String correlationId, String discriminator, String reason, Instant now) {
    return Decisions.command(worker, CommandAction.TERMINATE_SESSIONS, subjectId, causationId, causationTime,
        correlationId, discriminator, reason, PolicyRefs.INVALIDATION, now).build();
  }

  AuthenticatorCommand revokeAuthenticator(String subjectId, String authenticatorId, String causationId,
      Instant causationTime, String correlationId, String reason, Instant now) {
    return Decisions.command(worker, CommandAction.REVOKE_AUTHENTICATOR, subjectId, causationId, causationTime,
        correlationId, authenticatorId, reason, PolicyRefs.INVALIDATION, now).setAuthenticatorId(authenticatorId).build();
  }

  /** An audit draft citing invalidation (63B-4 4.5) and credential management (CSF PR.AA-01). */
  static AuditEvent.Builder audit(String subjectId, String action, AuditOutcome outcome, Severity severity,
      String reason, String causationId, String correlationId) {
    return Decisions.audit(subjectId, action, outcome, severity, PolicyRefs.INVALIDATION,
            List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason(reason)
        .setCausationId(causationId)
        .setCorrelationId(correlationId);
  }

  /** An owned service identity whose owner left: ownership transfer and credential rotation are needed (OWASP NHI1). */
  static AuditEvent.Builder serviceIdentityOwnerLeft(String subjectId, String serviceIdentity, String causationId,
      String correlationId) {
    return Decisions.audit(subjectId, "nhi.owner.left", AuditOutcome.ESCALATED, Severity.MEDIUM,
            PolicyRefs.NHI_OFFBOARDING, List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason("the owner of service identity " + serviceIdentity
            + " left: transfer its ownership and rotate its credentials, or decommission it")
        .setCausationId(causationId)
        .setCorrelationId(correlationId)
        .setDetails(details("serviceIdentity", serviceIdentity));
  }

  /** The case's correlation id: the current or last leaver's, else one naming the subject. */
  static String correlationId(LeaverCaseState state) {
    if (state.getLeaver() != null) {
      return state.getLeaver().getCorrelationId();
    }
    if (state.getRevocation() != null) {
      return state.getRevocation().getCorrelationId();
    }
    return "leaver:" + state.getSubjectId();
  }

  /** Ids of the known factors not yet revoked, in binding order. */
  static List<String> activeFactorIds(LeaverCaseState state) {
    return state.getAuthenticators().stream().filter(a -> a.getRevokedAt() == null)
        .map(LeaverAuthenticator::getAuthenticatorId).toList();
  }

  /** Details in the given order: key, value, key, value... */
  static Map<String, String> details(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
