package io.authlifecycle.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.FactorType;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** How Keycloak's credential types and required actions map to the product's factor types. */
final class KeycloakFactors {

  private static final ObjectMapper JSON = new ObjectMapper();

  static final String PASSWORD = "password";
  static final String OTP = "otp";
  static final String WEBAUTHN = "webauthn";
  static final String PASSKEY = "webauthn-passwordless";
  static final String RECOVERY_CODES = "recovery-authn-codes";

  static final String CONFIGURE_TOTP = "CONFIGURE_TOTP";
  static final String REGISTER_WEBAUTHN = "webauthn-register";
  static final String REGISTER_PASSKEY = "webauthn-register-passwordless";
  static final String CONFIGURE_RECOVERY_CODES = "CONFIGURE_RECOVERY_AUTHN_CODES";

  /** The required actions that open an enrollment. */
  static final List<String> ENROLLMENT_ACTIONS = List.of(CONFIGURE_TOTP, REGISTER_WEBAUTHN, REGISTER_PASSKEY,
      CONFIGURE_RECOVERY_CODES);

  private KeycloakFactors() {}

  /**
   * The factor type of a credential from what Keycloak recorded. A WebAuthn credential is a
   * hardware passkey only if its AAGUID (in the credential data, from the attestation) is on the
   * configured list of hardware authenticators; otherwise synced: never more assurance than proven.
   */
  static Optional<FactorType> factorType(JsonNode credential, Set<String> hardwareAaguids) {
    return switch (credential.path("type").asText()) {
      case OTP -> Optional.of(FactorType.OTP_APP);
      case WEBAUTHN, PASSKEY -> Optional.of(aaguid(credential).filter(hardwareAaguids::contains).isPresent()
          ? FactorType.HARDWARE_PASSKEY : FactorType.SYNCED_PASSKEY);
      case RECOVERY_CODES -> Optional.of(FactorType.RECOVERY_CODES);
      default -> Optional.empty();
    };
  }

  /** The AAGUID Keycloak stored with a WebAuthn credential, lower case; absent or all zeros: unknown. */
  static Optional<String> aaguid(JsonNode credential) {
    String data = credential.path("credentialData").asText("");
    if (data.isBlank()) {
      return Optional.empty();
    }
    try {
      String aaguid = JSON.readTree(data).path("aaguid").asText("").toLowerCase(Locale.ROOT);
      return aaguid.isBlank() || aaguid.equals("00000000-0000-0000-0000-000000000000") ? Optional.empty() : Optional.of(aaguid);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The attestation statement format Keycloak recorded (none, packed, fido-u2f, ...), for the evidence line. */
  static String attestationFormat(JsonNode credential) {
    try {
      return JSON.readTree(credential.path("credentialData").asText("{}")).path("attestationStatementFormat").asText("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Keycloak does not know the device a factor lives on: an OTP app or a passkey is on some device
   * it cannot name; recovery codes are on paper.
   */
  static DeviceAttribution deviceAttribution(String credentialType) {
    return credentialType.equals(RECOVERY_CODES) ? DeviceAttribution.NOT_DEVICE_BOUND : DeviceAttribution.UNATTRIBUTED;
  }

  /** The required action that creates a credential of this type. */
  static Optional<String> enrolledBy(String credentialType) {
    return switch (credentialType) {
      case OTP -> Optional.of(CONFIGURE_TOTP);
      case WEBAUTHN -> Optional.of(REGISTER_WEBAUTHN);
      case PASSKEY -> Optional.of(REGISTER_PASSKEY);
      case RECOVERY_CODES -> Optional.of(CONFIGURE_RECOVERY_CODES);
      default -> Optional.empty();
    };
  }

  /** The required action that lets a user enroll a factor of this type, if Keycloak has one. */
  static Optional<String> requiredAction(FactorType type) {
    return switch (type) {
      case OTP_APP -> Optional.of(CONFIGURE_TOTP);
      case HARDWARE_PASSKEY, SYNCED_PASSKEY -> Optional.of(REGISTER_PASSKEY);
      case RECOVERY_CODES -> Optional.of(CONFIGURE_RECOVERY_CODES);
      default -> Optional.empty();
    };
  }
}
