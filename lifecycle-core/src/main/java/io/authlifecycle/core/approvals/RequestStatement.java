package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryRequest;
import java.util.Base64;

/**
 * What a help-desk agent signs when opening (or cancelling) a recovery request: every field the
 * worker decides on, with the agent's own person id as the requester. Canonical bytes
 * ({@link CanonicalBytes}): the domain tag; kind, requestId, subjectId, channel, requesterId and
 * reason as texts (enums by name); the evidence as a list of (method, optional reference, level,
 * verifiedAt); the lost authenticator ids as a list of texts; the optional comment; eventTime. The
 * event id is not signed (it only de-duplicates); a replay under a new event id reuses the request
 * id, which the worker never accepts twice.
 */
public final class RequestStatement {

  /** Separates these signatures from any other use of a person's key. */
  public static final String DOMAIN = "authn-lifecycle/recovery-request/v1";

  private RequestStatement() {}

  /** The canonical bytes of {@code request} as signed by {@code requesterId} (the key's person). */
  public static byte[] canonicalBytes(RecoveryRequest request, String requesterId) {
    CanonicalBytes out = CanonicalBytes.of(DOMAIN)
        .text(request.getKind().name())
        .text(request.getRequestId())
        .text(request.getSubjectId())
        .text(request.getChannel().name())
        .text(requesterId)
        .text(request.getReason().name())
        .count(request.getEvidence().size());
    for (RecoveryEvidence proof : request.getEvidence()) {
      out.text(proof.getMethod().name()).optionalText(proof.getReference()).text(proof.getLevel().name())
          .time(proof.getVerifiedAt());
    }
    return out.texts(request.getLostAuthenticatorIds()).optionalText(request.getComment())
        .time(request.getEventTime()).bytes();
  }

  /** The WebAuthn challenge for a request: base64url (no padding) of SHA-256 over its canonical bytes. */
  public static String challenge(RecoveryRequest request, String requesterId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(CanonicalBytes.sha256(canonicalBytes(request, requesterId)));
  }
}
