package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.RecoveryRequest;

/** Signs a help-desk recovery request with the agent's key file; the agent is the requester. */
public final class RequestSigner {

  private RequestSigner() {}

  /** Returns the request with requesterId set to the key's person and its signature envelope set; times at millisecond precision. */
  public static RecoveryRequest sign(RecoveryRequest.Builder draft, PersonKeyFile key) {
    if (!key.roles().contains(Role.HELP_DESK)) {
      throw new IllegalArgumentException("the key of " + key.personId() + " is not a help-desk key (roles " + key.roles() + ")");
    }
    RecoveryRequest request = draft.setRequesterId(key.personId()).setSignatureEnvelope(null).build();
    request.setSignatureEnvelope(key.sign(RequestStatement.canonicalBytes(request, key.personId())));
    return request;
  }
}
