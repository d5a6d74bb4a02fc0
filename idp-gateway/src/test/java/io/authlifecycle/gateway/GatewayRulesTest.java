package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.testing.ReadmeSettings;
import io.authlifecycle.gateway.idp.DryRunClient;
import io.authlifecycle.gateway.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayRulesTest {

  @Test
  void aCommandForOneAuthenticatorMustNameIt() {
    AuthenticatorCommand command = TestGateway.command(CommandAction.SUSPEND_AUTHENTICATOR, "s-1", "mdm-1").build();

    assertThat(CommandRules.problems(command)).containsExactly("SUSPEND_AUTHENTICATOR names no authenticatorId");
  }

  @Test
  void anEnrollmentTicketMustAllowSomeFactorType() {
    AuthenticatorCommand command = TestGateway.enrollmentTicket("s-1", "hr-1", List.of());

    assertThat(CommandRules.problems(command)).containsExactly("ticket ticket-hr-1 allows no factor type");
    assertThat(CommandRules.problems(TestGateway.enrollmentTicket("s-1", "hr-1", List.of(FactorType.OTP_APP)))).isEmpty();
  }

  @Test
  void aFailedRevocationIsCriticalAndAFailedEnrollmentHigh() {
    AuthenticatorCommand revoke = TestGateway.revokeAll("s-1", "hr-1");
    AuthenticatorCommand enroll = TestGateway.enrollmentTicket("s-1", "hr-2", List.of(FactorType.OTP_APP));

    assertThat(Outcomes.failedAudit(revoke, "down", DeadLetterKind.RETRIES_EXHAUSTED, 5, "keycloak").getSeverity())
        .isEqualTo(Severity.CRITICAL);
    assertThat(Outcomes.failedAudit(enroll, "refused", DeadLetterKind.PERMANENT_FAILURE, 1, "keycloak").getSeverity())
        .isEqualTo(Severity.HIGH);
  }

  @Test
  void theReadmeListsTheGatewaysSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("README.md", GatewaySettings.own());
  }

  @Test
  void theDryRunAdapterIsTheDefault() {
    Settings settings = Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(), Map.of());

    assertThat(GatewaySettings.adapter(settings)).isInstanceOf(DryRunClient.class);
  }

  @Test
  void theKeycloakAdapterRefusesToStartWithoutItsSecretAndNamesTheKey() {
    Settings settings = Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(),
        Map.of("gateway.adapter", "keycloak"));

    assertThatThrownBy(() -> GatewaySettings.adapter(settings)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("keycloak.client-secret").hasMessageContaining("LIFECYCLE_KEYCLOAK_CLIENT_SECRET");
  }

  @Test
  void anUnknownAdapterOrABadKeycloakUrlFailsAtLoadNamingTheKey() {
    assertThatThrownBy(() -> Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(),
        Map.of("gateway.adapter", "okta"))).isInstanceOf(ConfigException.class).hasMessageContaining("gateway.adapter");
    assertThatThrownBy(() -> Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(),
        Map.of("keycloak.url", "sso.example.com"))).isInstanceOf(ConfigException.class).hasMessageContaining("keycloak.url");
  }
}
