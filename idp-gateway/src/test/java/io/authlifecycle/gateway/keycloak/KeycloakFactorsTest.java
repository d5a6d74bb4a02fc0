package io.authlifecycle.gateway.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.gateway.GatewaySettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeycloakFactorsTest {

  /** What the joiner's policy allows a standard subject, strongest first. */
  private static final List<FactorType> STANDARD = List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD,
      FactorType.SYNCED_PASSKEY, FactorType.PUSH_NUMBER_MATCHING, FactorType.OTP_APP);
  /** What it allows a privileged one. */
  private static final List<FactorType> PRIVILEGED = List.of(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD);

  @Test
  void withoutAPreferenceATicketOpensTheActionOfItsStrongestEnrollableType() {
    assertThat(KeycloakFactors.enrollmentAction(STANDARD, List.of())).contains("webauthn-register-passwordless");
    assertThat(KeycloakFactors.enrollmentAction(List.of(FactorType.PIV_SMART_CARD, FactorType.OTP_APP), List.of()))
        .contains("CONFIGURE_TOTP");
  }

  @Test
  void aPreferredTypeTheTicketAllowsComesFirstAndOneItDoesNotAllowIsNeverOpened() {
    List<FactorType> otpFirst = List.of(FactorType.OTP_APP);

    assertThat(KeycloakFactors.enrollmentAction(STANDARD, otpFirst)).contains("CONFIGURE_TOTP");
    assertThat(KeycloakFactors.enrollmentAction(PRIVILEGED, otpFirst)).contains("webauthn-register-passwordless");
    assertThat(KeycloakFactors.enrollmentAction(List.of(FactorType.SMS), otpFirst)).isEqualTo(Optional.empty());
  }

  @Test
  void thePreferenceIsReadFromTheSettingsAndABadTypeNamesTheKey() {
    Settings settings = Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(),
        Map.of("keycloak.client-secret", "s", "keycloak.enrollment-preference", "OTP_APP,SYNCED_PASSKEY"));

    assertThat(KeycloakSettings.from(settings).enrollmentPreference())
        .containsExactly(FactorType.OTP_APP, FactorType.SYNCED_PASSKEY);
    assertThatThrownBy(() -> Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(),
        Map.of("keycloak.enrollment-preference", "TOTP"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("keycloak.enrollment-preference");
  }
}
