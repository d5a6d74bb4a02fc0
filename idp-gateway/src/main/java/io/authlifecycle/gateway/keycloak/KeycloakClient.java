package io.authlifecycle.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RevokeScope;
import io.authlifecycle.gateway.idp.Applied;
import io.authlifecycle.gateway.idp.Applied.Credential;
import io.authlifecycle.gateway.idp.Binding;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.idp.IdpException;
import io.authlifecycle.gateway.idp.IdpException.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Applies commands to one Keycloak realm through its Admin REST API, as a client-credentials service account. */
public final class KeycloakClient implements IdentityProviderClient {

  private final KeycloakHttp http;
  private final KeycloakUsers users;
  private final KeycloakBindings bindings;

  public KeycloakClient(KeycloakSettings settings) {
    this.http = new KeycloakHttp(settings);
    this.users = new KeycloakUsers(http, settings.userAttribute());
    this.bindings = new KeycloakBindings(http, users);
  }

  @Override
  public String name() {
    return "keycloak";
  }

  @Override
  public Applied apply(AuthenticatorCommand command) {
    String user = users.idOf(command.getSubjectId());
    return switch (command.getAction()) {
      case REVOKE_ALL -> revokeAll(user, command.getRevokeScope() == null ? RevokeScope.newBuilder().build() : command.getRevokeScope());
      case REVOKE_AUTHENTICATOR, EXPIRE_AUTHENTICATOR -> removeOne(user, command.getAuthenticatorId());
      case TERMINATE_SESSIONS -> logout(user);
      case ISSUE_ENROLLMENT_TICKET -> openEnrollment(user, command.getTicket());
      case INVALIDATE_TICKET -> Applied.nothingRemoved("cleared enrollment actions " + closeEnrollment(user));
      case SUSPEND_AUTHENTICATOR, RESUME_AUTHENTICATOR -> throw new IdpException(Kind.UNSUPPORTED,
          "Keycloak cannot disable or re-enable a single credential; " + command.getAction()
              + " needs REVOKE_AUTHENTICATOR (and a new binding to resume) or an IdP that supports suspension");
      case UNKNOWN -> throw new IdpException(Kind.REJECTED, "unknown action");
    };
  }

  @Override
  public void probe() {
    http.get("/users/count", Map.of());
  }

  @Override
  public List<Binding> bindingsSince(Instant since) {
    return bindings.since(since);
  }

  private Applied revokeAll(String user, RevokeScope scope) {
    List<Credential> removed = new ArrayList<>();
    for (JsonNode credential : credentials(user)) {
      String type = credential.path("type").asText();
      boolean factor = scope.getFactors() && KeycloakFactors.FACTORS.contains(type);
      boolean codes = scope.getBackupCodes() && type.equals(KeycloakFactors.RECOVERY_CODES);
      if ((factor || codes) && delete(user, credential.path("id").asText())) {
        removed.add(new Credential(credential.path("id").asText(), KeycloakFactors.factorType(type).orElse(FactorType.UNKNOWN)));
      }
    }
    List<String> cleared = scope.getOpenTickets() ? closeEnrollment(user) : List.of();
    return Applied.removed(removed, "removed " + removed.size() + " credential(s)"
        + (scope.getOpenTickets() ? ", cleared enrollment actions " + cleared : ""));
  }

  private Applied removeOne(String user, String credentialId) {
    Optional<JsonNode> credential = credentials(user).stream()
        .filter(c -> c.path("id").asText().equals(credentialId)).findFirst();
    if (credential.isEmpty()) {
      return new Applied(List.of(), List.of(credentialId), "credential " + credentialId + " already absent");
    }
    String type = credential.get().path("type").asText();
    Optional<FactorType> factor = KeycloakFactors.factorType(type);
    if (factor.isEmpty()) {
      throw new IdpException(Kind.REJECTED, "credential " + credentialId + " is a " + type + ", not an authenticator");
    }
    if (!delete(user, credentialId)) {
      return new Applied(List.of(), List.of(credentialId), "credential " + credentialId + " already absent");
    }
    return Applied.removed(List.of(new Credential(credentialId, factor.get())), "removed " + type + " credential");
  }

  private Applied logout(String user) {
    JsonNode sessions = http.get("/users/" + user + "/sessions", Map.of()).body();
    int count = sessions == null ? 0 : sessions.size();
    expectOk(http.send("POST", "/users/" + user + "/logout", null), "logout");
    return Applied.nothingRemoved("ended " + count + " session(s)");
  }

  private Applied openEnrollment(String user, EnrollmentTicket ticket) {
    String action = ticket.getAllowedFactorTypes().stream().map(KeycloakFactors::requiredAction)
        .flatMap(Optional::stream).findFirst()
        .orElseThrow(() -> new IdpException(Kind.UNSUPPORTED,
            "Keycloak has no required action to enroll any of " + ticket.getAllowedFactorTypes()));
    Set<String> actions = requiredActions(user);
    actions.add(action);
    setRequiredActions(user, actions);
    return Applied.nothingRemoved("required action " + action + " set for ticket " + ticket.getTicketId()
        + " (" + ticket.getPurpose() + "); Keycloak keeps it until completed or invalidated, it has no not-before or lifetime");
  }

  /** Removes every enrollment required action; returns those removed. */
  private List<String> closeEnrollment(String user) {
    Set<String> actions = requiredActions(user);
    List<String> removed = actions.stream().filter(KeycloakFactors.ENROLLMENT_ACTIONS::contains).toList();
    if (!removed.isEmpty()) {
      actions.removeAll(removed);
      setRequiredActions(user, actions);
    }
    return removed;
  }

  private Set<String> requiredActions(String user) {
    JsonNode rep = expectOk(http.get("/users/" + user, Map.of()), "read user").body();
    Set<String> actions = new LinkedHashSet<>();
    rep.path("requiredActions").forEach(a -> actions.add(a.asText()));
    return actions;
  }

  private void setRequiredActions(String user, Set<String> actions) {
    expectOk(http.send("PUT", "/users/" + user, Map.of("requiredActions", List.copyOf(actions))), "update user");
  }

  private List<JsonNode> credentials(String user) {
    JsonNode body = expectOk(http.get("/users/" + user + "/credentials", Map.of()), "list credentials").body();
    List<JsonNode> list = new ArrayList<>();
    if (body != null) {
      body.forEach(list::add);
    }
    return list;
  }

  /** Deletes a credential; false if it was already gone. */
  private boolean delete(String user, String credentialId) {
    KeycloakHttp.Response r = http.send("DELETE", "/users/" + user + "/credentials/" + KeycloakHttp.encode(credentialId), null);
    return !r.notFound() && expectOk(r, "delete credential") != null;
  }

  private static KeycloakHttp.Response expectOk(KeycloakHttp.Response r, String what) {
    if (r.notFound()) {
      // The user vanished between lookup and change.
      throw new IdpException(Kind.UNKNOWN_SUBJECT, "Keycloak answered 404 to " + what);
    }
    return r;
  }
}
