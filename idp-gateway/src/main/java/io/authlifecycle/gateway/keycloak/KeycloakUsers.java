package io.authlifecycle.gateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import io.authlifecycle.gateway.idp.IdpException;
import io.authlifecycle.gateway.idp.IdpException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps subject ids to Keycloak users and back by one configured attribute: {@code username},
 * {@code email}, or a user attribute (which the realm's user profile must declare, or expose as
 * an unmanaged attribute, for the way back).
 */
final class KeycloakUsers {

  private final KeycloakHttp http;
  private final String attribute;

  KeycloakUsers(KeycloakHttp http, String attribute) {
    this.http = http;
    this.attribute = attribute;
  }

  /** The Keycloak user id of a subject; UNKNOWN_SUBJECT if none, REJECTED if several match. */
  String idOf(String subjectId) {
    Map<String, String> query = switch (attribute) {
      case "username" -> Map.of("username", subjectId, "exact", "true", "briefRepresentation", "false");
      case "email" -> Map.of("email", subjectId, "exact", "true", "briefRepresentation", "false");
      default -> Map.of("q", attribute + ":" + subjectId, "exact", "true", "briefRepresentation", "false");
    };
    JsonNode found = http.get("/users", query).body();
    List<JsonNode> matches = new ArrayList<>();
    if (found != null) {
      found.forEach(user -> {
        Optional<String> value = subjectOf(user);
        // Keycloak lower-cases usernames and e-mail addresses; an attribute the response hides is trusted to the server.
        if (value.isEmpty() && !builtIn() || value.isPresent() && value.get().equalsIgnoreCase(subjectId)) {
          matches.add(user);
        }
      });
    }
    if (matches.isEmpty()) {
      throw new IdpException(Kind.UNKNOWN_SUBJECT, "no Keycloak user has " + attribute + " = " + subjectId);
    }
    if (matches.size() > 1) {
      throw new IdpException(Kind.REJECTED, matches.size() + " Keycloak users have " + attribute + " = " + subjectId);
    }
    return matches.get(0).path("id").asText();
  }

  /** The subject id of a user representation, if it carries the mapping attribute. */
  Optional<String> subjectOf(JsonNode user) {
    JsonNode value = switch (attribute) {
      case "username" -> user.path("username");
      case "email" -> user.path("email");
      default -> user.path("attributes").path(attribute).path(0);
    };
    return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
  }

  /** A user by Keycloak id; empty if deleted. */
  Optional<JsonNode> byId(String userId) {
    KeycloakHttp.Response r = http.get("/users/" + KeycloakHttp.encode(userId), Map.of());
    return r.notFound() || r.body() == null ? Optional.empty() : Optional.of(r.body());
  }

  private boolean builtIn() {
    return attribute.equals("username") || attribute.equals("email");
  }
}
