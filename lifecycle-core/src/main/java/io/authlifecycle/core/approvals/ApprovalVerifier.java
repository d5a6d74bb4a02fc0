package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.ApprovalDecision;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether an approval decision is signed by a registered approver for exactly this case, and if
 * not, why: unsigned (or signed in the first release's bare form, bound to no case), an unknown
 * key, a key not registered for approving, a key of another person than the decision names, a
 * signature made for another of the subject's cases (replay), or one no registered key produced
 * for this statement (forged or altered).
 */
public final class ApprovalVerifier {

  /** The outcome of checking one decision's signature. */
  public enum Verdict { VALID, UNSIGNED, UNBOUND, UNKNOWN_KEY, NOT_APPROVER, WRONG_PERSON, UNSUPPORTED_SCHEME, REPLAYED, FORGED }

  /** A case as a signature may be bound to it: its request id and nonce. */
  public record CaseRef(String requestId, String nonce) {}

  /**
   * The verdict, the approver once the key is known, the request a replay was signed for, why, and
   * a passkey's signature counter when it verified (for the caller to keep).
   */
  public record Result(Verdict verdict, Optional<Person> approver, Optional<String> signedForRequest, String reason,
      OptionalLong signCount) {

    static Result of(Verdict verdict, Optional<Person> approver, String reason) {
      return new Result(verdict, approver, Optional.empty(), reason, OptionalLong.empty());
    }
  }

  private final SignatureCheck signatures;

  public ApprovalVerifier(SignatureCheck signatures) {
    this.signatures = signatures;
  }

  /**
   * @param theCase the case the decision names, with the nonce the worker minted for it
   * @param otherCases the subject's other cases a replayed signature may have been made for
   */
  public Result verify(ApprovalDecision decision, CaseRef theCase, Collection<CaseRef> otherCases) {
    return verify(decision, theCase, otherCases, SignatureCheck.SignCounters.NONE);
  }

  /**
   * @param counters the passkey signature counters seen so far; a replay is recognised whatever its counter
   */
  public Result verify(ApprovalDecision decision, CaseRef theCase, Collection<CaseRef> otherCases,
      SignatureCheck.SignCounters counters) {
    if (decision.getSignatureEnvelope() == null) {
      return decision.getSignature() != null && decision.getSignature().hasRemaining()
          ? Result.of(Verdict.UNBOUND, Optional.empty(), "a bare signature of the first release, bound to no case; "
              + "sign again with a current lifecyclectl")
          : Result.of(Verdict.UNSIGNED, Optional.empty(), "the decision carries no signature");
    }
    SignatureCheck.Result checked = signatures.check(decision.getSignatureEnvelope(), Role.APPROVER,
        person -> ApprovalStatement.of(decision, theCase.nonce(), person.personId()).canonicalBytes(), counters);
    Optional<Person> approver = checked.person();
    switch (checked.verdict()) {
      case UNSIGNED -> {
        return Result.of(Verdict.UNSIGNED, approver, checked.reason());
      }
      case UNKNOWN_KEY -> {
        return Result.of(Verdict.UNKNOWN_KEY, approver, checked.reason());
      }
      case WRONG_ROLE -> {
        return Result.of(Verdict.NOT_APPROVER, approver, checked.reason());
      }
      case UNSUPPORTED_SCHEME -> {
        return Result.of(Verdict.UNSUPPORTED_SCHEME, approver, checked.reason());
      }
      default -> { }
    }
    Person person = approver.orElseThrow();
    if (!person.personId().equals(decision.getApproverId())) {
      return Result.of(Verdict.WRONG_PERSON, approver, "signed with a key of " + person + ", but the decision names "
          + decision.getApproverId());
    }
    if (checked.valid()) {
      return new Result(Verdict.VALID, approver, Optional.empty(), checked.reason(), checked.signCount());
    }
    for (CaseRef other : otherCases) {
      if (other.nonce() == null || other.equals(theCase)) {
        continue;
      }
      SignatureCheck.Result replay = signatures.check(decision.getSignatureEnvelope(), Role.APPROVER,
          p -> ApprovalStatement.of(decision, other.nonce(), p.personId()).forCase(other.requestId(), other.nonce())
              .canonicalBytes());
      if (replay.valid()) {
        return new Result(Verdict.REPLAYED, approver, Optional.of(other.requestId()),
            "the signature was made for request " + other.requestId() + ", not " + decision.getRequestId(), OptionalLong.empty());
      }
    }
    return Result.of(Verdict.FORGED, approver, checked.reason() + " (wrong key or altered decision)");
  }
}
