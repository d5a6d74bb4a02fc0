package io.authlifecycle.gateway.idp;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.RevokeScope;
import java.util.List;

/**
 * The default adapter: applies nothing and says what it would have done, so the gateway can run
 * in shadow mode beside the IdP's current tooling.
 */
public final class DryRunClient implements IdentityProviderClient {

  @Override
  public String name() {
    return "dry-run";
  }

  @Override
  public boolean dryRun() {
    return true;
  }

  @Override
  public Applied apply(AuthenticatorCommand command) {
    String subject = command.getSubjectId();
    String authenticator = command.getAuthenticatorId();
    List<String> touched = authenticator == null ? List.of() : List.of(authenticator);
    return new Applied(List.of(), touched, "dry run: would " + switch (command.getAction()) {
      case REVOKE_ALL -> "remove " + scope(command.getRevokeScope()) + " of " + subject;
      case REVOKE_AUTHENTICATOR -> "remove authenticator " + authenticator + " of " + subject;
      case EXPIRE_AUTHENTICATOR -> "expire (remove) authenticator " + authenticator + " of " + subject;
      case SUSPEND_AUTHENTICATOR -> "suspend authenticator " + authenticator + " of " + subject;
      case RESUME_AUTHENTICATOR -> "resume authenticator " + authenticator + " of " + subject;
      case TERMINATE_SESSIONS -> "end every session of " + subject;
      case ISSUE_ENROLLMENT_TICKET -> "open enrollment " + ticket(command.getTicket()) + " for " + subject;
      case INVALIDATE_TICKET -> "close the open enrollment of " + subject;
      case UNKNOWN -> "do nothing (unknown action)";
    });
  }

  @Override
  public void probe() {}

  private static String scope(RevokeScope scope) {
    RevokeScope s = scope == null ? RevokeScope.newBuilder().build() : scope;
    return (s.getFactors() ? "every factor" : "no factor") + (s.getBackupCodes() ? ", backup codes" : "")
        + (s.getOpenTickets() ? ", open enrollments" : "");
  }

  private static String ticket(EnrollmentTicket ticket) {
    return ticket == null ? "(no ticket)" : ticket.getTicketId() + " " + ticket.getPurpose() + " for "
        + ticket.getAllowedFactorTypes();
  }
}
