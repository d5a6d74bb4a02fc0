package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import java.nio.ByteBuffer;

/** Signs an approval decision with an approver's key file. */
public final class ApprovalSigner {

  private ApprovalSigner() {}

  /** Returns the decision with its signature set; decidedAt must already be at millisecond precision. */
  public static ApprovalDecision sign(ApprovalDecision.Builder draft, ApproverKeyFile key) {
    if (!key.approverId().equals(draft.getApproverId())) {
      throw new IllegalArgumentException("the key belongs to " + key.approverId() + ", not " + draft.getApproverId());
    }
    ApprovalDecision decision = draft.setSignature(null).build();
    byte[] signature = Ed25519.sign(key.privateKey(), ApprovalStatement.of(decision).canonicalBytes());
    decision.setSignature(ByteBuffer.wrap(signature));
    return decision;
  }
}
