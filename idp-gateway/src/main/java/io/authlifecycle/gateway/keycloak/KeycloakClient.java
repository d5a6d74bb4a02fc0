package io.authlifecycle.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.RevokeScope;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.gateway.idp.Applied;
import io.authlifecycle.gateway.idp.Applied.Credential;
import io.authlifecycle.gateway.idp.Binding;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.idp.IdpException;
import io.authlifecycle.gateway.idp.IdpException.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Applies commands to one Keycloak realm through its Admin REST API, as a client-credentials service account. */
public final class KeycloakClient implements IdentityProviderClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakHttp http;
  private final KeycloakUsers users;
  private final KeycloakBindings bindings;

  public KeycloakClient(KeycloakSettings settings) {
    this.http = new KeycloakHttp(settings);
    this.users = new KeycloakUsers(http, settings.userAttribute());
    this.bindings = new KeycloakBindings(http, users, settings.hardwareAaguids());
  }

  @Override
  public String name() {
    return "keycloak";
  }

  @Override
  public Applied apply(AuthenticatorCommand command) {
    String user = users.idOf(command.getSubjectId());
    return switch (command.getAction()) {
      case REVOKE_ALL -> lockOut(user, command.getRevokeScope() == null ? RevokeScope.newBuilder().build() : command.getRevokeScope());
      case REVOKE_AUTHENTICATOR, EXPIRE_AUTHENTICATOR -> removeOne(user, command.getAuthenticatorId());
      case TERMINATE_SESSIONS -> Applied.nothingRemoved(endSessions(user));
      case ISSUE_ENROLLMENT_TICKET -> open(user, enrollmentAction(command.getTicket().getAllowedFactorTypes())
          .orElseThrow(() -> cannotEnroll(command.getTicket().getAllowedFactorTypes())),
          command.getTicket().getPurpose() == TicketPurpose.ONBOARDING);
      case INVALIDATE_TICKET -> Applied.nothingRemoved("cleared enrollment actions " + close(user, KeycloakFactors.ENROLLMENT_ACTIONS));
      case SUSPEND_AUTHENTICATOR, RESUME_AUTHENTICATOR -> throw new IdpException(Kind.UNSUPPORTED,
          "Keycloak cannot disable or re-enable a single credential; " + command.getAction()
              + " needs REVOKE_AUTHENTICATOR (and a new binding to resume) or an IdP that supports suspension");
      case UNKNOWN -> throw new IdpException(Kind.REJECTED, "unknown action");
    };
  }

  @Override
  public Optional<String> enrollmentAction(List<FactorType> allowed) {
    return allowed.stream().map(KeycloakFactors::requiredAction).flatMap(Optional::stream).findFirst();
  }

  @Override
  public Applied openEnrollment(String subjectId, String action, boolean enableUser) {
    return open(users.idOf(subjectId), action, enableUser);
  }

  @Override
  public Applied closeEnrollment(String subjectId, Collection<String> actions) {
    return Applied.nothingRemoved("removed required action(s) " + close(users.idOf(subjectId), actions));
  }

  @Override
  public void probe() {
    http.get("/users/count", Map.of());
  }

  @Override
  public List<Binding> bindingsSince(Instant since) {
    return bindings.since(since);
  }

  static IdpException cannotEnroll(List<FactorType> allowed) {
    return new IdpException(Kind.UNSUPPORTED, "Keycloak has no required action to enroll any of " + allowed);
  }

  /**
   * A leaver locked out: the user disabled, every credential that can sign in removed (password,
   * OTP, WebAuthn of both kinds; recovery codes with the backup-codes scope), sessions ended, offline
   * tokens and consents revoked, required actions cleared.
   */
  private Applied lockOut(String user, RevokeScope scope) {
    JsonNode rep = expectOk(http.get("/users/" + user, Map.of()), "read user").body();
    ObjectNode update = JSON.createObjectNode().put("enabled", false);
    List<String> cleared = new ArrayList<>();
    rep.path("requiredActions").forEach(a -> cleared.add(a.asText()));
    if (scope.getOpenTickets()) {
      update.putArray("requiredActions");
    }
    expectOk(http.send("PUT", "/users/" + user, update), "disable user");
    List<Credential> removed = new ArrayList<>();
    boolean password = false;
    for (JsonNode credential : credentials(user)) {
      String type = credential.path("type").asText();
      boolean codes = type.equals(KeycloakFactors.RECOVERY_CODES);
      if ((codes ? scope.getBackupCodes() : scope.getFactors()) && delete(user, credential.path("id").asText())) {
        Optional<FactorType> factor = KeycloakFactors.factorType(credential, Set.of());
        factor.ifPresent(f -> removed.add(new Credential(credential.path("id").asText(), f)));
        password |= type.equals(KeycloakFactors.PASSWORD);
      }
    }
    return Applied.removed(removed, "disabled the user, removed " + removed.size() + " credential(s)"
        + (password ? " and the password" : "") + ", " + endSessions(user)
        + (scope.getOpenTickets() ? ", cleared required actions " + cleared : ""));
  }

  private Applied removeOne(String user, String credentialId) {
    Optional<JsonNode> credential = credentials(user).stream()
        .filter(c -> c.path("id").asText().equals(credentialId)).findFirst();
    if (credential.isEmpty()) {
      return new Applied(List.of(), List.of(credentialId), "credential " + credentialId + " already absent");
    }
    String type = credential.get().path("type").asText();
    Optional<FactorType> factor = KeycloakFactors.factorType(credential.get(), Set.of());
    if (factor.isEmpty()) {
      throw new IdpException(Kind.REJECTED, "credential " + credentialId + " is a " + type + ", not an authenticator");
    }
    if (!delete(user, credentialId)) {
      return new Applied(List.of(), List.of(credentialId), "credential " + credentialId + " already absent");
    }
    return Applied.removed(List.of(new Credential(credentialId, factor.get())), "removed " + type + " credential");
  }

  /** Ends every session, then revokes offline tokens and consents client by client. */
  private String endSessions(String user) {
    JsonNode sessions = http.get("/users/" + user + "/sessions", Map.of()).body();
    int count = sessions == null ? 0 : sessions.size();
    expectOk(http.send("POST", "/users/" + user + "/logout", null), "logout");
    List<String> revoked = new ArrayList<>();
    JsonNode consents = expectOk(http.get("/users/" + user + "/consents", Map.of()), "list consents").body();
    if (consents != null) {
      for (JsonNode consent : consents) {
        String client = consent.path("clientId").asText();
        expectOk(http.send("DELETE", "/users/" + user + "/consents/" + KeycloakHttp.encode(client), null), "revoke consent");
        revoked.add(client);
      }
    }
    return "ended " + count + " session(s)" + (revoked.isEmpty() ? "" : ", revoked offline tokens and consents of " + revoked);
  }

  private Applied open(String user, String action, boolean enableUser) {
    JsonNode rep = expectOk(http.get("/users/" + user, Map.of()), "read user").body();
    Set<String> actions = new LinkedHashSet<>();
    rep.path("requiredActions").forEach(a -> actions.add(a.asText()));
    actions.add(action);
    ObjectNode update = JSON.createObjectNode();
    update.putArray("requiredActions").addAll(actions.stream().map(JSON.getNodeFactory()::textNode).toList());
    boolean enable = enableUser && !rep.path("enabled").asBoolean(true);
    if (enable) {
      update.put("enabled", true);
    }
    expectOk(http.send("PUT", "/users/" + user, update), "update user");
    return Applied.nothingRemoved("required action " + action + " set" + (enable ? ", user re-enabled" : ""));
  }

  /** Removes these required actions; returns those that were there. */
  private List<String> close(String user, Collection<String> remove) {
    Set<String> actions = requiredActions(user);
    List<String> removed = actions.stream().filter(remove::contains).toList();
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
