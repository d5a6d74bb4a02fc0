package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.TestGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

  private static final Provenance PROVENANCE = GatewaySettings.provenance(
      Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(), Map.of()));
  private static final GatewaySubject NOBODY = GatewaySubject.newBuilder().setSubjectId("s-1").build();
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void eachWorkerMayIssueItsOwnTicketPurposeOnItsOwnTopicOnly() {
    for (TicketPurpose purpose : List.of(TicketPurpose.ONBOARDING, TicketPurpose.REBIND, TicketPurpose.RECOVERY)) {
      AuthenticatorCommand ticket = TestGateway.ticket("s-1", "e-" + purpose, purpose, List.of(FactorType.OTP_APP), NOW,
          NOW.plus(Duration.ofMinutes(10)));
      Topics.COMMANDS_BY_ISSUER.forEach((issuer, topic) -> {
        AuthenticatorCommand sent = AuthenticatorCommand.newBuilder(ticket).setIssuedBy(issuer).build();
        boolean own = issuer.equals(ticket.getIssuedBy());
        assertThat(PROVENANCE.problems(topic.name(), sent, NOBODY).isEmpty()).as(issuer + " issuing " + purpose).isEqualTo(own);
      });
    }
  }

  @Test
  void onlyTheLeaverRevokesEverything() {
    AuthenticatorCommand revokeAll = TestGateway.revokeAll("s-1", "hr-1");
    Topics.COMMANDS_BY_ISSUER.forEach((issuer, topic) -> assertThat(
        PROVENANCE.problems(topic.name(), AuthenticatorCommand.newBuilder(revokeAll).setIssuedBy(issuer).build(), NOBODY).isEmpty())
        .as(issuer).isEqualTo(issuer.equals("leaver-worker")));
  }

  @Test
  void theIssuerIsTheTopicsNeverTheFieldExceptOnTheSharedMigrationTopic() {
    AuthenticatorCommand command = TestGateway.command(CommandAction.TERMINATE_SESSIONS, "s-1", "hr-1").setIssuedBy("mover-worker").build();

    assertThat(Provenance.issuerOf(Topics.COMMANDS_LEAVER.name(), command)).contains("leaver-worker");
    assertThat(Provenance.issuerOf(Topics.COMMANDS.name(), command)).contains("mover-worker");
    assertThat(PROVENANCE.problems(Topics.COMMANDS_LEAVER.name(), command, NOBODY))
        .containsExactly("issuedBy 'mover-worker' on authn.commands.leaver.v1, the topic of leaver-worker");
    assertThat(PROVENANCE.topics()).containsExactly("authn.commands.joiner.v1", "authn.commands.leaver.v1",
        "authn.commands.mover.v1", "authn.commands.recovery.v1");
  }

  @Test
  void ticketLimitsOfEachPurpose() {
    AuthenticatorCommand rebind = TestGateway.ticket("s-1", "m-1", TicketPurpose.REBIND, List.of(FactorType.OTP_APP), NOW,
        NOW.plus(Duration.ofHours(72)));
    AuthenticatorCommand reusable = TestGateway.ticket("s-1", "j-1", TicketPurpose.ONBOARDING, List.of(FactorType.OTP_APP), NOW,
        NOW.plus(Duration.ofHours(1)));
    reusable.getTicket().setSingleUse(false);

    assertThat(PROVENANCE.problems(Topics.COMMANDS_MOVER.name(), rebind, NOBODY)).containsExactly("REBIND ticket lifetime PT72H exceeds PT8H");
    assertThat(PROVENANCE.problems(Topics.COMMANDS_JOINER.name(), reusable, NOBODY)).containsExactly("ticket ticket-j-1 is not single use");
  }

  @Test
  void onlyTheTicketsIssuerInvalidatesIt() {
    AuthenticatorCommand onboarding = TestGateway.ticket("s-1", "j-1", TicketPurpose.ONBOARDING, List.of(FactorType.OTP_APP), NOW,
        NOW.plus(Duration.ofHours(1)));
    AuthenticatorCommand byMover = AuthenticatorCommand.newBuilder(TestGateway.invalidate(onboarding, "m-2"))
        .setIssuedBy("mover-worker").build();

    assertThat(PROVENANCE.problems(Topics.COMMANDS_MOVER.name(), byMover, NOBODY))
        .containsExactly("mover-worker may not invalidate ticket ticket-j-1 of joiner-worker");
    assertThat(PROVENANCE.problems(Topics.COMMANDS_JOINER.name(), TestGateway.invalidate(onboarding, "j-2"), NOBODY)).isEmpty();
  }
}
