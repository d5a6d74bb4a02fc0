package io.authlifecycle.core.approvals;

import java.security.PublicKey;
import java.util.Base64;

/** Key ids as signature envelopes name them. */
public final class KeyIds {

  private KeyIds() {}

  /** ED25519: base64url without padding of SHA-256 over the X.509 encoding of the public key. */
  public static String ed25519(PublicKey key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(CanonicalBytes.sha256(key.getEncoded()));
  }
}
