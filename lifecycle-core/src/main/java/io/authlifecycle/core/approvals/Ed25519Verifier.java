package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import java.nio.ByteBuffer;
import java.security.PublicKey;

/** ED25519 envelopes: the signature is Ed25519 over the canonical bytes, by the registered key. */
public final class Ed25519Verifier implements SignatureVerifier {

  @Override
  public SignatureScheme scheme() {
    return SignatureScheme.ED25519;
  }

  @Override
  public Result verify(RegisteredKey key, byte[] canonicalBytes, SignatureEnvelope envelope, long lastSignCount) {
    if (envelope.getAuthenticatorData() != null || envelope.getClientDataJson() != null) {
      return Result.invalid("an ED25519 signature carries no WebAuthn authenticator or client data");
    }
    PublicKey publicKey = Ed25519.decodePublic(key.encodedKey());
    return Ed25519.verify(publicKey, canonicalBytes, bytes(envelope.getSignature()))
        ? Result.ok() : Result.invalid("the signature does not verify under key " + key.keyId() + " of " + key.person());
  }

  static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
