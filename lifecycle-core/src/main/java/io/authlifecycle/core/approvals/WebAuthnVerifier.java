package io.authlifecycle.core.approvals;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * WEBAUTHN envelopes: a passkey's assertion whose challenge is base64url(SHA-256(canonical bytes)).
 * Checked with webauthn4j: the client data (type {@code webauthn.get}, that challenge, an origin of
 * the relying party), the authenticator data (RP id hash, user present and user verified, a signature
 * counter above the last one seen) and the signature over authenticatorData || SHA-256(clientDataJson)
 * with the credential's COSE public key.
 */
public final class WebAuthnVerifier implements SignatureVerifier {

  private final RelyingParty relyingParty;
  private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();

  public WebAuthnVerifier(RelyingParty relyingParty) {
    this.relyingParty = relyingParty;
  }

  @Override
  public SignatureScheme scheme() {
    return SignatureScheme.WEBAUTHN;
  }

  @Override
  public Result verify(RegisteredKey key, byte[] canonicalBytes, SignatureEnvelope envelope, long lastSignCount) {
    if (envelope.getAuthenticatorData() == null || envelope.getClientDataJson() == null) {
      return Result.invalid("a WEBAUTHN signature needs the assertion's authenticator data and client data JSON");
    }
    if (relyingParty.origins().isEmpty()) {
      return Result.invalid("no origin is configured for passkey signatures (" + RelyingParty.ORIGINS.key() + ")");
    }
    byte[] credentialId;
    COSEKey publicKey;
    try {
      credentialId = WebAuthnKeys.credentialId(key.keyId());
      publicKey = WebAuthnKeys.publicKey(key.encodedKey());
    } catch (IllegalArgumentException e) {
      return Result.invalid("registered passkey " + key.keyId() + " is unusable: " + e.getMessage());
    }
    Set<Origin> origins = relyingParty.origins().stream().map(Origin::new).collect(Collectors.toSet());
    ServerProperty server = new ServerProperty(origins, relyingParty.rpId(),
        new DefaultChallenge(CanonicalBytes.sha256(canonicalBytes)));
    CredentialRecordImpl credential = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, lastSignCount,
        new AttestedCredentialData(AAGUID.ZERO, credentialId, publicKey), null, null, null, null);
    AuthenticationRequest request = new AuthenticationRequest(credentialId, null,
        Ed25519Verifier.bytes(envelope.getAuthenticatorData()), Ed25519Verifier.bytes(envelope.getClientDataJson()), null,
        Ed25519Verifier.bytes(envelope.getSignature()));
    try {
      AuthenticationData data = manager.verify(request,
          new AuthenticationParameters(server, credential, List.of(credentialId), true, true));
      return Result.ok(data.getAuthenticatorData().getSignCount());
    } catch (RuntimeException e) {
      // webauthn4j names the failed check in its exception (bad challenge, origin, RP id hash, flags, counter, signature).
      return Result.invalid("the passkey assertion of " + key.person() + " (credential " + key.keyId() + ") does not verify: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }
}
