package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.tickets.Tickets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may ask the IdP for what. The issuer of a command is the worker whose command topic it came
 * from (the topic's write ACL proves it), never its {@code issuedBy} field; each issuer may send only
 * the actions it legitimately issues, tickets only of its own purpose and within that purpose's limits.
 */
final class Provenance {

  /** A purpose's limits: its only issuer and the longest lifetime (expiresAt - notBefore). */
  record TicketLimits(String issuer, Duration maxLifetime) {}

  /** Actions each worker issues today (read from the workers' decisions). */
  static final Map<String, Set<CommandAction>> ACTIONS = Map.of(
      "joiner-worker", EnumSet.of(CommandAction.ISSUE_ENROLLMENT_TICKET, CommandAction.INVALIDATE_TICKET,
          CommandAction.REVOKE_AUTHENTICATOR),
      "mover-worker", EnumSet.of(CommandAction.ISSUE_ENROLLMENT_TICKET, CommandAction.INVALIDATE_TICKET,
          CommandAction.REVOKE_AUTHENTICATOR, CommandAction.EXPIRE_AUTHENTICATOR, CommandAction.SUSPEND_AUTHENTICATOR,
          CommandAction.RESUME_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS),
      "leaver-worker", EnumSet.of(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS,
          CommandAction.REVOKE_AUTHENTICATOR),
      // A completed recovery the subject disowns ends the sessions it opened.
      "recovery-worker", EnumSet.of(CommandAction.ISSUE_ENROLLMENT_TICKET, CommandAction.INVALIDATE_TICKET,
          CommandAction.REVOKE_AUTHENTICATOR, CommandAction.TERMINATE_SESSIONS));

  /** A ticket is never delivered by email (NIST SP 800-63B-4 4.1.2.2), nor on a channel this reader does not know. */
  private static final Set<Channel> FORBIDDEN_DELIVERY = EnumSet.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL, Channel.UNKNOWN);

  private final Map<TicketPurpose, TicketLimits> limits;
  private final boolean legacyTopic;

  Provenance(Map<TicketPurpose, TicketLimits> limits, boolean legacyTopic) {
    this.limits = limits;
    this.legacyTopic = legacyTopic;
  }

  /** The command topics the gateway reads: one per issuing worker, and the shared one if enabled. */
  List<String> topics() {
    List<String> topics = new ArrayList<>();
    if (legacyTopic) {
      topics.add(Topics.COMMANDS.name());
    }
    Topics.COMMANDS_BY_ISSUER.values().stream().map(TopicSpec::name).sorted().forEach(topics::add);
    return topics;
  }

  /** The issuer a topic proves; on the shared migration topic only the self-declared {@code issuedBy}. */
  static Optional<String> issuerOf(String topic, AuthenticatorCommand command) {
    if (topic.equals(Topics.COMMANDS.name())) {
      return Optional.of(command.getIssuedBy());
    }
    return Topics.COMMANDS_BY_ISSUER.entrySet().stream().filter(e -> e.getValue().name().equals(topic))
        .map(Map.Entry::getKey).findFirst();
  }

  /** Why the command is refused for its issuer (empty: allowed). */
  List<String> problems(String topic, AuthenticatorCommand command, GatewaySubject subject) {
    List<String> problems = new ArrayList<>();
    Optional<String> found = issuerOf(topic, command);
    if (found.isEmpty()) {
      problems.add("no issuer reads from " + topic);
      return problems;
    }
    String issuer = found.get();
    if (!command.getIssuedBy().equals(issuer)) {
      problems.add("issuedBy '" + command.getIssuedBy() + "' on " + topic + ", the topic of " + issuer);
    }
    if (!ACTIONS.getOrDefault(issuer, Set.of()).contains(command.getAction())) {
      problems.add(issuer + " may not issue " + command.getAction());
    }
    EnrollmentTicket ticket = command.getTicket();
    if (command.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET && ticket != null) {
      TicketLimits limit = limits.get(ticket.getPurpose());
      if (limit == null || !limit.issuer().equals(issuer)) {
        problems.add(issuer + " may not issue " + ticket.getPurpose() + " tickets"
            + (limit == null ? "" : " (only " + limit.issuer() + " does)"));
      } else if (Duration.between(ticket.getNotBefore(), ticket.getExpiresAt()).compareTo(limit.maxLifetime()) > 0) {
        problems.add(ticket.getPurpose() + " ticket lifetime " + Duration.between(ticket.getNotBefore(), ticket.getExpiresAt())
            + " exceeds " + limit.maxLifetime());
      }
      if (!ticket.getSingleUse()) {
        problems.add("ticket " + ticket.getTicketId() + " is not single use");
      }
      if (FORBIDDEN_DELIVERY.contains(ticket.getDeliveryChannel())) {
        problems.add("ticket " + ticket.getTicketId() + " delivered on " + ticket.getDeliveryChannel()
            + " (never email: NIST SP 800-63B-4 4.1.2.2)");
      }
    }
    if (command.getAction() == CommandAction.INVALIDATE_TICKET && ticket != null) {
      // Only the ticket's issuer closes it (the one the gateway recorded, or the purpose's issuer for one it never held).
      String owner = Tickets.find(subject, ticket.getTicketId()).map(t -> t.getIssuedBy())
          .orElse(Optional.ofNullable(limits.get(ticket.getPurpose())).map(TicketLimits::issuer).orElse("?"));
      if (!owner.equals(issuer)) {
        problems.add(issuer + " may not invalidate ticket " + ticket.getTicketId() + " of " + owner);
      }
    }
    return problems;
  }
}
