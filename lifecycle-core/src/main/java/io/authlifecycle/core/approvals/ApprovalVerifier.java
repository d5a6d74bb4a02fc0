package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Optional;

/**
 * Whether an approval decision carries a valid signature of the approver it names, and if not,
 * why: unsigned, unknown approver, a signature made for another of the subject's requests
 * (replay), or one that no registered key produced for this statement (forged or wrong key).
 */
public final class ApprovalVerifier {

  /** The outcome of checking one decision's signature. */
  public enum Verdict {
    VALID, UNSIGNED, UNKNOWN_APPROVER, REPLAYED, FORGED;
  }

  /** The verdict and, for a replay, the request the signature was made for. */
  public record Result(Verdict verdict, Optional<String> signedForRequest) {
    static Result of(Verdict verdict) {
      return new Result(verdict, Optional.empty());
    }
  }

  private final ApproverKeyRegistry registry;

  public ApprovalVerifier(ApproverKeyRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param otherRequestIds the subject's other requests (open or closed) a replayed signature may
   *     have been made for
   */
  public Result verify(ApprovalDecision decision, Collection<String> otherRequestIds) {
    byte[] signature = bytes(decision.getSignature());
    if (signature.length == 0) {
      return Result.of(Verdict.UNSIGNED);
    }
    Optional<PublicKey> key = registry.key(decision.getApproverId());
    if (key.isEmpty()) {
      return Result.of(Verdict.UNKNOWN_APPROVER);
    }
    ApprovalStatement statement = ApprovalStatement.of(decision);
    if (Ed25519.verify(key.get(), statement.canonicalBytes(), signature)) {
      return Result.of(Verdict.VALID);
    }
    for (String other : otherRequestIds) {
      if (!other.equals(decision.getRequestId())
          && Ed25519.verify(key.get(), statement.forRequest(other).canonicalBytes(), signature)) {
        return new Result(Verdict.REPLAYED, Optional.of(other));
      }
    }
    return Result.of(Verdict.FORGED);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
