package io.authlifecycle.mover;

import static io.authlifecycle.mover.Inputs.bound;
import static io.authlifecycle.mover.Inputs.device;
import static io.authlifecycle.mover.Inputs.joiner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.MoverSubject;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A LOST or STOLEN device with no reported factor linked to it (the IdP could not tell which device
 * a factor lives on): the documented rule fails towards revocation for the kinds that live on such
 * a device, keeps what is known to be elsewhere, and tells the owner exactly what was asked of the
 * IdP; if that leaves too little, re-binding goes through recovery.
 */
class UnattributedDeviceLossTest extends RegistryFixture {

  private Instant lostAt;

  /** An engineer whose OTP app and synced passkey the IdP named no device for, a hardware key on a known device, a smart card. */
  private void factorsTheIdpCouldNotPlace() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, null, null, T0));
    on(bound("alice", "a-synced", FactorType.SYNCED_PASSKEY, null, null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));
    on(bound("alice", "a-piv", FactorType.PIV_SMART_CARD, null, null, T0));
    on(bound("alice", "a-sms", FactorType.SMS, null, null, T0));
    lostAt = later(Duration.ofDays(1));
  }

  @Test
  void byDefaultTheOwnersUnplacedFactorsOfDeviceKindsAreRevokedAndTheRestKept() {
    factorsTheIdpCouldNotPlace();

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(
            tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-otp"),
            tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-synced"),
            tuple(CommandAction.TERMINATE_SESSIONS, null),
            tuple(CommandAction.ISSUE_ENROLLMENT_TICKET, null));
    assertThat(loss.commands().get(0).getReason()).isEqualTo("device dev-phone reported LOST and no factor is linked "
        + "to it: a OTP_APP with no device named may live on it");
    assertThat(loss.commands().get(3).getTicket().getPurpose()).isEqualTo(TicketPurpose.REBIND);
    assertThat(loss.audits().get(0).getAction()).isEqualTo("mover.device.lost");
    assertThat(loss.audits().get(0).getDetails()).containsEntry("factors", "[a-otp, a-synced]")
        .containsEntry("kept", "[a-key, a-piv, a-sms]").containsEntry("attribution", "none: unattributed-kinds rule");
    assertThat(loss.notifications()).singleElement().satisfies(n -> {
      assertThat(n.getTopic()).isEqualTo("device.lost");
      assertThat(n.getChannels()).containsExactly(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL);
      assertThat(n.getMessage()).isEqualTo("Your device was reported lost. We asked for the 2 sign-in factors that may "
          + "be on it (OTP_APP, SYNCED_PASSKEY) to be removed and for your sessions to be ended. If this wasn't you, "
          + "contact the help desk.");
    });
    assertThat(MoverSubjects.usable(factor("a-key"))).isTrue();
    assertThat(MoverSubjects.usable(factor("a-piv"))).isTrue();
  }

  @Test
  void aFactorLinkedToAnotherDeviceIsKeptWhateverItsKind() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp-tablet", FactorType.OTP_APP, "dev-tablet", null, T0));
    on(bound("alice", "a-key", FactorType.HARDWARE_PASSKEY, "dev-key", null, T0));

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.STOLEN, "mdm-1", later(Duration.ofDays(1))));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction).containsExactly(CommandAction.TERMINATE_SESSIONS);
    assertThat(loss.notifications().get(0).getMessage()).isEqualTo("Your device was reported stolen. No sign-in factor "
        + "could be tied to it, so none was removed; we asked for your sessions to be ended. If this wasn't you, "
        + "contact the help desk.");
    assertThat(recoveries(loss)).isEmpty();
  }

  @Test
  void aFactorTheIdpReportsOnNoDeviceAtAllIsKept() {
    on(joiner("alice", "engineer", false, T0));
    on(AuthenticatorBound.newBuilder(bound("alice", "a-otp", FactorType.OTP_APP, null, null, T0))
        .setDeviceAttribution(DeviceAttribution.NOT_DEVICE_BOUND).build());
    on(AuthenticatorBound.newBuilder(bound("alice", "a-synced", FactorType.SYNCED_PASSKEY, null, null, T0))
        .setDeviceAttribution(DeviceAttribution.UNATTRIBUTED).build());

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", later(Duration.ofDays(1))));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .startsWith(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-synced"), tuple(CommandAction.TERMINATE_SESSIONS, null));
    assertThat(MoverSubjects.usable(factor("a-otp"))).isTrue();
  }

  @Test
  void withTheRuleSetToNoKindsOnlyTheSessionsEndAndTheOwnerIsNotToldOfARemoval() {
    use(Map.of("mover.device-loss.unattributed-kinds", ""));
    factorsTheIdpCouldNotPlace();

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction).containsExactly(CommandAction.TERMINATE_SESSIONS);
    assertThat(loss.notifications().get(0).getMessage()).contains("none was removed").doesNotContain("factors that may");
    assertThat(MoverSubjects.usable(factor("a-otp"))).isTrue();
  }

  @Test
  void whenTheRevokedFactorsLeaveTooLittleReBindingGoesThroughRecovery() {
    on(joiner("alice", "engineer", false, T0));
    on(bound("alice", "a-otp", FactorType.OTP_APP, null, null, T0));
    lostAt = later(Duration.ofDays(1));

    Decision<MoverSubject> loss = on(device("alice", "dev-phone", DeviceEventType.LOST, "mdm-1", lostAt));

    assertThat(loss.commands()).extracting(AuthenticatorCommand::getAction, AuthenticatorCommand::getAuthenticatorId)
        .containsExactly(tuple(CommandAction.REVOKE_AUTHENTICATOR, "a-otp"), tuple(CommandAction.TERMINATE_SESSIONS, null));
    List<RecoveryRequest> recoveries = recoveries(loss);
    assertThat(recoveries).singleElement().satisfies(r -> assertThat(r.getLostAuthenticatorIds()).containsExactly("a-otp"));
  }

  @Test
  void theRuleTakesOnlyFactorTypes() {
    assertThatThrownBy(() -> WorkerContext.forTest(MoverWorker.NAME, MoverSettings.ALL,
        Map.of("mover.device-loss.unattributed-kinds", "OTP_APP,PHONE")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mover.device-loss.unattributed-kinds");
    assertThat(rules(Map.of("mover.device-loss.unattributed-kinds", "OTP_APP")).unattributedLossKinds())
        .containsExactly(FactorType.OTP_APP);
    assertThat(rules(Map.of()).unattributedLossKinds()).containsExactlyInAnyOrder(FactorType.SYNCED_PASSKEY,
        FactorType.OTP_APP, FactorType.PUSH_NUMBER_MATCHING, FactorType.PUSH_PLAIN);
  }
}
