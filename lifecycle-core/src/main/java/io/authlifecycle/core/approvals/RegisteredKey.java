package io.authlifecycle.core.approvals;

import io.authlifecycle.avro.SignatureScheme;
import java.util.Objects;
import java.util.Set;

/**
 * A public key in the registry: its id (what a signature envelope names), its scheme, the one
 * person it belongs to, the roles it may sign for, and the key itself (ED25519: base64 X.509; WEBAUTHN: the
 * credential's COSE public key, base64url, and the key id is the credential id).
 */
public record RegisteredKey(String keyId, SignatureScheme scheme, Person person, Set<Role> roles, String encodedKey) {

  public RegisteredKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(person, "person");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(encodedKey, "encodedKey");
  }

  public boolean may(Role role) {
    return roles.contains(role);
  }
}
