package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;

/**
 * Verifies envelopes of one signature scheme against a registered key. {@link Ed25519Verifier}
 * is ED25519 (key files). A WEBAUTHN verifier checks the assertion instead: the authenticator data
 * (RP id hash, user-verified flag, signature counter), the client data (type
 * {@code webauthn.get}, origin, challenge equal to base64url(SHA-256(canonical bytes))), and the
 * signature over authenticatorData followed by SHA-256(clientDataJson) with the credential's key.
 * This build has none, so a WEBAUTHN envelope is refused as an unsupported scheme.
 */
public interface SignatureVerifier {

  /** Whether a signature verified, and if not, why. */
  record Result(boolean valid, String reason) {

    public static Result ok() {
      return new Result(true, "valid");
    }

    public static Result invalid(String reason) {
      return new Result(false, reason);
    }
  }

  SignatureScheme scheme();

  /**
   * Whether {@code envelope} is a signature by {@code key} over {@code canonicalBytes}. Never
   * throws on malformed input: it is invalid.
   */
  Result verify(RegisteredKey key, byte[] canonicalBytes, SignatureEnvelope envelope);
}
