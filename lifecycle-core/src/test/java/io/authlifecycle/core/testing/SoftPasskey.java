package io.authlifecycle.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.approvals.CanonicalBytes;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.WebAuthnKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;

/**
 * A passkey in software for unit tests: an ES256 (P-256) credential that makes WebAuthn assertions
 * the way an authenticator and a browser do (authenticator data, client data JSON, signature over
 * both). The browser tests use a real Chromium authenticator instead.
 */
public final class SoftPasskey {

  /** User present (0x01) and user verified (0x04). */
  public static final int UP_UV = 0x05;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final KeyPair pair;
  private final byte[] credentialId = new byte[32];
  private long counter;

  public SoftPasskey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    new SecureRandom().nextBytes(credentialId);
  }

  public String credentialId() {
    return WebAuthnKeys.base64url(credentialId);
  }

  public String coseKey() {
    return WebAuthnKeys.encode(EC2COSEKey.create((ECPublicKey) pair.getPublic(), COSEAlgorithmIdentifier.ES256));
  }

  public String entry(Person person, Set<Role> roles) {
    return PersonKeyRegistry.passkeyEntry(person, roles, credentialId(), coseKey());
  }

  /** An assertion over {@code canonicalBytes} with the next counter value, user present and verified. */
  public SignatureEnvelope sign(byte[] canonicalBytes, String rpId, String origin) {
    return sign(canonicalBytes, rpId, origin, "webauthn.get", UP_UV, ++counter);
  }

  /** An assertion with every part chosen, for the refusals. */
  public SignatureEnvelope sign(byte[] canonicalBytes, String rpId, String origin, String type, int flags, long signCount) {
    ObjectNode client = JSON.createObjectNode().put("type", type)
        .put("challenge", WebAuthnKeys.base64url(CanonicalBytes.sha256(canonicalBytes))).put("origin", origin)
        .put("crossOrigin", false);
    byte[] clientData = client.toString().getBytes(StandardCharsets.UTF_8);
    byte[] authData = ByteBuffer.allocate(37).put(CanonicalBytes.sha256(rpId.getBytes(StandardCharsets.UTF_8)))
        .put((byte) flags).putInt((int) signCount).array();
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(authData);
      signer.update(CanonicalBytes.sha256(clientData));
      return SignatureEnvelope.newBuilder().setScheme(SignatureScheme.WEBAUTHN).setKeyId(credentialId())
          .setSignature(ByteBuffer.wrap(signer.sign())).setAuthenticatorData(ByteBuffer.wrap(authData))
          .setClientDataJson(ByteBuffer.wrap(clientData)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
