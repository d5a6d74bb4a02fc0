package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.ApprovalDecision;

/** Signs an approval decision for one case with an approver's key file. */
public final class ApprovalSigner {

  private ApprovalSigner() {}

  /**
   * Returns the decision with its signature envelope set; decidedAt must already be at millisecond
   * precision. {@code caseNonce} is the nonce of the case, from its {@code ApprovalRequested}.
   */
  public static ApprovalDecision sign(ApprovalDecision.Builder draft, String caseNonce, PersonKeyFile key) {
    if (!key.personId().equals(draft.getApproverId())) {
      throw new IllegalArgumentException("the key belongs to " + key.personId() + ", not " + draft.getApproverId());
    }
    if (!key.roles().contains(Role.APPROVER)) {
      throw new IllegalArgumentException("the key of " + key.personId() + " is not an approver's key (roles " + key.roles() + ")");
    }
    ApprovalDecision decision = draft.setSignature(null).setSignatureEnvelope(null).build();
    decision.setSignatureEnvelope(key.sign(ApprovalStatement.of(decision, caseNonce, key.personId()).canonicalBytes()));
    return decision;
  }
}
