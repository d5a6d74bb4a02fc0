package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.Decision;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * What an approver signs: (requestId, subjectId, caseNonce, approverId, decision, decidedAt). The
 * case nonce is minted by the recovery worker when the case opens and published on
 * {@code ApprovalRequested}, so a decision can be signed only for a case that exists, and counts
 * for that case only. Canonical bytes ({@link CanonicalBytes}): the domain tag, the five texts in
 * that order (the decision by its enum name), then decidedAt as epoch milliseconds.
 */
public record ApprovalStatement(String requestId, String subjectId, String caseNonce, String approverId,
    Decision decision, Instant decidedAt) {

  /** Separates these signatures from any other use of a person's key; v2 added the case nonce. */
  public static final String DOMAIN = "authn-lifecycle/approval-decision/v2";

  public ApprovalStatement {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(subjectId, "subjectId");
    Objects.requireNonNull(caseNonce, "caseNonce");
    Objects.requireNonNull(approverId, "approverId");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }

  /** The statement a decision makes about the case with {@code caseNonce}, as signed by {@code approverId}. */
  public static ApprovalStatement of(ApprovalDecision decision, String caseNonce, String approverId) {
    return new ApprovalStatement(decision.getRequestId(), decision.getSubjectId(), caseNonce, approverId,
        decision.getDecision(), decision.getDecidedAt());
  }

  /** The same statement about another case: what a replayed signature was made for. */
  public ApprovalStatement forCase(String otherRequestId, String otherNonce) {
    return new ApprovalStatement(otherRequestId, subjectId, otherNonce, approverId, decision, decidedAt);
  }

  public byte[] canonicalBytes() {
    return CanonicalBytes.of(DOMAIN).text(requestId).text(subjectId).text(caseNonce).text(approverId)
        .text(decision.name()).time(decidedAt).bytes();
  }

  /** The WebAuthn challenge for this statement: base64url (no padding) of SHA-256 over the canonical bytes. */
  public String challenge() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(CanonicalBytes.sha256(canonicalBytes()));
  }
}
