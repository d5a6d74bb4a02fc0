package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.Decision;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * What an approver signs: (requestId, subjectId, approverId, decision, decidedAt). The canonical
 * bytes are a domain tag and each text field as a 4-byte big-endian length plus UTF-8, then the
 * decision time as 8-byte big-endian epoch millis, so no two statements share an encoding.
 */
public record ApprovalStatement(String requestId, String subjectId, String approverId, Decision decision,
    Instant decidedAt) {

  /** Separates these signatures from any other use of an approver's key. */
  public static final String DOMAIN = "authn-lifecycle/approval-decision/v1";

  public ApprovalStatement {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(subjectId, "subjectId");
    Objects.requireNonNull(approverId, "approverId");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }

  /** The statement a decision record claims to carry. */
  public static ApprovalStatement of(ApprovalDecision decision) {
    return new ApprovalStatement(decision.getRequestId(), decision.getSubjectId(), decision.getApproverId(),
        decision.getDecision(), decision.getDecidedAt());
  }

  /** The same statement about another request: what a replayed signature was made for. */
  public ApprovalStatement forRequest(String otherRequestId) {
    return new ApprovalStatement(otherRequestId, subjectId, approverId, decision, decidedAt);
  }

  public byte[] canonicalBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    field(out, DOMAIN);
    field(out, requestId);
    field(out, subjectId);
    field(out, approverId);
    field(out, decision.name());
    out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(decidedAt.toEpochMilli()).array());
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
    out.writeBytes(utf8);
  }
}
