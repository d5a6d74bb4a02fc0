package io.authlifecycle.gateway.testing;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.GatewaySettings;
import io.authlifecycle.gateway.IdpGateway;
import io.authlifecycle.gateway.RunningGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Starts a gateway against a test broker, and builds the commands the workers would send it. */
public final class TestGateway {

  private TestGateway() {}

  /** A gateway in its own consumer group, HTTP on a free port, with the given settings on top. */
  public static RunningGateway start(String bootstrapServers, Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>();
    all.put(CoreSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    all.put(CoreSettings.APPLICATION_ID_PREFIX.key(), "test-" + UUID.randomUUID());
    all.put(CoreSettings.HTTP_PORT.key(), "0");
    all.put(CoreSettings.CLOSE_TIMEOUT.key(), "10s");
    all.putAll(overrides);
    return IdpGateway.start(Settings.load(GatewaySettings.declared(), Optional.empty(), Map.of(), all));
  }

  /** The command topic of the command's issuer: where that worker writes it. */
  public static TopicSpec<AuthenticatorCommand> topicOf(AuthenticatorCommand command) {
    return Topics.COMMANDS_BY_ISSUER.get(command.getIssuedBy());
  }

  /** A command as a worker would issue it (the leaver, unless set otherwise), caused by event {@code causation}. */
  public static AuthenticatorCommand.Builder command(CommandAction action, String subjectId, String causation) {
    Instant now = Instant.now();
    return Decisions.command("leaver-worker", action, subjectId, causation, now.minus(Duration.ofSeconds(1)),
        "leaver:" + subjectId + ":" + causation, "", "test " + action, PolicyRefs.INVALIDATION, now);
  }

  public static AuthenticatorCommand revokeAll(String subjectId, String causation) {
    return command(CommandAction.REVOKE_ALL, subjectId, causation).build();
  }

  /** A ticket of a purpose and window, as the worker issuing that purpose would send it. */
  public static AuthenticatorCommand ticket(String subjectId, String causation, TicketPurpose purpose, List<FactorType> allowed,
      Instant notBefore, Instant expiresAt) {
    String issuer = switch (purpose) {
      case REBIND -> "mover-worker";
      case RECOVERY -> "recovery-worker";
      default -> "joiner-worker";
    };
    return command(CommandAction.ISSUE_ENROLLMENT_TICKET, subjectId, causation).setIssuedBy(issuer)
        .setPolicyRef(PolicyRefs.BINDING)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId("ticket-" + causation).setPurpose(purpose)
            .setAllowedFactorTypes(allowed).setNotBefore(notBefore).setExpiresAt(expiresAt)
            .setSingleUse(true).setDeliveryChannel(Channel.IDP_PORTAL).build())
        .build();
  }

  /** INVALIDATE_TICKET of exactly one ticket, from the worker that issued it. */
  public static AuthenticatorCommand invalidate(AuthenticatorCommand issued, String causation) {
    EnrollmentTicket t = issued.getTicket();
    return command(CommandAction.INVALIDATE_TICKET, issued.getSubjectId(), causation).setIssuedBy(issued.getIssuedBy())
        .setPolicyRef(PolicyRefs.BINDING)
        .setTicket(EnrollmentTicket.newBuilder(t).build()).build();
  }

  public static AuthenticatorCommand enrollmentTicket(String subjectId, String causation, List<FactorType> allowed) {
    Instant now = Instant.now();
    return command(CommandAction.ISSUE_ENROLLMENT_TICKET, subjectId, causation).setIssuedBy("joiner-worker")
        .setPolicyRef(PolicyRefs.BINDING)
        .setTicket(EnrollmentTicket.newBuilder().setTicketId("ticket-" + causation).setPurpose(TicketPurpose.ONBOARDING)
            .setAllowedFactorTypes(allowed).setNotBefore(now).setExpiresAt(now.plus(Duration.ofHours(1)))
            .setSingleUse(true).setDeliveryChannel(Channel.IDP_PORTAL).build())
        .build();
  }
}
