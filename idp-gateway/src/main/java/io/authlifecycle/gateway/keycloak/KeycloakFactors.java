package io.authlifecycle.gateway.keycloak;

import io.authlifecycle.avro.FactorType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** How Keycloak's credential types and required actions map to the product's factor types. */
final class KeycloakFactors {

  private KeycloakFactors() {}

  static final String OTP = "otp";
  static final String WEBAUTHN = "webauthn";
  static final String PASSKEY = "webauthn-passwordless";
  static final String RECOVERY_CODES = "recovery-authn-codes";

  /** Credential types REVOKE_ALL removes as factors; backup codes separately. Passwords are not authenticators here. */
  static final Set<String> FACTORS = Set.of(OTP, WEBAUTHN, PASSKEY);

  /** The required actions that open an enrollment; INVALIDATE_TICKET and REVOKE_ALL remove them. */
  static final List<String> ENROLLMENT_ACTIONS = List.of("CONFIGURE_TOTP", "webauthn-register",
      "webauthn-register-passwordless", "CONFIGURE_RECOVERY_AUTHN_CODES");

  /**
   * The factor type of a credential. Keycloak does not record whether a WebAuthn key is device-bound,
   * so WebAuthn credentials are reported as synced passkeys: never more assurance than proven.
   */
  static Optional<FactorType> factorType(String credentialType) {
    return switch (credentialType) {
      case OTP -> Optional.of(FactorType.OTP_APP);
      case WEBAUTHN, PASSKEY -> Optional.of(FactorType.SYNCED_PASSKEY);
      case RECOVERY_CODES -> Optional.of(FactorType.RECOVERY_CODES);
      default -> Optional.empty();
    };
  }

  /** The required action that lets a user enroll a factor of this type, if Keycloak has one. */
  static Optional<String> requiredAction(FactorType type) {
    return switch (type) {
      case OTP_APP -> Optional.of("CONFIGURE_TOTP");
      case HARDWARE_PASSKEY, SYNCED_PASSKEY -> Optional.of("webauthn-register-passwordless");
      case RECOVERY_CODES -> Optional.of("CONFIGURE_RECOVERY_AUTHN_CODES");
      default -> Optional.empty();
    };
  }
}
