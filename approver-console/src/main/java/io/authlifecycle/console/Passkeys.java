package io.authlifecycle.console;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.approvals.RelyingParty;
import io.authlifecycle.core.approvals.WebAuthnKeys;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registration ceremony (webauthn4j: attestation "none" accepted, user verification required,
 * origin and RP id of the console) and the envelope an assertion becomes; assertions themselves
 * are verified by core's {@code WebAuthnVerifier}, as the recovery worker does.
 */
final class Passkeys {

  /** A registered credential: its id and COSE public key, base64url. */
  record Credential(String credentialId, String coseKey) {}

  private final RelyingParty relyingParty;
  private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();

  Passkeys(RelyingParty relyingParty) {
    this.relyingParty = relyingParty;
  }

  RelyingParty relyingParty() {
    return relyingParty;
  }

  /** Verifies a {@code navigator.credentials.create} response for {@code challenge}; the message says why not. */
  Credential register(byte[] challenge, String clientDataJson, String attestationObject) {
    Set<Origin> origins = relyingParty.origins().stream().map(Origin::new).collect(Collectors.toSet());
    ServerProperty server = new ServerProperty(origins, relyingParty.rpId(), new DefaultChallenge(challenge));
    try {
      RegistrationData data = manager.verify(new RegistrationRequest(decode(attestationObject), decode(clientDataJson)),
          new RegistrationParameters(server, null, true, true));
      AttestedCredentialData attested = data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
      String coseKey = WebAuthnKeys.encode(attested.getCOSEKey());
      WebAuthnKeys.publicKey(coseKey);
      return new Credential(WebAuthnKeys.base64url(attested.getCredentialId()), coseKey);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the passkey registration does not verify: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }

  /** A {@code navigator.credentials.get} response as the signature envelope the recovery worker verifies. */
  static SignatureEnvelope envelope(String credentialId, String authenticatorData, String clientDataJson, String signature) {
    return SignatureEnvelope.newBuilder().setScheme(SignatureScheme.WEBAUTHN).setKeyId(credentialId)
        .setSignature(ByteBuffer.wrap(decode(signature))).setAuthenticatorData(ByteBuffer.wrap(decode(authenticatorData)))
        .setClientDataJson(ByteBuffer.wrap(decode(clientDataJson))).build();
  }

  static byte[] decode(String base64url) {
    if (base64url == null) {
      throw new IllegalArgumentException("a field of the passkey response is missing");
    }
    return Base64.getUrlDecoder().decode(base64url);
  }

  static List<String> algorithms() {
    return List.of("-7", "-8", "-257");
  }
}
