package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import java.util.OptionalLong;

/**
 * Verifies envelopes of one signature scheme against a registered key: {@link Ed25519Verifier}
 * (key files) and {@link WebAuthnVerifier} (passkey assertions, whose authenticator keeps a
 * signature counter the caller keeps in its state).
 */
public interface SignatureVerifier {

  /** Whether a signature verified, and if not, why; for a passkey, the signature counter it carried. */
  record Result(boolean valid, String reason, OptionalLong signCount) {

    public static Result ok() {
      return new Result(true, "valid", OptionalLong.empty());
    }

    public static Result ok(long signCount) {
      return new Result(true, "valid", OptionalLong.of(signCount));
    }

    public static Result invalid(String reason) {
      return new Result(false, reason, OptionalLong.empty());
    }
  }

  SignatureScheme scheme();

  /**
   * Whether {@code envelope} is a signature by {@code key} over {@code canonicalBytes}. Never
   * throws on malformed input: it is invalid.
   *
   * @param lastSignCount the highest signature counter seen from this key so far (0: none); a
   *     passkey's assertion must carry a higher one unless both are 0 (an authenticator without a counter)
   */
  Result verify(RegisteredKey key, byte[] canonicalBytes, SignatureEnvelope envelope, long lastSignCount);
}
