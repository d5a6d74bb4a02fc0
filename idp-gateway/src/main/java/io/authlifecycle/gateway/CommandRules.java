package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuthenticatorCommand;
import java.util.ArrayList;
import java.util.List;

/** What a command must carry for its action, beyond the checks every input gets. */
final class CommandRules {

  private CommandRules() {}

  static List<String> problems(AuthenticatorCommand command) {
    List<String> problems = new ArrayList<>();
    switch (command.getAction()) {
      case REVOKE_AUTHENTICATOR, EXPIRE_AUTHENTICATOR, SUSPEND_AUTHENTICATOR, RESUME_AUTHENTICATOR -> {
        if (command.getAuthenticatorId() == null || command.getAuthenticatorId().isBlank()) {
          problems.add(command.getAction() + " names no authenticatorId");
        }
      }
      case ISSUE_ENROLLMENT_TICKET -> {
        if (command.getTicket() == null) {
          problems.add("ISSUE_ENROLLMENT_TICKET carries no ticket");
        } else if (command.getTicket().getAllowedFactorTypes().isEmpty()) {
          problems.add("ticket " + command.getTicket().getTicketId() + " allows no factor type");
        }
      }
      default -> { }
    }
    return problems;
  }
}
