package io.authlifecycle.core.approvals;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import java.util.Base64;
import java.util.Set;

/** Passkey credential ids and COSE public keys as {@code person.keys} holds them: base64url without padding. */
public final class WebAuthnKeys {

  /** ES256 (EC2 P-256), EdDSA (Ed25519) and RS256: what browsers' and platform authenticators' passkeys use. */
  public static final Set<COSEAlgorithmIdentifier> ALGORITHMS = Set.of(COSEAlgorithmIdentifier.ES256,
      COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);

  private static final ObjectConverter CONVERTER = new ObjectConverter();

  private WebAuthnKeys() {}

  /** The credential id's bytes; the message says what is wrong. */
  public static byte[] credentialId(String base64url) {
    byte[] id;
    try {
      id = Base64.getUrlDecoder().decode(base64url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("credential id is not base64url");
    }
    if (id.length < 16 || id.length > 1023 || base64url.endsWith("=")) {
      throw new IllegalArgumentException("credential id must be 16 to 1023 bytes, base64url without padding");
    }
    return id;
  }

  /** The COSE key, checked to hold a public key of a supported algorithm; the message says what is wrong. */
  public static COSEKey publicKey(String base64url) {
    COSEKey key;
    try {
      key = CONVERTER.getCborConverter().readValue(Base64.getUrlDecoder().decode(base64url), COSEKey.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("public key is not a base64url COSE key: " + e.getMessage());
    }
    if (key == null || !key.hasPublicKey() || key.hasPrivateKey()) {
      throw new IllegalArgumentException("public key is not a COSE public key");
    }
    if (key.getAlgorithm() == null || !ALGORITHMS.contains(key.getAlgorithm())) {
      throw new IllegalArgumentException("COSE algorithm " + key.getAlgorithm() + " is not supported (ES256, EdDSA, RS256)");
    }
    try {
      key.validate();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("COSE key is not valid: " + e.getMessage());
    }
    return key;
  }

  /** base64url without padding of a COSE key's CBOR, as an entry holds it. */
  public static String encode(COSEKey key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(CONVERTER.getCborConverter().writeValueAsBytes(key));
  }

  public static String base64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
